package xiio.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import xiio.examples.support.ExampleProcess;
import xiio.examples.support.Tool;
import xiio.signal.Signal;

/** watch for real: into a pipe, and full-screen on a terminal that tmux provides and resizes. */
class WatchExampleTest {
    private static final Duration LIMIT = Duration.ofSeconds(20);

    @Test
    void notOnATerminalEachRunFollowsAHeader() throws Exception {
        long t0 = System.nanoTime();
        ExampleProcess.Result r = ExampleProcess.run(LIMIT, new byte[0], "watch", "-n", "200ms", "--count", "3", "--", "echo hi; exit 2");
        assertEquals(0, r.status(), r.toString());
        List<String> lines = r.stdout().lines().toList();
        assertEquals(6, lines.size(), r.stdout());
        for (int i = 0; i < 3; i++) {
            assertTrue(lines.get(2 * i).matches("=== Every 200 ms: echo hi; exit 2 \\(run " + (i + 1)
                    + ", \\d\\d:\\d\\d:\\d\\d, exited with code 2\\)"), lines.get(2 * i));
            assertEquals("hi", lines.get(2 * i + 1));
        }
        assertTrue(System.nanoTime() - t0 > 400_000_000L, "three runs 200 ms apart");
        assertTrue(!r.stdout().contains("\033"), "no escape sequences into a pipe");
    }

    @Test
    void ctrlCEndsItCleanly() throws Exception {
        try (ExampleProcess p = ExampleProcess.start("watch", "-n", "30s", "echo", "still", "here")) {
            p.awaitLine("^still here$");
            p.signal(Signal.SIGINT);
            assertEquals(130, p.waitFor(LIMIT), "128 + SIGINT, as every example\n" + p.describe());
        }
    }

    /** tmux on a socket of its own, killed at the end whatever happens. */
    private static final class Tmux implements AutoCloseable {
        final String socket = "xiio-watch-test-" + ProcessHandle.current().pid() + "-" + System.nanoTime();

        Tool.Result run(String... args) throws Exception {
            String[] cmd = new String[args.length + 3];
            cmd[0] = "tmux";
            cmd[1] = "-L";
            cmd[2] = socket;
            System.arraycopy(args, 0, cmd, 3, args.length);
            return Tool.run(LIMIT, cmd);
        }

        String screen() throws Exception {
            return run("capture-pane", "-p", "-t", "w").stdout();
        }

        /** Polls the screen until {@code test} holds; fails after 20 s with the last screen. */
        String awaitScreen(Predicate<String> test, String what) throws Exception {
            long deadline = System.nanoTime() + LIMIT.toNanos();
            String s = "";
            while (System.nanoTime() < deadline) {
                s = screen();
                if (test.test(s)) return s;
                Thread.sleep(100);
            }
            throw new AssertionError("the screen never showed " + what + ":\n" + s);
        }

        @Override
        public void close() throws Exception {
            run("kill-server");
        }
    }

    @Test
    void onATerminalItDrawsFullScreenAndRedrawsOnResize(@TempDir Path dir) throws Exception {
        String java = ExampleProcess.javaCommand("watch", "-n", "60s", "--", "echo hello; seq 1 50").stream()
                .map(a -> "'" + a.replace("'", "'\\''") + "'").collect(Collectors.joining(" "));
        Path status = dir.resolve("status");
        // The shell outlives Ctrl-C (a trap, not an ignore: an ignored SIGINT would be inherited by
        // the JVM, which then keeps it ignored) and writes down the exit status; tmux's own
        // pane_dead_status proved unreliable (it sometimes leaves the pane's process unreaped).
        String script = "trap true INT; " + java + "; echo \"exit=$?\" > '" + status + "'";
        try (Tmux tmux = new Tmux()) {
            Tool.Result started = tmux.run("-f", "/dev/null", "new-session", "-d", "-x", "80", "-y", "24", "-s", "w", script);
            assertEquals(0, started.status(), started.stderr());

            String screen = tmux.awaitScreen(s -> s.contains("hello"), "the first run");
            List<String> rows = screen.lines().toList();
            assertTrue(rows.get(0).matches("Every 60 s: echo hello; seq 1 50 +run 1, \\d\\d:\\d\\d:\\d\\d"), rows.get(0));
            assertEquals(80, rows.get(0).length(), "the stamp is right-aligned to 80 columns");
            assertEquals("hello", rows.get(2));
            assertEquals("21", rows.get(23), "cut to 24 rows: header, blank line, 22 lines of output");

            // a resize sends the program SIGWINCH; it redraws (still run 1: no new run) to the new size
            tmux.run("resize-window", "-t", "w", "-x", "100", "-y", "30");
            screen = tmux.awaitScreen(s -> s.lines().findFirst().orElse("").length() == 100, "a redraw at 100 columns");
            rows = screen.lines().toList();
            assertTrue(rows.get(0).matches("Every 60 s: echo hello; seq 1 50 +run 1, \\d\\d:\\d\\d:\\d\\d"), rows.get(0));
            assertEquals("27", rows.get(29), "cut to 30 rows");

            tmux.run("send-keys", "-t", "w", "C-c"); // the terminal sends SIGINT to the foreground process group
            tmux.awaitScreen(s -> !s.contains("Every 60 s"), "the main screen back after Ctrl-C");
            long end = System.nanoTime() + LIMIT.toNanos();
            String written = "";
            while (!written.endsWith("\n") && System.nanoTime() < end) {
                Thread.sleep(50);
                if (Files.exists(status)) written = Files.readString(status);
            }
            assertEquals("exit=130", written.strip(), "the exit status of watch after Ctrl-C: 128 + SIGINT");
        }
    }
}
