package xiio.bench.http;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import xiio.bench.CpuPinning;

/**
 * The HTTP benchmark: the http example's hello page under wrk, side by side with a
 * Netty hello server sending the same bytes ({@code ./xiio bench http}). Writes a
 * markdown fragment for BENCHMARKS.md ({@code benchmarks/results/http.md}) and prints
 * the table. {@code --smoke} runs every server for a second or two and writes under
 * {@code benchmarks/target/}, so the test suite can keep the benchmark from rotting.
 */
@Command(name = "./xiio bench http", mixinStandardHelpOptions = true,
        description = {"Loads the http example's hello page and a Netty HTTP hello server with wrk, side by side.",
            "Each server runs in a fresh JVM pinned to CPU 0, wrk on CPU 1; every measurement follows a warm-up."})
public final class HttpBench implements Callable<Integer> {
    @Option(names = "--smoke", description = "Seconds per server, for the test suite; writes under benchmarks/target/.")
    boolean smoke;

    @Option(names = "--duration", paramLabel = "SECONDS", description = "Measured wrk run (default: 10; smoke: 1).")
    Integer duration;

    @Option(names = "--warmup", paramLabel = "SECONDS", description = "Warm-up wrk run before each measurement (default: 10; smoke: 1).")
    Integer warmup;

    @Option(names = "--runs", description = "Measurements per server and connection count, each on a fresh server (default: 2; smoke: 1).")
    Integer runs;

    @Option(names = "--connections", split = ",", paramLabel = "C", description = "wrk connection counts (default: 1,50,256; smoke: 50).")
    List<Integer> connections;

    @Option(names = "--servers", split = ",", paramLabel = "ID",
            description = "Servers to load (default: all of xiio-cont,xiio-vthread,netty-epoll,netty-nio).")
    List<String> servers;

    @Option(names = "--output", description = "Markdown fragment to write (default: benchmarks/results/http.md; smoke: benchmarks/target/bench-http/http.md).")
    Path output;

    private String[] args = {};
    List<Measurement> measurements = List.of(); // for the smoke test

    /**
     * Runs the benchmark and exits with 0, or 1 if it failed or any request failed.
     *
     * @param args the options; {@code --help} lists them
     */
    public static void main(String[] args) {
        System.exit(execute(new HttpBench(), args));
    }

    /**
     * Runs as the {@code http} section of {@code ./xiio bench}.
     *
     * @param args the options; {@code --help} lists them
     * @return the exit status: 0, or 1 if it failed or any request failed
     */
    public static int run(String[] args) {
        return execute(new HttpBench(), args);
    }

    /** Runs {@code bench} with {@code args}; the exit status. */
    static int execute(HttpBench bench, String... args) {
        bench.args = args.clone();
        return new CommandLine(bench)
                .setExecutionExceptionHandler((e, cli, parsed) -> {
                    cli.getErr().println("http bench: " + e); // wrk missing, a server that would not start...
                    return 1;
                })
                .execute(args);
    }

    @Override
    public Integer call() throws IOException, InterruptedException {
        Path root = projectRoot();
        Path target = root.resolve("benchmarks/target/bench-http");
        BenchPlan plan = new BenchPlan(
                servers == null ? List.of(BenchServer.values()) : servers.stream().map(BenchServer::byId).toList(),
                connections != null ? connections : smoke ? List.of(50) : List.of(1, 50, 256),
                runs != null ? runs : smoke ? 1 : 2,
                Duration.ofSeconds(warmup != null ? warmup : smoke ? 1 : 10),
                Duration.ofSeconds(duration != null ? duration : smoke ? 1 : 10),
                output != null ? output : smoke ? target.resolve("http.md") : root.resolve("benchmarks/results/http.md"),
                target.resolve("logs"));
        CpuPinning pinning = CpuPinning.detect();
        if (!pinning.enabled()) System.err.println("http bench: no taskset or fewer than 2 CPUs: server and wrk run unpinned");
        RunConditions conditions = RunConditions.read();
        BenchRunner runner = new BenchRunner(plan, pinning);
        measurements = runner.runAll(System.err::println);

        String table = ResultTable.render(measurements);
        String md = ResultReport.render(measurements, plan, conditions, pinning,
                String.join(" ", "./xiio", "bench", "http", String.join(" ", Arrays.asList(args))).strip(),
                runner.wrkCommandTemplate());
        Files.createDirectories(plan.output().toAbsolutePath().getParent());
        Files.writeString(plan.output(), md);
        System.out.println(table);
        System.out.println("written to " + plan.output());
        boolean clean = measurements.stream().allMatch(m -> m.wrk().clean() && m.serverExitStatus() == 0);
        return clean ? 0 : 1;
    }

    /** The checkout this class was built in (benchmarks/target/classes is three levels down), else the working directory. */
    private static Path projectRoot() {
        try {
            Path classes = Path.of(HttpBench.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            for (Path p = classes; p != null; p = p.getParent()) {
                if (Files.isRegularFile(p.resolve("benchmarks/pom.xml"))) return p;
            }
        } catch (URISyntaxException | SecurityException | NullPointerException e) {
            // fall through
        }
        return Path.of("").toAbsolutePath();
    }
}
