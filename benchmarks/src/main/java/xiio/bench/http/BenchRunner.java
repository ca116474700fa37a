package xiio.bench.http;

import java.io.IOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import xiio.bench.CpuPinning;
import xiio.bench.ServerProcess;

/**
 * Carries out a {@link BenchPlan}: for each run, each connection count and each
 * server, starts a fresh server pinned to CPU 0, warms it up with wrk, then measures
 * with wrk pinned to CPU 1 while reading the server's CPU time before and after.
 * Runs go round all servers before repeating, so a slow patch of a shared machine
 * hits one figure of each pair, not both.
 */
final class BenchRunner {
    private final BenchPlan plan;
    private final CpuPinning pinning;
    private final Wrk wrk;

    BenchRunner(BenchPlan plan, CpuPinning pinning) {
        this.plan = plan;
        this.pinning = pinning;
        this.wrk = new Wrk(pinning);
    }

    /** Every measurement of the plan; {@code progress} hears one line per measurement. */
    List<Measurement> runAll(Consumer<String> progress) throws IOException, InterruptedException {
        Wrk.requireInstalled();
        List<Measurement> all = new ArrayList<>();
        for (int run = 1; run <= plan.runs(); run++) {
            for (int c : plan.connections()) {
                for (BenchServer server : plan.servers()) {
                    Measurement m = measure(server, c, run);
                    progress.accept(String.format("%-12s c=%-4d run %d: %,10.0f req/s  p50 %s  p99 %s  %6.2f us CPU/req (loop thread %.2f)%s",
                            server.id, c, run, m.wrk().requestsPerSecond(), ResultTable.latency(m.wrk().p50Micros()),
                            ResultTable.latency(m.wrk().p99Micros()), m.cpuMicrosPerRequest(), m.loopMicrosPerRequest(),
                            m.wrk().clean() ? "" : "  ERRORS " + m.wrk().socketErrors() + ", non-2xx " + m.wrk().non2xx3xx()));
                    all.add(m);
                }
            }
        }
        return all;
    }

    private Measurement measure(BenchServer server, int connections, int run) throws IOException, InterruptedException {
        var log = plan.logDir().resolve(server.id + "-c" + connections + "-run" + run + ".log");
        Files.createDirectories(log.getParent());
        try (ServerProcess s = ServerProcess.start(server.id, pinning.pin(CpuPinning.SERVER_CPU, server.command()))) {
            try {
                String url = "http://127.0.0.1:" + s.port() + "/";
                wrk.run(connections, plan.warmup(), url); // JIT, class loading, buffer pools: not what we measure
                long before = ProcCpu.nanos(s.pid());
                var threadsBefore = ProcCpu.threadNanos(s.pid());
                WrkResult result = wrk.run(connections, plan.duration(), url);
                long cpu = ProcCpu.nanos(s.pid()) - before;
                long loop = ProcCpu.busiestThreadNanos(threadsBefore, ProcCpu.threadNanos(s.pid()));
                int status = s.stop();
                return new Measurement(server, connections, run, result, cpu, loop, status);
            } finally {
                Files.writeString(log, s.output()); // the servers' output is kept per run, as BenchPlan.logDir says
            }
        }
    }

    /** A wrk command line as the report shows it, with placeholders. */
    String wrkCommandTemplate() {
        return String.join(" ", wrk.command(0, plan.duration(), "http://127.0.0.1:PORT/")).replace("-c0", "-cC");
    }
}
