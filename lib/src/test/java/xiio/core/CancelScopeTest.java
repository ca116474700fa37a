package xiio.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import xiio.concurrent.TaskGroup;
import xiio.testing.VirtualClock;

class CancelScopeTest {

    @Test
    void cancellationIsNotAnException() {
        // catch (Exception e) in user code must not swallow it
        assertFalse(Exception.class.isAssignableFrom(CancelledError.class));
        assertTrue(Error.class.isAssignableFrom(CancelledError.class));
    }

    @Test
    void cancelFromAnotherTaskRaisesAtTheSuspensionPointOnce() throws Exception {
        List<String> events = new ArrayList<>();
        VirtualClock.run(() -> TaskGroup.scope(g -> {
            CancelScope[] scope = new CancelScope[1];
            g.spawn(() -> {
                Object r = CancelScope.open(s -> {
                    scope[0] = s;
                    try {
                        Xiio.sleep(Duration.ofHours(1));
                    } catch (CancelledError e) {
                        assertSame(s, e.scope());
                        events.add("raised");
                        Xiio.sleep(Duration.ofMillis(5)); // not raised again
                        events.add("cleanup slept");
                        throw e;
                    }
                    return "not reached";
                });
                events.add("scope returned " + r + ", wasDelivered=" + scope[0].wasDelivered());
                return null;
            });
            Xiio.sleep(Duration.ofMillis(1));
            scope[0].cancel();
            return null;
        }));
        assertEquals(List.of("raised", "cleanup slept", "scope returned null, wasDelivered=true"), events);
    }

    @Test
    void selfCancelRaisesAtTheNextSuspension() throws Exception {
        assertNull(VirtualClock.run(() -> CancelScope.open(s -> {
            s.cancel();
            assertTrue(s.isCancelled());
            Xiio.yieldNow();
            return "not reached";
        })));
    }

    @Test
    void aScopeOpenedDuringCleanupStillWorks() throws Exception {
        List<String> events = new ArrayList<>();
        VirtualClock.run(() -> CancelScope.open(outer -> {
            outer.cancel();
            try {
                Xiio.yieldNow();
            } finally {
                Object r = CancelScope.open(Duration.ofMillis(10), inner -> {
                    Xiio.sleep(Duration.ofHours(1));
                    return "late";
                });
                events.add("cleanup timeout gave " + r);
            }
            return null;
        }));
        assertEquals(List.of("cleanup timeout gave null"), events);
    }

    @Test
    void scopesOutsideRunFail() {
        assertThrows(IllegalStateException.class, () -> CancelScope.open(s -> 1));
    }
}
