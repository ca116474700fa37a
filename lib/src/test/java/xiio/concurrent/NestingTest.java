package xiio.concurrent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import xiio.core.Xiio;

/**
 * How deeply task groups nest on each backend (issue 12, defect 8). A wakeup climbs the
 * nesting in a loop, so the virtual-thread backend, where each coroutine has a stack of
 * its own, nests as deep as memory allows. On the continuation backend every level's
 * frames sit on the driving thread's stack: about 1,000 levels per MB of it (-Xss), so
 * resumes nest at most 500 deep there ({@code -Dxiio.maxNesting}) and past that the run
 * fails with StackOverflowError, as itself, in bounded time, never a hang.
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
        // On a thread of its own with a known stack, joined for a bounded time: should the
        // overflow ever hang again (a real overflow in the JVM's freeze keeps the thread busy
        // in native code, where neither an interrupt nor JUnit's timeout reaches it), the
        // test fails with the thread's stack instead of holding CI until its own limit.
        AtomicReference<Object> outcome = new AtomicReference<>();
        Thread t = new Thread(null, () -> {
            try {
                StackOverflowError e = assertThrows(StackOverflowError.class, () -> Xiio.run(() -> nest(200_000)));
                assertTrue(String.valueOf(e.getMessage()).contains("nested 500 deep"), "names the depth: " + e.getMessage());
                assertEquals("ok", Xiio.run(() -> nest(10)), "the next run works");
                outcome.set("passed");
            } catch (Throwable failure) {
                outcome.set(failure);
            }
        }, "nesting overflow", 2 << 20);
        t.setDaemon(true);
        t.start();
        t.join(Duration.ofSeconds(40));
        if (t.isAlive()) {
            StringBuilder dump = new StringBuilder("the overflowing run did not end within 40 s; its thread:\n");
            StackTraceElement[] stack = t.getStackTrace();
            for (int i = 0; i < Math.min(stack.length, 80); i++) dump.append("\tat ").append(stack[i]).append('\n');
            dump.append("\t... ").append(stack.length).append(" frames in all");
            t.interrupt();
            fail(dump.toString());
        }
        if (outcome.get() instanceof Throwable failure) throw new AssertionError(failure);
    }
}
