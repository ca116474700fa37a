package xiio.bench.echo;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import xiio.bench.BenchDir;
import xiio.bench.CpuPinning;
import xiio.bench.MachineInfo;
import xiio.bench.PollerProbe;
import xiio.bench.ServerProcess;

/**
 * The TCP echo benchmark: xiio-java on both coroutine backends and on both pollers
 * (epoll, io_uring) against Netty (epoll, io_uring and NIO, one event loop thread),
 * JDK virtual threads and a C epoll server, side by side in one run. Every measurement gets a fresh server process pinned to one core
 * and the C load generator pinned to the other; the markdown lands in
 * benchmarks/results/echo.md and on stdout.
 *
 * <pre>./xiio bench echo [--smoke] [--duration 5] [--runs 2] [--servers ...] [--scenarios ...]</pre>
 */
public final class EchoBench {
    private final EchoOptions options;
    private final BenchDir dir;
    private final CpuPinning pinning = CpuPinning.detect();
    private final PrintStream progress;
    private final long started = System.nanoTime();
    private final String loadAtStart = EchoReport.loadAverage();

    EchoBench(EchoOptions options, BenchDir dir, PrintStream progress) {
        this.options = options;
        this.dir = dir;
        this.progress = progress;
    }

    public static void main(String[] args) throws Exception {
        System.exit(run(args));
    }

    /** Runs the benchmark, prints the markdown; the exit status: 1 if any measurement failed. */
    public static int run(String[] args) throws Exception {
        Outcome outcome = execute(args, System.err);
        if (outcome == null) return 0; // --help
        System.out.print(outcome.markdown());
        System.out.flush();
        return outcome.results().problems().isEmpty() ? 0 : 1;
    }

    /** What a run measured and the markdown it wrote to {@code file}. */
    record Outcome(EchoResults results, String markdown, Path file) {}

    /** Parses {@code args}, measures, writes the markdown; null for --help. */
    static Outcome execute(String[] args, PrintStream progress) throws IOException, InterruptedException {
        BenchDir dir = BenchDir.locate();
        EchoOptions options = EchoOptions.parse(args, dir);
        if (options == null) return null;
        return new EchoBench(options, dir, progress).runAll();
    }

    Outcome runAll() throws IOException, InterruptedException {
        Path cServer = NativeTools.build(dir, "echo_server");
        LoadGen loadGen = new LoadGen(NativeTools.build(dir, "loadgen"), pinning);
        if (!pinning.enabled()) progress.println("echo: " + pinning.note());
        EchoResults results = new EchoResults();
        List<Scenario> syscallScenarios = options.syscallScenarios();
        String syscallNote = syscallScenarios.isEmpty() || SyscallCounter.available() ? ""
                : "strace is not installed (package strace): no syscall count.";
        boolean counting = !syscallScenarios.isEmpty() && syscallNote.isEmpty();
        int total = options.scenarios().size() * options.runs() * options.servers().size()
                + (counting ? syscallScenarios.size() * options.servers().size() : 0);
        int done = 0;
        for (Scenario s : options.scenarios()) {
            for (int run = 1; run <= options.runs(); run++) {
                // servers interleaved within a run, so a slow drift of the machine hits all alike
                for (EchoServerKind server : options.servers()) {
                    LoadResult r = measure(server, cServer, loadGen, s, results);
                    results.add(s, server, r);
                    progress.println(String.format(Locale.ROOT, "echo %s [%d/%d] %s run %d %s: %s", elapsed(), ++done, total,
                            s.name(), run, server.id, describe(r)));
                }
            }
        }
        for (Scenario s : counting ? syscallScenarios : List.<Scenario>of()) {
            for (EchoServerKind server : options.servers()) {
                SyscallCount c = countSyscalls(server, cServer, loadGen, s);
                results.addSyscalls(s, server, c);
                progress.println(String.format(Locale.ROOT, "echo %s [%d/%d] %s syscalls %s: %s", elapsed(), ++done, total,
                        s.name(), server.id,
                        c.failure() != null ? "FAILED " + c.failure() : String.format(Locale.ROOT, "%.2f per round trip", c.perRoundTrip())));
            }
        }
        String markdown = EchoReport.render(options, results, MachineInfo.current(), pinning, syscallNote, loadAtStart);
        Files.createDirectories(options.output().getParent());
        Files.writeString(options.output(), markdown);
        progress.println("echo: wrote " + options.output());
        return new Outcome(results, markdown, options.output());
    }

    /** One window against a fresh server, which must then stop cleanly; notes which poller its fds show. */
    private LoadResult measure(EchoServerKind kind, Path cServer, LoadGen loadGen, Scenario s, EchoResults results)
            throws InterruptedException {
        try (ServerProcess server = ServerProcess.start(kind.id, pinned(kind, cServer))) {
            LoadResult r = loadGen.run(server.port(), server.pid(), s, options.warmup(), options.duration());
            results.addPoller(kind, PollerProbe.of(server.pid())); // after the load: the JDK makes its epoll fd lazily
            int status = server.stop();
            if (status != 0) r = r.withFailure("server exit status " + status + " after SIGTERM: " + server.describe());
            return r;
        } catch (IOException e) {
            return LoadResult.failed(e.getMessage());
        }
    }

    private SyscallCount countSyscalls(EchoServerKind kind, Path cServer, LoadGen loadGen, Scenario s)
            throws InterruptedException {
        try (ServerProcess server = ServerProcess.start(kind.id, pinned(kind, cServer))) {
            SyscallCount c = SyscallCounter.measure(server, loadGen, s, options.syscallWarmup(), options.syscallDuration(),
                    options.syscallMinRoundTrips());
            server.stop();
            return c;
        } catch (IOException e) {
            return SyscallCount.failed(e.getMessage());
        }
    }

    private List<String> pinned(EchoServerKind kind, Path cServer) {
        List<String> cmd = new ArrayList<>(pinning.prefix(CpuPinning.SERVER_CPU));
        cmd.addAll(kind.command(cServer, options.serverJvmFlags()));
        return cmd;
    }

    private String elapsed() {
        long s = (System.nanoTime() - started) / 1_000_000_000L;
        return String.format(Locale.ROOT, "%d:%02d", s / 60, s % 60);
    }

    private static String describe(LoadResult r) {
        String figures = String.format(Locale.ROOT, "%,.0f rt/s, p99 %.1f µs, server %.2f µs CPU/rt, load gen CPU %.0f%%",
                r.rtPerSec(), r.p99Us(), r.serverCpuUsPerRt(), r.windowSec() > 0 ? 100 * r.clientCpuSec() / r.windowSec() : 0);
        if (r.ok()) return figures;
        return "FAILED " + (r.failure() != null ? r.failure() : r.errors() + " errors") + " (" + figures + ")";
    }
}
