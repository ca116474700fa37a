package xiio.bench.echo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import xiio.bench.BenchDir;

/**
 * The echo benchmark in smoke mode, whole: every server built or started for real,
 * pinned, loaded by the C load generator with every byte checked, counted by strace,
 * and rendered; so the benchmark cannot rot between full runs.
 */
class EchoBenchSmokeTest {
    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void everyServerEchoesEveryScenarioWithoutErrors() throws Exception {
        List<ProcessHandle> childrenBefore = ProcessHandle.current().children().toList();
        long pipesBefore = openPipesAndSockets();

        EchoBench.Outcome outcome = EchoBench.execute(new String[] {"--smoke"}, System.out);

        EchoResults results = outcome.results();
        for (Scenario s : Scenario.SMOKE) {
            for (EchoServerKind server : EchoServerKind.values()) {
                List<LoadResult> runs = results.runs(s, server);
                assertEquals(1, runs.size(), s.name() + " " + server.id + ": one run in smoke mode");
                LoadResult r = runs.getFirst();
                String what = s.name() + " " + server.id + ": " + r;
                assertNull(r.failure(), what);
                assertEquals(0, r.errors(), what);
                assertTrue(r.rtPerSec() > 0, what);
                assertTrue(r.serverCpuSec() >= 0, "server CPU time read from /proc: " + what);
                assertTrue(r.p50Us() > 0 && r.p50Us() <= r.p99Us() && r.p99Us() <= r.p999Us(), "percentiles in order: " + what);
            }
        }
        if (SyscallCounter.available()) {
            for (EchoServerKind server : EchoServerKind.values()) {
                SyscallCount c = results.syscalls(Scenario.SYSCALLS_SMOKE, server);
                assertNull(c.failure(), server.id + " syscall count");
                // on epoll an echo needs at least one read and one write per message; a ring
                // does those without system calls, so only "some" can be said of its count
                boolean ring = results.poller(server).usesIoUring();
                assertTrue(ring ? c.perRoundTrip() > 0 : c.perRoundTrip() >= 2, server.id + ": " + c);
            }
        }
        assertTrue(results.problems().isEmpty(), results.problems().toString());

        String markdown = Files.readString(outcome.file());
        assertEquals(outcome.markdown(), markdown);
        assertTrue(outcome.file().startsWith(BenchDir.locate().target()), "smoke output stays out of results/: " + outcome.file());
        assertTrue(markdown.startsWith("## TCP echo\n"), markdown);
        assertTrue(markdown.contains("### Targets"), markdown);
        // the C and Netty servers have no fallback: what they were asked for is what they hold
        assertTrue(results.poller(EchoServerKind.NETTY_URING).usesIoUring(), "Netty io_uring holds a ring");
        assertFalse(results.poller(EchoServerKind.C_EPOLL).usesIoUring(), "the C server holds no ring");
        for (EchoServerKind server : EchoServerKind.values()) assertTrue(markdown.contains("| " + server.label), server.label); // a row without its ring says so after the label
        assertFalse(markdown.contains("failed"), markdown);

        List<ProcessHandle> leftover = ProcessHandle.current().children().filter(p -> !childrenBefore.contains(p)).toList();
        assertTrue(leftover.isEmpty(), "child processes left behind: " + leftover);
        // the JDK's process reaper closes a child's pipes a moment after it exited
        long pipesAfter = openPipesAndSockets();
        for (int i = 0; i < 100 && pipesAfter > pipesBefore; i++) {
            Thread.sleep(20);
            pipesAfter = openPipesAndSockets();
        }
        assertEquals(pipesBefore, pipesAfter, "pipes and sockets left open by the runner");
    }

    private static long openPipesAndSockets() throws IOException {
        try (Stream<Path> fds = Files.list(Path.of("/proc/self/fd"))) {
            return fds.filter(fd -> {
                try {
                    String target = Files.readSymbolicLink(fd).toString();
                    return target.startsWith("pipe:") || target.startsWith("socket:");
                } catch (IOException closedWhileListing) {
                    return false;
                }
            }).count();
        }
    }
}
