package xiio.process;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import xiio.concurrent.Task;
import xiio.concurrent.TaskGroup;
import xiio.concurrent.Timeout;
import xiio.core.Xiio;
import xiio.io.ByteStream;
import xiio.support.Children;
import xiio.support.NoChildLeft;
import xiio.unix.sys.Constants;

/** A started Subprocess: interactive pipes, waiting, signals, and termination on close and cancellation. */
@ExtendWith(NoChildLeft.class)
class SubprocessLifecycleTest {
    static List<String> sh(String script) {
        return List.of("sh", "-c", script);
    }

    /** Reads until a newline (or end of stream) and returns the line without it. */
    static String readLine(ByteStream in) throws Exception {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        byte[] one = new byte[1];
        while (in.read(one, 0, 1) == 1 && one[0] != '\n') line.write(one[0]);
        return line.toString(StandardCharsets.UTF_8);
    }

    static void writeLine(ByteStream out, String s) throws Exception {
        byte[] b = (s + "\n").getBytes(StandardCharsets.UTF_8);
        out.writeAll(b, 0, b.length);
    }

    @Test
    void interactiveCat() throws Exception {
        ExitStatus status = Xiio.run(() -> {
            try (Subprocess cat = Subprocess.builder("cat").stdin(Redirect.PIPE).stdout(Redirect.PIPE).start()) {
                for (String word : List.of("one", "two", "three")) {
                    writeLine(cat.stdin(), word);
                    assertEquals(word, readLine(cat.stdout()), "cat echoes each line while it runs");
                }
                assertTrue(cat.isAlive());
                cat.stdin().close(); // end of file: cat exits
                assertEquals(-1, cat.stdout().read(new byte[1], 0, 1));
                return cat.waitFor();
            }
        });
        assertEquals(ExitStatus.exited(0), status);
    }

    @Test
    void cancelledMidOutputTheChildIsTerminatedAndReaped() throws Exception {
        Subprocess[] yes = new Subprocess[1];
        long[] received = new long[1];
        Object result = Xiio.run(() -> Timeout.withTimeoutOrNull(Duration.ofMillis(200), () -> {
            try (Subprocess p = Subprocess.builder("yes").stdout(Redirect.PIPE).start()) {
                yes[0] = p;
                byte[] buf = new byte[65536];
                for (int n; (n = p.stdout().read(buf, 0, buf.length)) > 0; ) received[0] += n;
                return "end of output";
            }
        }));
        assertNull(result, "the timeout cancelled the read");
        assertTrue(received[0] > 0, "output arrived before the cancellation");
        ExitStatus status = Xiio.run(() -> yes[0].exitStatus().orElseThrow());
        // closing our read end first may let SIGPIPE win the race with SIGTERM
        assertTrue(status.signal() == Constants.SIGTERM || status.signal() == Constants.SIGPIPE, status.toString());
    }

    @Test
    void aCancelledRunTerminatesItsChild() throws Exception {
        long start = System.nanoTime();
        Object r = Xiio.run(() -> Timeout.withTimeoutOrNull(Duration.ofMillis(100), () -> Subprocess.run("sleep", "100")));
        assertNull(r);
        assertTrue(System.nanoTime() - start < TimeUnit.SECONDS.toNanos(4), "SIGTERM stopped sleep long before its grace ran out");
    }

    @Test
    void aChildThatIgnoresSigtermIsKilledAfterTheGracePeriod() throws Exception {
        // dash forks `sleep` rather than exec it, so the sleep is a grandchild: a new
        // process group lets the final SIGKILL reach it too (SIGTERM is ignored by both)
        Subprocess[] held = new Subprocess[1];
        int[] grandchild = new int[1];
        long[] closeNanos = new long[1];
        Xiio.run(() -> {
            try (Subprocess p = Subprocess.builder(sh("trap '' TERM; echo ready; sleep 100"))
                    .stdout(Redirect.PIPE).newProcessGroup(true).terminationGrace(Duration.ofMillis(300)).start()) {
                held[0] = p;
                assertEquals("ready", readLine(p.stdout()));
                grandchild[0] = awaitChildOf(p.pid());
                p.terminate(); // ignored
                Xiio.sleep(Duration.ofMillis(50));
                assertTrue(p.isAlive());
                closeNanos[0] = System.nanoTime();
            }
            closeNanos[0] = System.nanoTime() - closeNanos[0];
            return null;
        });
        assertTrue(closeNanos[0] >= TimeUnit.MILLISECONDS.toNanos(250), "close waited the grace period: " + closeNanos[0]);
        assertTrue(closeNanos[0] < TimeUnit.SECONDS.toNanos(5), "then SIGKILL: " + closeNanos[0]);
        assertEquals(ExitStatus.killed(Constants.SIGKILL, false), Xiio.run(() -> held[0].exitStatus().orElseThrow()));
        assertDead(grandchild[0]);
    }

    /** The pid of the first child of {@code pid}, waiting for it to appear. */
    private static int awaitChildOf(int pid) throws Exception {
        Path children = Path.of("/proc", String.valueOf(pid), "task", String.valueOf(pid), "children");
        for (int attempt = 0; attempt < 200; attempt++) {
            String text = Files.readString(children).trim();
            if (!text.isEmpty()) return Integer.parseInt(text.split("\\s+")[0]);
            Xiio.sleep(Duration.ofMillis(10));
        }
        throw new AssertionError("pid " + pid + " started no child");
    }

    /** Fails unless {@code pid} is gone or a zombie (an orphan's zombie belongs to init, which may be slow to reap). */
    private static void assertDead(int pid) throws Exception {
        Path stat = Path.of("/proc", String.valueOf(pid), "stat");
        for (int attempt = 0; attempt < 200; attempt++) {
            String text;
            try {
                text = Files.readString(stat);
            } catch (NoSuchFileException gone) {
                return;
            }
            char state = text.charAt(text.lastIndexOf(')') + 2);
            if (state == 'Z' || state == 'X') return;
            Thread.sleep(10);
        }
        throw new AssertionError("pid " + pid + " still runs: " + Files.readString(stat));
    }

    @Test
    void cancellingTheGraceWaitKillsAtOnce() throws Exception {
        long start = System.nanoTime();
        Subprocess[] held = new Subprocess[1];
        Xiio.run(() -> Timeout.withTimeoutOrNull(Duration.ofMillis(300), () -> {
            try (Subprocess p = Subprocess.builder(sh("trap '' TERM; echo ready; exec sleep 100"))
                    .stdout(Redirect.PIPE).terminationGrace(Duration.ofSeconds(30)).start()) {
                held[0] = p;
                return readLine(p.stdout()); // then close() waits for the grace period, and the timeout cancels that
            }
        }));
        long elapsed = System.nanoTime() - start;
        assertTrue(elapsed < TimeUnit.SECONDS.toNanos(5), "did not wait out the 30 s grace period: " + elapsed);
        // a background thread reaps it (NoChildLeft checks) and records how it ended
        for (int i = 0; i < 200 && held[0].exitStatus().isEmpty(); i++) Thread.sleep(10);
        assertEquals(ExitStatus.killed(Constants.SIGKILL, false), held[0].exitStatus().orElseThrow());
    }

    @Test
    void aHundredProcessesAtOnce() throws Exception {
        List<String> outputs = Xiio.run(() -> TaskGroup.scope(g -> {
            List<Task<CompletedProcess>> tasks = new ArrayList<>();
            for (int i = 0; i < 100; i++) {
                String script = "sleep 0.2; echo " + i;
                tasks.add(g.spawn("process " + i, () -> Subprocess.run(sh(script))));
            }
            List<String> out = new ArrayList<>();
            for (Task<CompletedProcess> t : tasks) out.add(t.join().check().stdoutText().trim());
            return out;
        }));
        for (int i = 0; i < 100; i++) assertEquals(String.valueOf(i), outputs.get(i));
    }

    @Test
    void killAndTerminateReportTheSignal() throws Exception {
        Xiio.run(() -> {
            try (Subprocess p = Subprocess.builder("sleep", "100").start()) {
                p.kill();
                assertEquals(ExitStatus.killed(Constants.SIGKILL, false), p.waitFor());
                p.kill(); // after reaping: nothing to signal, no error
            }
            try (Subprocess p = Subprocess.builder("sleep", "100").start()) {
                p.terminate();
                assertEquals("killed by SIGTERM", p.waitFor().toString());
            }
            return null;
        });
    }

    @Test
    void severalCoroutinesMayWaitForTheSameProcess() throws Exception {
        List<ExitStatus> statuses = Xiio.run(() -> {
            try (Subprocess p = Subprocess.builder(sh("sleep 0.1; exit 7")).start()) {
                return TaskGroup.gather(p::waitFor, p::waitFor, p::waitFor);
            }
        });
        assertEquals(List.of(ExitStatus.exited(7), ExitStatus.exited(7), ExitStatus.exited(7)), statuses);
    }

    @Test
    void closingAFinishedProcessSendsNoSignal() throws Exception {
        Subprocess[] held = new Subprocess[1];
        Xiio.run(() -> {
            try (Subprocess p = Subprocess.builder("true").start()) {
                held[0] = p;
                Xiio.sleep(Duration.ofMillis(100)); // it exits meanwhile, unreaped
            }
            return null;
        });
        assertEquals(ExitStatus.exited(0), Xiio.run(() -> held[0].exitStatus().orElseThrow()));
    }

    @Test
    void streamsThatAreNotPipesSaySo() throws Exception {
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> Xiio.run(() -> {
            try (Subprocess p = Subprocess.builder("true").start()) {
                return p.stdout();
            }
        }));
        assertEquals("stdout of [true] is not a pipe: start it with .stdout(Redirect.PIPE)", e.getMessage());
        UnsupportedOperationException u = assertThrows(UnsupportedOperationException.class, () -> Xiio.run(() -> {
            try (Subprocess p = Subprocess.builder("cat").stdin(Redirect.PIPE).stdout(Redirect.NULL).start()) {
                return p.stdin().read(new byte[1], 0, 1);
            }
        }));
        assertTrue(u.getMessage().contains("is write-only"), u.getMessage());
    }

    @Test
    void coexistsWithTheJdksOwnProcessReaper() throws Exception {
        // the JDK reaps the processes it starts with waitpid(pid), never waitpid(-1)
        Process jdk = new ProcessBuilder("sh", "-c", "sleep 0.2; exit 9").start();
        ExitStatus ours = Xiio.run(() -> {
            try (Subprocess p = Subprocess.builder(sh("sleep 0.3; exit 5")).start()) {
                return p.waitFor();
            }
        });
        assertEquals(ExitStatus.exited(5), ours);
        assertEquals(9, jdk.waitFor());
        assertFalse(jdk.isAlive());
    }

    @Test
    void pidIsTheChildsAndUniqueWhileItRuns() throws Exception {
        Xiio.run(() -> {
            try (Subprocess a = Subprocess.builder("sleep", "10").start();
                 Subprocess b = Subprocess.builder("sleep", "10").start()) {
                assertTrue(a.pid() > 0 && b.pid() > 0 && a.pid() != b.pid());
                assertTrue(Children.list().containsKey(a.pid()));
                assertTrue(Children.list().containsKey(b.pid()));
            }
            return null;
        });
    }
}
