package xiio.bench.http;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import xiio.bench.CpuPinning;
import xiio.bench.Executables;
import xiio.bench.PollerProbe;
import xiio.bench.ServerProcess;

/**
 * Carries out a {@link BenchPlan}: for each run, each scenario and each server,
 * starts a fresh server (pinned to CPU 0, or on both CPUs for the multi-core rows),
 * measures its cold start with wrk, warms it up, then measures with wrk while reading
 * the server's CPU time before and after. Runs go round all servers before repeating,
 * so a slow patch of a shared machine hits one figure of each pair, not both.
 */
final class BenchRunner {
    private final BenchPlan plan;
    private final CpuPinning pinning;
    private final Wrk wrk;
    private final Map<HttpScenario.Kind, Path> scripts = new HashMap<>();
    /** Servers left out of this run, and why (an example without {@code --loops}). */
    final List<String> skipped = new ArrayList<>();

    BenchRunner(BenchPlan plan, CpuPinning pinning) {
        this.plan = plan;
        this.pinning = pinning;
        this.wrk = new Wrk(pinning);
    }

    /** Every measurement of the plan; {@code progress} hears one line per measurement. */
    List<Measurement> runAll(Consumer<String> progress) throws IOException, InterruptedException {
        Wrk.requireInstalled();
        List<BenchServer> servers = runnable(progress);
        List<Measurement> all = new ArrayList<>();
        int total = plan.runs() * plan.scenarios().size() * servers.size(), done = 0;
        for (int run = 1; run <= plan.runs(); run++) {
            for (HttpScenario scenario : plan.scenarios()) {
                for (BenchServer server : servers) {
                    Measurement m = measure(server, scenario, run);
                    progress.accept(String.format("http [%d/%d] %-16s %-15s run %d: %,10.0f req/s  p99 %s  %6.2f us CPU/req"
                                    + " (loop %.2f)  cold %s%s%s", ++done, total, server.id, scenario.name(), run,
                            m.wrk().requestsPerSecond(), ResultTable.latency(m.wrk().p99Micros()), m.cpuMicrosPerRequest(),
                            m.loopMicrosPerRequest(), m.cold() == null ? "-" : String.format("%,.0f req/s", m.cold().requestsPerSecond()),
                            m.missedItsPoller() ? "  NO RING: " + m.poller() : "",
                            m.clean() ? "" : "  ERRORS " + m.wrk().socketErrors() + ", non-2xx " + m.wrk().non2xx3xx()
                                    + ", exit " + m.serverExitStatus()));
                    all.add(m);
                }
            }
        }
        return all;
    }

    /** The plan's servers less those this checkout cannot start: the two-loop row needs an example with {@code --loops}. */
    private List<BenchServer> runnable(Consumer<String> progress) throws IOException, InterruptedException {
        List<BenchServer> servers = new ArrayList<>();
        Boolean loops = null;
        for (BenchServer s : plan.servers()) {
            if (s.loops > 1) {
                if (loops == null) loops = exampleKnowsLoops();
                if (!loops) {
                    skipped.add("`" + s.id + "`: the http example of this checkout has no `--loops` option yet");
                    progress.accept("http: skipping " + s.id + ": the http example has no --loops option");
                    continue;
                }
            }
            servers.add(s);
        }
        return servers;
    }

    /** Whether {@code xiio.examples.Main http --help} lists {@code --loops}. */
    private static boolean exampleKnowsLoops() throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(BenchServer.XIIO_CONTINUATION.command().subList(0, BenchServer.XIIO_CONTINUATION.command().size() - 2));
        cmd.add("--help");
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectInput(Executables.NO_INPUT).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(30, TimeUnit.SECONDS)) p.destroyForcibly();
        return out.contains("--loops");
    }

    private WrkResult load(HttpScenario scenario, Duration length, String url, Path script, boolean multiCore)
            throws IOException, InterruptedException {
        WrkResult r = wrk.run(scenario.connections(), length, url, script, multiCore);
        return scenario.kind() == HttpScenario.Kind.PIPELINED ? r.withoutLatency() : r;
    }

    private Measurement measure(BenchServer server, HttpScenario scenario, int run) throws IOException, InterruptedException {
        var log = plan.logDir().resolve(server.id + "-" + scenario.name() + "-run" + run + ".log");
        Files.createDirectories(log.getParent());
        Path script = scripts.containsKey(scenario.kind()) ? scripts.get(scenario.kind()) : scenario.writeScript(plan.logDir());
        scripts.put(scenario.kind(), script);
        try (ServerProcess s = ServerProcess.start(server.id, pinned(server))) {
            try {
                String url = "http://127.0.0.1:" + s.port() + scenario.path(server);
                WrkResult cold = null;
                long coldCpu = 0;
                if (!plan.cold().isZero()) { // the JVM's first traffic: interpreter, JIT compiles, class loading
                    long before = ProcCpu.nanos(s.pid());
                    cold = load(scenario, plan.cold(), url, script, server.multiCore());
                    coldCpu = ProcCpu.nanos(s.pid()) - before;
                }
                if (!plan.warmup().isZero()) load(scenario, plan.warmup(), url, script, server.multiCore());
                long before = ProcCpu.nanos(s.pid());
                var threadsBefore = ProcCpu.threadNanos(s.pid());
                WrkResult result = load(scenario, plan.duration(), url, script, server.multiCore());
                long cpu = ProcCpu.nanos(s.pid()) - before;
                long loop = ProcCpu.busiestThreadNanos(threadsBefore, ProcCpu.threadNanos(s.pid()));
                PollerProbe poller = PollerProbe.of(s.pid());
                int status = s.stop();
                return new Measurement(server, scenario, run, result, cpu, loop, status, cold, coldCpu, poller);
            } finally {
                Files.writeString(log, s.output()); // the servers' output is kept per run, as BenchPlan.logDir says
            }
        }
    }

    private List<String> pinned(BenchServer server) {
        List<String> cmd = server.command(plan.serverJvmFlags());
        if (!pinning.enabled()) return cmd;
        List<String> pinned = new ArrayList<>(List.of("taskset", "-c",
                server.multiCore() ? CpuPinning.SERVER_CPU + "," + CpuPinning.LOADGEN_CPU : Integer.toString(CpuPinning.SERVER_CPU)));
        pinned.addAll(cmd);
        return pinned;
    }

    /** A one-core wrk command line as the report shows it, with placeholders. */
    String wrkCommandTemplate() {
        return String.join(" ", wrk.command(0, plan.duration(), "http://127.0.0.1:PORT/PATH", Path.of("SCRIPT.lua"), false))
                .replace("-c0", "-cC");
    }

    /** The multi-core rows' wrk command line. */
    String multiCoreWrkCommandTemplate() {
        return String.join(" ", wrk.command(0, plan.duration(), "http://127.0.0.1:PORT/PATH", Path.of("SCRIPT.lua"), true))
                .replace("-t0", "-t2").replace("-c0", "-cC");
    }
}
