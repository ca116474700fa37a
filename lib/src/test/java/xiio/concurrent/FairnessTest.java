package xiio.concurrent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import xiio.core.Xiio;
import xiio.support.TestPipe;
import xiio.testing.VirtualClock;

/**
 * The fairness bound, counted rather than timed: an always-ready task beside one that
 * waits on an fd that is already readable. The poller is consulted after at most 256
 * resumes, however deeply the groups nest, so the reader wakes after a bounded number
 * of yields (issue 12, defect 3: the budget used to multiply with nesting, 64 x 1024^depth).
 * Timers share the bound (they are expired at every poll); their delay on the real clock
 * is measured by {@code ./xiio bench core}, not here.
 */
class FairnessTest {
    /** The bound the engine documents, plus one round of the two tasks' ready queue. */
    private static final int MAX_YIELDS_BEFORE_THE_READER_WAKES = 256 + 2;

    private static Object nest(int depth, TaskGroup.Body<Object> innermost) throws Exception {
        return depth == 1 ? TaskGroup.scope(innermost) : TaskGroup.scope(g -> {
            g.spawn(() -> nest(depth - 1, innermost));
            return null;
        });
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 2, 3, 6})
    void aReadyFdIsSeenAfterABoundedNumberOfYieldsAtAnyDepth(int depth) throws Exception {
        int[] yieldsBeforeWake = {-1};
        try (TestPipe pipe = new TestPipe()) {
            pipe.put("x");
            VirtualClock.run(() -> nest(depth, g -> {
                int[] yields = {0};
                boolean[] woke = {false};
                g.spawn("always ready", () -> {
                    while (!woke[0] && yields[0] < 10_000_000) {
                        Xiio.yieldNow();
                        yields[0]++;
                    }
                    return null;
                });
                g.spawn("reader", () -> {
                    assertEquals(1, Xiio.read(pipe.readFd, new byte[1]));
                    woke[0] = true;
                    yieldsBeforeWake[0] = yields[0];
                    return null;
                });
                return null;
            }));
        }
        assertTrue(yieldsBeforeWake[0] >= 0 && yieldsBeforeWake[0] <= MAX_YIELDS_BEFORE_THE_READER_WAKES,
                "depth " + depth + ": the reader woke after " + yieldsBeforeWake[0] + " yields");
    }
}
