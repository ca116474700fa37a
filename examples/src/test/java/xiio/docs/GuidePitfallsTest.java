package xiio.docs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.Test;
import xiio.concurrent.Lock;
import xiio.concurrent.TaskGroup;
import xiio.concurrent.Timeout;
import xiio.core.CancelledError;
import xiio.core.Xiio;
import xiio.process.CompletedProcess;
import xiio.process.Subprocess;
import xiio.thread.ThreadPool;

/** The examples of docs/guide-pitfalls.md: what goes wrong, measured, and the fix. */
class GuidePitfallsTest {

    /** Counts ticks of a 10 ms ticker while {@code work} runs next to it. */
    static int ticksDuring(xiio.core.Suspendable<Void> work) throws Exception {
        int[] ticks = {0};
        Xiio.run(() -> TaskGroup.scope(group -> {
            var ticker = group.spawn("ticker", () -> {
                while (true) {
                    Xiio.sleep(Duration.ofMillis(10));
                    ticks[0]++;
                }
            });
            group.spawn("work", () -> {
                work.call();
                ticker.cancel();
                return null;
            });
            return null;
        }));
        return ticks[0];
    }

    @Test
    void blockingCallStallsTheLoop() throws Exception {
        int blocked = ticksDuring(() -> {
            // region blocking-wrong
            Thread.sleep(300);          // WRONG: blocks the loop's thread; no other coroutine runs for 300 ms
            // endregion
            return null;
        });
        int offloaded = ticksDuring(() -> {
            // region blocking-fix
            ThreadPool.runInThread(() -> { Thread.sleep(300); return null; });   // on a worker; the loop runs on
            // endregion
            return null;
        });
        assertTrue(blocked <= 1, "the ticker ran while the loop was blocked: " + blocked);
        assertTrue(offloaded >= 10, "the ticker should tick while a worker blocks: " + offloaded);
    }

    /** A coroutine that blocks for 300 ms, in a JVM with the slow-step warning on. */
    static final class SlowStep {
        public static void main(String[] args) throws Exception {
            Xiio.run(() -> {
                Thread.sleep(300);
                return null;
            });
        }
    }

    @Test
    void theSlowStepWatchdogNamesTheCulprit() throws Exception {
        CompletedProcess child = Xiio.run(() -> Timeout.withTimeout(Duration.ofSeconds(30), () -> Subprocess.builder(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "--enable-native-access=ALL-UNNAMED", "--add-exports", "java.base/jdk.internal.vm=ALL-UNNAMED",
                "-XX:TieredStopAtLevel=1", "-Dxiio.slowStepMillis=100", "-cp", System.getProperty("java.class.path"),
                SlowStep.class.getName())
                .stdout(xiio.process.Redirect.PIPE).stderr(xiio.process.Redirect.PIPE).check(true).run()));
        String log = child.stderrText();
        assertTrue(log.contains("coroutine 'main' has run for") && log.contains("without suspending"), log);
        assertTrue(log.contains("SlowStep"), "the warning shows the stack of the blocking code: " + log);
    }

    /** Compiled, never run: it would hang the loop (see the guide). */
    @SuppressWarnings("unused")
    static void monitorAcrossASuspension(Object monitor, List<String> log) throws Exception {
        // region monitor-wrong
        synchronized (monitor) {             // WRONG: a monitor held across a suspension
            Xiio.sleep(Duration.ofMillis(10));
            log.add("written");
        }
        // endregion
    }

    @Test
    void aCoroutineLockAcrossASuspension() throws Exception {
        List<String> log = Xiio.run(() -> {
            List<String> out = new ArrayList<>();
            // region lock-fix
            Lock lock = new Lock();                  // held by a coroutine; waiting for it suspends
            TaskGroup.scope(group -> {
                for (String writer : List.of("a", "b")) {
                    group.spawn(writer, () -> lock.withLock(() -> {
                        out.add(writer + " begins");
                        Xiio.sleep(Duration.ofMillis(10));   // the other writer waits, the loop does not
                        out.add(writer + " ends");
                        return null;
                    }));
                }
                return null;
            });
            // endregion
            return out;
        });
        assertEquals(List.of("a begins", "a ends", "b begins", "b ends"), log);
    }

    static int attempts;

    /** Stands in for a request that fails after a while. */
    static void callFlakyService() throws IOException {
        attempts++;
        Xiio.sleep(Duration.ofMillis(100));
        throw new IOException("flaky");
    }

    @Test
    void swallowedCancellationKeepsGoing() throws Exception {
        attempts = 0;
        long t0 = System.nanoTime();
        assertThrows(TimeoutException.class, () -> Xiio.run(() -> Timeout.withTimeout(Duration.ofMillis(50), () -> {
            // region swallow-wrong
            for (int i = 0; i < 5; i++) {
                try {
                    callFlakyService();
                } catch (Throwable t) {           // WRONG: also catches the CancelledError of the timeout
                    System.err.println("retrying after " + t);
                }
            }
            // endregion
            return null;
        })));
        long wrongMillis = (System.nanoTime() - t0) / 1_000_000;
        assertEquals(5, attempts, "the loop went on after the timeout");
        assertTrue(wrongMillis >= 450, "all five attempts ran: " + wrongMillis + " ms");

        attempts = 0;
        long t1 = System.nanoTime();
        assertThrows(TimeoutException.class, () -> Xiio.run(() -> Timeout.withTimeout(Duration.ofMillis(50), () -> {
            // region swallow-fix
            for (int i = 0; i < 5; i++) {
                try {
                    callFlakyService();
                } catch (CancelledError e) {
                    throw e;                      // cancellation ends the loop
                } catch (Throwable t) {
                    System.err.println("retrying after " + t);
                }
            }
            // endregion
            return null;
        })));
        assertEquals(1, attempts);
        assertTrue((System.nanoTime() - t1) / 1_000_000 < 400);
    }
}
