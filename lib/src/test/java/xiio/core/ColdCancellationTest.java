package xiio.core;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import xiio.concurrent.TaskGroup;

/**
 * The first mass cancellation in a fresh JVM must not deoptimize once per suspended
 * coroutine (issue 12, defect 5). A child JVM runs a short warm run, then 20,000
 * sleeping tasks, a mass timeout and an fd closed under as many waiters, with
 * {@code -Xlog:deoptimization=debug}; we count traps in the library's own frames.
 * Before {@link JitWarmUp} there was one {@code unstable_if} in
 * {@code Coroutine.yieldToResumer} per task. The time it saves is measured by
 * {@code ./xiio bench core}; this counts, so it does not depend on the machine.
 */
class ColdCancellationTest {
    private static final int TASKS = 20_000;

    /** The child: a service that runs briefly, then shuts down everything at once. */
    public static void main(String[] args) throws Exception {
        Xiio.run(() -> null); // the service starts: the first run of the JVM
        Thread.sleep(300);    // and serves a while
        Xiio.run(() -> {
            TaskGroup.scope(g -> {
                for (int i = 0; i < TASKS; i++) g.spawn(() -> {
                    Xiio.sleep(Duration.ofDays(1));
                    return null;
                });
                g.spawn(() -> {
                    Xiio.sleep(Duration.ofMillis(50));
                    g.cancel();
                    return null;
                });
                return null;
            });
            TaskGroup.scope(g -> {
                long deadline = Xiio.nanoTime() + Duration.ofMillis(100).toNanos();
                for (int i = 0; i < TASKS; i++) g.spawn(() -> CancelScope.openUntil(deadline, s -> {
                    Xiio.sleep(Duration.ofDays(1));
                    return null;
                }));
                return null;
            });
            try (xiio.io.Pipe pipe = xiio.io.Pipe.open()) {
                int fd = pipe.reader().fd();
                TaskGroup.scope(g -> {
                    for (int i = 0; i < TASKS; i++) g.spawn(() -> {
                        try {
                            Xiio.await(Condition.readable(fd));
                        } catch (java.io.IOException closedUnderUs) {
                            // what every waiter gets when the fd is closed
                        }
                        return null;
                    });
                    g.spawn(() -> {
                        Xiio.sleep(Duration.ofMillis(50));
                        pipe.reader().close();
                        return null;
                    });
                    return null;
                });
            }
            return null;
        });
        System.out.println("child done");
    }

    @Test
    void theFirstMassCancellationDoesNotDeoptimizeOncePerTask() throws Exception {
        String javaBin = java.nio.file.Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process p = new ProcessBuilder(javaBin, "--enable-native-access=ALL-UNNAMED",
                "--add-exports", "java.base/jdk.internal.vm=ALL-UNNAMED", "-Dxiio.backend=" + Xiio.run(Xiio::backend),
                "-Xlog:deoptimization=debug", "-cp", System.getProperty("java.class.path"),
                ColdCancellationTest.class.getName())
                .redirectErrorStream(true).start();
        long libraryTraps = 0;
        boolean done = false;
        try (var lines = p.inputReader().lines()) {
            for (String line : (Iterable<String>) lines::iterator) {
                // this class is in xiio.core too, but its own frames are not the library's: its
                // waiters' catch, compiled as unreached before the close, may trap once per task
                boolean library = line.contains(" xiio.core.") && !line.contains(" xiio.core.ColdCancellationTest");
                if (line.contains("[deoptimization]") && library) libraryTraps++;
                if (line.equals("child done")) done = true;
            }
        }
        assertTrue(p.waitFor(120, TimeUnit.SECONDS), "the child ended");
        assertTrue(done && p.exitValue() == 0, "the child ran to the end");
        assertTrue(libraryTraps < TASKS / 20, libraryTraps + " deoptimizations in xiio.core frames for "
                + TASKS + " tasks cancelled, " + TASKS + " timed out and " + TASKS + " failed by a close;"
                + " before the warm-up it was one per task");
    }
}
