package xiio.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import xiio.examples.support.ExampleProcess;
import xiio.signal.Signal;

/** parallel for real: real shells, real pipes, real signals. */
class ParallelExampleTest {
    private static final Duration LIMIT = Duration.ofSeconds(30);

    private static ExampleProcess.Result parallel(String commands, String... args) throws Exception {
        return ExampleProcess.run(LIMIT, commands.getBytes(StandardCharsets.UTF_8), "parallel", List.of(args));
    }

    private static double wallSeconds(String stderr) {
        return ExampleProcess.secondsAfter("not run in", stderr);
    }

    @Test
    void outputIsPrefixedByJobAndASummaryFollows() throws Exception {
        ExampleProcess.Result r = parallel("""
                echo one; sleep 0.2; echo two
                # a comment, and an empty line

                echo to stderr >&2
                exit 3
                printf 'no newline at the end'
                kill -9 $$
                """, "-j", "2");
        assertEquals(1, r.status(), r.toString());
        List<String> out = r.stdout().lines().toList();
        assertTrue(out.indexOf("[1] one") >= 0 && out.indexOf("[1] one") < out.indexOf("[1] two"), r.stdout());
        assertTrue(out.contains("[4] no newline at the end"), r.stdout());
        assertEquals(3, out.size(), r.stdout());
        String err = r.stderr();
        assertTrue(err.contains("[2] to stderr\n"), err);
        assertTrue(err.contains("parallel: 5 jobs, 2 at a time: 3 ok, 2 failed, 0 cancelled, 0 not run in "), err);
        assertTrue(Pattern.compile("\\[1] ok +0\\.\\d\\d s  echo one; sleep 0.2; echo two").matcher(err).find(), err);
        assertTrue(Pattern.compile("\\[3] exit 3 +\\d\\.\\d\\d s  exit 3").matcher(err).find(), err);
        assertTrue(err.contains("[5] killed by SIGKILL"), err);
    }

    @Test
    void atMostJJobsRunAtOnceAndCommandsComeFromAFile(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("jobs.txt");
        Files.writeString(file, "sleep 0.4\n".repeat(6));
        ExampleProcess.Result r = ExampleProcess.run(LIMIT, new byte[0], "parallel", "-j", "3", file.toString());
        assertEquals(0, r.status(), r.toString());
        assertTrue(r.stderr().contains("6 jobs, 3 at a time: 6 ok"), r.stderr());
        double wall = wallSeconds(r.stderr());
        // two rounds of 0.4 s: at least 0.8 s (3 at a time), well under 2.4 s (one at a time)
        assertTrue(wall >= 0.8 && wall < 2.0, "6 x 0.4 s, 3 at a time, took " + wall + " s");
    }

    @Test
    void failFastStopsTheOthersAndStartsNoMore() throws Exception {
        long t0 = System.nanoTime();
        ExampleProcess.Result r = parallel("sleep 20\nsleep 0.3; exit 4\necho never\n", "-j", "2", "--fail-fast");
        assertTrue(System.nanoTime() - t0 < 10_000_000_000L, "did not wait for sleep 20");
        assertEquals(1, r.status(), r.toString());
        assertEquals("", r.stdout(), "job 3 never ran");
        assertTrue(r.stderr().contains("3 jobs, 2 at a time: 0 ok, 1 failed, 1 cancelled, 1 not run"), r.stderr());
        assertTrue(Pattern.compile("\\[1] cancelled .* sleep 20").matcher(r.stderr()).find(), r.stderr());
        assertTrue(r.stderr().contains("[3] not run"), r.stderr());
    }

    @Test
    void ctrlCStopsEveryJobAndExitsWith130() throws Exception {
        try (ExampleProcess p = ExampleProcess.start("parallel", "-j", "2")) {
            // stdin stays open: the reader is still waiting for commands when the signal comes
            p.stdin().write("echo pid $$; exec sleep 30\necho pid $$; exec sleep 30\nsleep 30\n".getBytes(StandardCharsets.UTF_8));
            p.stdin().flush();
            long pid1 = Long.parseLong(p.awaitLine("^\\[1] pid (\\d+)$").group(1));
            long pid2 = Long.parseLong(p.awaitLine("^\\[2] pid (\\d+)$").group(1));
            p.signal(Signal.SIGINT);
            assertEquals(130, p.waitFor(LIMIT), p.describe());
            assertTrue(p.stderr().contains("3 jobs, 2 at a time: 0 ok, 0 failed, 2 cancelled, 1 not run"), p.describe());
            assertTrue(ProcessHandle.of(pid1).isEmpty() && ProcessHandle.of(pid2).isEmpty(), "the sleeps are gone");
        }
    }
}
