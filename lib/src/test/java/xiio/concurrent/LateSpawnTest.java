package xiio.concurrent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import xiio.core.CancelledError;
import xiio.core.Xiio;
import xiio.testing.VirtualClock;

/**
 * A task spawned after the group's cancellation began runs normally (cleanup may need
 * helpers), until the group is cancelled again: a later failure, another cancel(). The
 * model-based test found that only the first failure cancelled (its finding F3).
 */
class LateSpawnTest {
    private static Duration ms(long n) {
        return Duration.ofMillis(n);
    }

    @Test
    void aLaterFailureCancelsAHelperSpawnedAfterTheFirst() throws Exception {
        List<String> seen = new ArrayList<>();
        IOException e = assertThrows(IOException.class, () -> VirtualClock.run(() -> TaskGroup.scope(g -> {
            g.spawn(() -> {
                throw new IOException("first");
            });
            try {
                Xiio.sleep(ms(15));
            } catch (CancelledError swallowed) {
                // the body goes on with its cleanup and needs a helper
            }
            g.spawn("helper", () -> {
                try {
                    Xiio.sleep(ms(100));
                    seen.add("helper slept");
                } catch (CancelledError c) {
                    seen.add("helper cancelled at " + Xiio.nanoTime() / 1_000_000);
                    throw c;
                }
                return null;
            });
            Xiio.sleep(ms(1));
            seen.add("helper ran normally until now");
            throw new IOException("second");
        })));
        assertEquals("first", e.getMessage());
        assertEquals("second", e.getSuppressed()[0].getMessage());
        assertEquals(List.of("helper ran normally until now", "helper cancelled at 1"), seen);
    }

    @Test
    void aSecondCancelCancelsTasksSpawnedAfterTheFirst() throws Exception {
        List<String> seen = new ArrayList<>();
        VirtualClock.run(() -> TaskGroup.scope(g -> {
            g.cancel();
            try {
                Xiio.sleep(ms(1));
            } catch (CancelledError swallowed) {
                // cleanup
            }
            Task<Void> helper = g.spawn("helper", () -> {
                Xiio.sleep(ms(100));
                return null;
            });
            Xiio.sleep(ms(5));
            assertTrue(!helper.isDone(), "the helper runs normally after the first cancel");
            g.cancel();
            Xiio.sleep(ms(1));
            seen.add("helper cancelled: " + helper.isCancelled() + " at " + Xiio.nanoTime() / 1_000_000);
            return null;
        }));
        assertEquals(List.of("helper cancelled: true at 6"), seen); // the first cancel is delivered at once, at 0
    }
}
