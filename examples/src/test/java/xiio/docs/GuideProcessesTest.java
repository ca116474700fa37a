package xiio.docs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import xiio.concurrent.Timeout;
import xiio.core.Xiio;
import xiio.io.StreamReader;
import xiio.process.CompletedProcess;
import xiio.process.ExitStatus;
import xiio.process.ProcessFailedException;
import xiio.process.Redirect;
import xiio.process.Subprocess;

/** The examples of docs/guide-processes.md, with real child processes (LeakGuard checks none is left). */
class GuideProcessesTest {

    @Test
    void runAndCapture() throws Exception {
        String got = Xiio.run(() -> {
            // region run
            CompletedProcess uname = Subprocess.run("uname", "-s");
            String system = uname.check().stdoutText().strip();      // "Linux"
            // endregion
            return system;
        });
        assertEquals("Linux", got);
    }

    @Test
    void builderOptions(@TempDir Path dir) throws Exception {
        String got = Xiio.run(() -> {
            // region builder
            CompletedProcess p = Subprocess.builder("sh", "-c", "read name; echo \"$GREETING, $name\"; pwd")
                    .env("GREETING", "hello")
                    .directory(dir)
                    .input("world\n")                  // written to its stdin, which then ends
                    .stdout(Redirect.PIPE)
                    .check(true)                       // ProcessFailedException unless it exits with 0
                    .run();                            // p.stdoutText(): "hello, world\n" and the directory
            // endregion
            return p.stdoutText();
        });
        assertEquals("hello, world\n" + dir.toRealPath() + "\n", got);
    }

    @Test
    void failureNamesTheCommandAndStderr() throws Exception {
        String got = Xiio.run(() -> {
            // region check
            try {
                Subprocess.builder("sh", "-c", "echo 'no such table' >&2; exit 3")
                        .stderr(Redirect.PIPE).check(true).run();
                return "ok";
            } catch (ProcessFailedException e) {
                return e.getMessage();          // the command, "exited with code 3", and the end of stderr
            }
            // endregion
        });
        assertTrue(got.contains("exited with code 3") && got.contains("no such table"), got);
    }

    @Test
    void bothPipesAreReadConcurrently() throws Exception {
        CompletedProcess p = Xiio.run(() -> {
            // region megabytes
            // 4 MiB to stdout and 4 MiB to stderr: far beyond a 64 KiB pipe buffer,
            // and no deadlock, because both pipes are drained while the child runs
            CompletedProcess big = Subprocess.builder("sh", "-c",
                            "head -c 4194304 /dev/zero; head -c 4194304 /dev/zero >&2")
                    .stdout(Redirect.PIPE).stderr(Redirect.PIPE).run();
            // endregion
            return big;
        });
        assertEquals(4 << 20, p.stdout().length);
        assertEquals(4 << 20, p.stderr().length);
    }

    @Test
    void talkingThroughPipes() throws Exception {
        String got = Xiio.run(() -> {
            // region pipes
            try (Subprocess cat = Subprocess.builder("cat").stdin(Redirect.PIPE).stdout(Redirect.PIPE).start()) {
                byte[] hello = "hello\n".getBytes(StandardCharsets.UTF_8);
                cat.stdin().writeAll(hello, 0, hello.length);
                String echoed = new StreamReader(cat.stdout()).readLine(100);   // "hello"
                cat.stdin().close();                         // cat reads end of file and exits
                ExitStatus status = cat.waitFor();           // "exited with code 0"
                return echoed + ", " + status;
            }
            // endregion
        });
        assertEquals("hello, exited with code 0", got);
    }

    @Test
    void streamingOutputLineByLine() throws Exception {
        List<String> got = Xiio.run(() -> {
            List<String> lines = new ArrayList<>();
            // region stream
            try (Subprocess ticker = Subprocess.builder("sh", "-c", "for i in 1 2 3; do echo tick $i; sleep 0.05; done")
                    .stdout(Redirect.PIPE).start()) {
                StreamReader out = new StreamReader(ticker.stdout());
                for (String line; (line = out.readLine(1024)) != null; ) lines.add(line);   // as they come
                ticker.waitFor();
            }
            // endregion
            return lines;
        });
        assertEquals(List.of("tick 1", "tick 2", "tick 3"), got);
    }

    @Test
    void aTimeoutStopsTheProcess() throws Exception {
        long t0 = System.nanoTime();
        CompletedProcess got = Xiio.run(() -> {
            // region timeout
            CompletedProcess slow = Timeout.withTimeoutOrNull(Duration.ofMillis(200),
                    () -> Subprocess.run("sleep", "60"));   // null: SIGTERM, then reaped; no zombie left
            // endregion
            return slow;
        });
        assertNull(got);
        assertTrue(System.nanoTime() - t0 < Duration.ofSeconds(10).toNanos());
    }

    @Test
    void terminateAndKill() throws Exception {
        String got = Xiio.run(() -> {
            // region signal
            try (Subprocess server = Subprocess.builder("sleep", "60").terminationGrace(Duration.ofSeconds(2)).start()) {
                server.terminate();                          // SIGTERM through the pidfd: never a recycled pid
                ExitStatus status = server.waitFor();        // "killed by SIGTERM"; shellCode() is 143
                return status + " (" + status.shellCode() + ")";
            }                                                // close(): SIGTERM, SIGKILL after the grace, reap
            // endregion
        });
        assertEquals("killed by SIGTERM (143)", got);
    }

    @Test
    void redirects(@TempDir Path dir) throws Exception {
        Path log = dir.resolve("build.log");
        Xiio.run(() -> {
            // region redirect
            Subprocess.builder("sh", "-c", "echo out; echo err >&2")
                    .stdin(Redirect.NULL)
                    .stdout(Redirect.appendTo(log))
                    .stderr(Redirect.STDOUT)                // 2>&1
                    .check(true)
                    .run();
            // endregion
            return null;
        });
        assertEquals("out\nerr\n", Files.readString(log));
    }
}
