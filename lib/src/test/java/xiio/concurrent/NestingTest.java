package xiio.concurrent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import xiio.core.Xiio;

/**
 * How deeply task groups nest on each backend (issue 12, defect 8). A wakeup climbs the
 * nesting in a loop, so the virtual-thread backend, where each coroutine has a stack of
 * its own, nests as deep as memory allows. On the continuation backend every level's
 * frames sit on the driving thread's stack: about 1,000 levels per MB of it (-Xss), and
 * past that the run fails with StackOverflowError, as itself, never a hang.
 */
class NestingTest {
    private static String nest(int depth) throws Exception {
        return TaskGroup.scope(g -> {
            if (depth == 0) Xiio.sleep(Duration.ofMillis(5));
            else g.spawn(() -> nest(depth - 1));
            return "ok";
        });
    }

    @Test
    void deepNestingEndsNormally() throws Exception {
        int depth = Xiio.run(Xiio::backend).equals("vthread") ? 3_000 : 300;
        assertEquals("ok", Xiio.run(() -> nest(depth)));
    }

    @Test
    void nestingPastTheStackFailsWithStackOverflowErrorOnTheContinuationBackend() throws Exception {
        if (!Xiio.run(Xiio::backend).equals("continuation")) return;
        assertThrows(StackOverflowError.class, () -> Xiio.run(() -> nest(200_000)));
        assertEquals("ok", Xiio.run(() -> nest(10)), "the next run works");
    }
}
