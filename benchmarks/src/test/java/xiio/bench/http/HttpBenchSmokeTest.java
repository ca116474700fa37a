package xiio.bench.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The HTTP benchmark in smoke mode, every server in every kind of scenario (the
 * two-loop row once the example has {@code --loops}), so it cannot rot: each must
 * serve, cold and warm, cleanly, and stop with status 0.
 */
class HttpBenchSmokeTest {
    @TempDir
    Path dir;

    @Test
    @Timeout(value = 150, unit = TimeUnit.SECONDS)
    void everyServerServesHelloPagesToWrkWithoutErrors() throws Exception {
        Wrk.requireInstalled(); // fails naming the Debian package when wrk is missing

        HttpBench bench = new HttpBench();
        Path report = dir.resolve("http.md");
        assertEquals(0, HttpBench.execute(bench, "--smoke", "--output", report.toString()), "the smoke run failed: see its output");

        for (BenchServer server : BenchServer.values()) {
            List<Measurement> ms = bench.measurements.stream().filter(m -> m.server() == server).toList();
            if (server == BenchServer.XIIO_2CPU_2LOOPS && ms.isEmpty()) continue; // skipped: an example without --loops
            assertEquals(HttpScenario.SMOKE.size(), ms.size(), server.id + " in every scenario");
            for (Measurement m : ms) {
                assertTrue(m.wrk().requests() > 0, m.toString());
                assertTrue(m.cold() != null && m.cold().requests() > 0, "cold run: " + m);
                assertTrue(m.clean(), m.toString());
                assertEquals(0, m.wrk().socketErrors(), m.toString());
                assertEquals(0, m.wrk().non2xx3xx(), m.toString());
                assertEquals(0, m.serverExitStatus(), m.toString());
                // /proc counts CPU in clock ticks (10 ms), and the thread's and the process's
                // counters are read one after the other: the thread's may be one tick ahead
                assertTrue(m.loopThreadCpuNanos() >= 0 && m.loopThreadCpuNanos() <= m.serverCpuNanos() + ProcCpu.NANOS_PER_TICK, m.toString());
            }
        }
        String md = Files.readString(report);
        assertTrue(md.startsWith("## HTTP (wrk)\n"), md);
        assertTrue(md.contains("### Targets on one core"), md);
        for (BenchServer server : BenchServer.values()) {
            if (!server.multiCore()) assertTrue(md.contains("| " + server.id + " |") || md.contains("| " + server.id + " ("), server.id);
        }
        assertTrue(bench.measurements.stream().filter(m -> m.server() == BenchServer.NETTY_URING).allMatch(m -> m.poller().usesIoUring()),
                "Netty's io_uring transport holds a ring");
    }
}
