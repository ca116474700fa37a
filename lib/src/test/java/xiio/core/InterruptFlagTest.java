package xiio.core;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import xiio.concurrent.TaskGroup;

/**
 * A coroutine that restores the interrupt flag (the usual {@code catch
 * (InterruptedException e) { Thread.currentThread().interrupt(); }}) and then suspends
 * ends the run with InterruptedException on both backends (issue 12, defect 6: on the
 * virtual-thread backend the flag stayed on the coroutine's own thread, its park
 * returned at once forever, and a one-second sleep burnt a core and then returned).
 */
class InterruptFlagTest {
    private static void restoreTheFlagLikeMostCodeDoes() {
        try {
            throw new InterruptedException("from a blocking call");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Test
    void aRestoredFlagEndsTheRunWithInterruptedExceptionInsteadOfSpinning() {
        assertThrows(InterruptedException.class, () -> Xiio.run(() -> {
            restoreTheFlagLikeMostCodeDoes();
            Xiio.sleep(Duration.ofMinutes(10));
            return "slept";
        }));
        assertTrue(Thread.interrupted(), "run leaves the caller's flag set, as it documents");
    }

    @Test
    void aRestoredFlagInOneTaskCancelsTheWholeTreeAndItsCleanupRuns() {
        boolean[] cleanedUp = {false};
        assertThrows(InterruptedException.class, () -> Xiio.run(() -> TaskGroup.scope(g -> {
            g.spawn("sleeper", () -> {
                try {
                    Xiio.sleep(Duration.ofMinutes(10));
                } finally {
                    cleanedUp[0] = true;
                }
                return null;
            });
            g.spawn("restorer", () -> {
                Xiio.sleep(Duration.ofMillis(1));
                restoreTheFlagLikeMostCodeDoes();
                Xiio.sleep(Duration.ofMinutes(10));
                return null;
            });
            return null;
        })));
        assertTrue(Thread.interrupted());
        assertTrue(cleanedUp[0]);
    }
}
