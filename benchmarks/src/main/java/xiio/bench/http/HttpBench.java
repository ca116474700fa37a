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
 * The HTTP benchmark ({@code ./xiio bench http}): the xiio http server under wrk, side
 * by side with Netty, Helidon SE and the JDK's HttpServer answering the same routes
 * with the same bodies, in the scenarios of {@link HttpScenario}, cold and warm, plus
 * the xiio server on two cores with one loop and with two. Writes a markdown fragment
 * for BENCHMARKS.md ({@code benchmarks/results/http.md}) and prints the tables.
 * {@code --smoke} runs every server for a second or two per scenario and writes under
 * {@code benchmarks/target/}, so the test suite can keep the benchmark from rotting.
 */
@Command(name = "./xiio bench http", mixinStandardHelpOptions = true,
        description = {"Loads the xiio http server, Netty, Helidon SE and the JDK's HttpServer with wrk, side by side.",
            "Each server runs in a fresh JVM pinned to CPU 0, wrk on CPU 1 (the multi-core rows: both on CPUs 0-1);",
            "its first seconds are measured as the cold start, then comes a warm-up, then the measured run."})
public final class HttpBench implements Callable<Integer> {
    @Option(names = "--smoke", description = "Seconds per server, for the test suite; writes under benchmarks/target/.")
    boolean smoke;

    @Option(names = "--duration", paramLabel = "SECONDS", description = "Measured wrk run (default: 5; smoke: 1).")
    Integer duration;

    @Option(names = "--warmup", paramLabel = "SECONDS", description = "Warm-up wrk run after the cold one, 0 for none (default: 5; smoke: 0).")
    Integer warmup;

    @Option(names = "--cold", paramLabel = "SECONDS", description = "The fresh JVM's first wrk run, reported as the cold start; 0 for none (default: 3; smoke: 1).")
    Integer cold;

    @Option(names = "--runs", description = "Measurements per server and scenario, each on a fresh server (default: 2; smoke: 1).")
    Integer runs;

    @Option(names = "--scenarios", split = ",", paramLabel = "NAME",
            description = "hello-cN, pipelined-cN, echo1m-cN (default: hello-c1,hello-c50,hello-c256,pipelined-c256,echo1m-c16; smoke: pipelined-c4,echo1m-c2).")
    List<String> scenarios;

    @Option(names = "--servers", split = ",", paramLabel = "ID",
            description = "Servers to load, of " + "xiio-cont,xiio-vthread,xiio-uring,netty-epoll,netty-nio,netty-uring,helidon,jdk-http,"
                    + "xiio-2cpu-1loop,xiio-2cpu-2loops (default: all but netty-nio and netty-uring; smoke: all).")
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
                servers != null ? servers.stream().map(BenchServer::byId).toList() : smoke ? List.of(BenchServer.values()) : BenchServer.DEFAULT,
                scenarios != null ? HttpScenario.parseList(scenarios) : smoke ? HttpScenario.SMOKE : HttpScenario.FULL,
                runs != null ? runs : smoke ? 1 : 2,
                Duration.ofSeconds(cold != null ? cold : smoke ? 1 : 3),
                Duration.ofSeconds(warmup != null ? warmup : smoke ? 0 : 5),
                Duration.ofSeconds(duration != null ? duration : smoke ? 1 : 5),
                output != null ? output : smoke ? target.resolve("http.md") : root.resolve("benchmarks/results/http.md"),
                target.resolve("logs"),
                // smoke: C1 only starts a JVM on one busy core in about half the time (the figures mean nothing there)
                smoke ? List.of("-XX:TieredStopAtLevel=1") : List.of());
        CpuPinning pinning = CpuPinning.detect();
        if (!pinning.enabled()) System.err.println("http bench: no taskset or fewer than 2 CPUs: server and wrk run unpinned");
        RunConditions conditions = RunConditions.read();
        BenchRunner runner = new BenchRunner(plan, pinning);
        measurements = runner.runAll(System.err::println);

        String md = ResultReport.render(measurements, plan, conditions, pinning,
                String.join(" ", "./xiio", "bench", "http", String.join(" ", Arrays.asList(args))).strip(), runner);
        Files.createDirectories(plan.output().toAbsolutePath().getParent());
        Files.writeString(plan.output(), md);
        System.out.println(md);
        System.out.println("written to " + plan.output());
        return measurements.stream().allMatch(Measurement::clean) ? 0 : 1;
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
