package xiio.concurrent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import xiio.core.Xiio;
import xiio.testing.VirtualClock;

class EventTest {
    private static Duration ms(long n) {
        return Duration.ofMillis(n);
    }

    @Test
    void awaitReturnsAtOnceWhenSet() throws Exception {
        long waited = VirtualClock.run(() -> {
            Event e = new Event();
            e.set();
            e.set(); // idempotent
            long t0 = Xiio.nanoTime();
            e.await();
            return Xiio.nanoTime() - t0;
        });
        assertEquals(0, waited);
    }

    @Test
    void setWakesEveryWaiterAtTheMomentItIsSet() throws Exception {
        List<String> log = VirtualClock.run(() -> {
            Event e = new Event();
            List<String> events = new ArrayList<>();
            TaskGroup.scope(g -> {
                for (int i = 0; i < 3; i++) {
                    int id = i;
                    g.spawn(() -> {
                        e.await();
                        events.add("waiter " + id + " at " + Xiio.nanoTime() / 1_000_000 + " ms");
                        return null;
                    });
                }
                Xiio.sleep(ms(7));
                assertFalse(e.isSet());
                e.set();
                return null;
            });
            events.sort(null); // the wake-up order among them is not specified
            return events;
        });
        assertEquals(List.of("waiter 0 at 7 ms", "waiter 1 at 7 ms", "waiter 2 at 7 ms"), log);
    }

    @Test
    void clearMakesLaterWaitersWaitForTheNextSet() throws Exception {
        long wokeAt = VirtualClock.run(() -> {
            Event e = new Event();
            e.set();
            e.clear();
            assertFalse(e.isSet());
            long[] at = new long[1];
            TaskGroup.scope(g -> {
                g.spawn(() -> {
                    e.await();
                    at[0] = Xiio.nanoTime();
                    return null;
                });
                Xiio.sleep(ms(3));
                e.set();
                return null;
            });
            return at[0] / 1_000_000;
        });
        assertEquals(3, wokeAt);
    }

    @Test
    void aWaiterWokenBySetStillReturnsIfClearCameBeforeItRan() throws Exception {
        assertTrue(VirtualClock.run(() -> {
            Event e = new Event();
            boolean[] returned = new boolean[1];
            TaskGroup.scope(g -> {
                g.spawn(() -> {
                    e.await();
                    returned[0] = true;
                    return null;
                });
                Xiio.yieldNow();
                e.set();
                e.clear();
                return null;
            });
            return returned[0];
        }));
    }

    @Test
    void aCancelledWaiterLeavesTheEventUsable() throws Exception {
        List<String> log = VirtualClock.run(() -> {
            Event e = new Event();
            List<String> events = new ArrayList<>();
            assertNull(Timeout.withTimeoutOrNull(ms(5), () -> {
                e.await();
                return "not reached";
            }));
            events.add("timed out");
            TaskGroup.scope(g -> {
                g.spawn(() -> {
                    e.await();
                    events.add("second waiter woke");
                    return null;
                });
                Xiio.sleep(ms(1));
                e.set();
                return null;
            });
            return events;
        });
        assertEquals(List.of("timed out", "second waiter woke"), log);
    }

    @Test
    void itsConditionCombinesWithOthers() throws Exception {
        long woke = VirtualClock.run(() -> {
            Event never = new Event();
            long t0 = Xiio.nanoTime();
            Xiio.await(never.condition().or(xiio.core.Condition.after(ms(4))));
            return (Xiio.nanoTime() - t0) / 1_000_000;
        });
        assertEquals(4, woke);
    }

    @Test
    void awaitingOutsideARunFailsClearly() {
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> new Event().await());
        assertTrue(e.getMessage().contains("inside Xiio.run"), e.getMessage());
    }
}
