package xiio.bench.core;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.profile.GCProfiler;
import org.openjdk.jmh.results.Result;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;
import xiio.bench.BenchDir;
import xiio.bench.MachineInfo;

/**
 * {@code ./xiio bench core [--smoke] [--jmh-only | --bounds-only]}: JMH
 * microbenchmarks of xiio's primitives (a switch, a yield, a spawn, a sleep cancelled)
 * side by side with JDK virtual threads, written to benchmarks/results/core.md; then
 * the engine's bounds ({@link CoreBounds}: starvation, shared-wait scaling, cold
 * cancellation, each row against its target), written to
 * benchmarks/results/core-bounds.md. {@code --smoke}: a few hundred milliseconds per
 * benchmark and tiny counts, to benchmarks/target/core-smoke.md and
 * core-bounds-smoke.md, figures that mean nothing. {@code --threads-only}: only the
 * thread wake-up rows ({@link ThreadWakeupBench}), to {@code --output FILE} or
 * benchmarks/results/core-threads.md.
 */
public final class CoreBench {
    static final String USAGE = """
            usage: ./xiio bench core [--smoke] [--jmh-only | --bounds-only | --threads-only [--output FILE]]
              JMH, 1 fork per benchmark: 5 warm-up + 10 measured iterations of 1 s, ns/op and B/op;
              then the bounds, each probe in a fresh JVM: starvation (both backends, depths 1-3),
              shared-wait scaling (N = 10k-160k), cold cancellation (1M tasks); about 5 minutes;
              --smoke: 1 + 1 iterations of 100 ms and tiny counts, written under benchmarks/target/;
              --jmh-only, --bounds-only: one of the two parts (the other's results stay as they are);
              --threads-only: what waiting for another thread costs (ThreadPool.call, Futures.await,
              LoopGroup.Loop.call), a fresh JVM per backend, to --output FILE (default results/core-threads.md)""";

    /** The forked JVMs run the continuation backend and FFM without warnings, like every JVM of the project. */
    static final String[] JVM_FLAGS = {"--enable-native-access=ALL-UNNAMED", "--add-exports", "java.base/jdk.internal.vm=ALL-UNNAMED"};

    /**
     * JMH's iteration plan: full by default, tiny in smoke mode. Five warm-ups, because
     * the first 100,000-task runs still grow the heap; ten measurements, because the
     * virtual threads' figures jump between iterations as the scheduler moves the two
     * threads onto one carrier or apart.
     */
    record Plan(boolean smoke, int warmups, int measurements, long iterationMillis) {
        static Plan of(boolean smoke) {
            return smoke ? new Plan(true, 1, 1, 100) : new Plan(false, 5, 10, 1000);
        }
    }

    /** One benchmark's figures: time per op with its 99.9% error (NaN when unknown), and bytes allocated per op. */
    record Score(double nsPerOp, double error, double bytesPerOp) {}

    /**
     * What a run produced: JMH scores keyed like {@code PingPongBench.xiio}, their
     * markdown and where it went; the bounds' figures, markdown and file (null for a
     * part that did not run).
     */
    record Outcome(Map<String, Score> scores, String markdown, Path file,
            CoreBounds.Figures bounds, String boundsMarkdown, Path boundsFile) {}

    private CoreBench() {}

    /** The section's entry for {@code xiio.bench.Bench}: 0, 1 if a benchmark failed, 2 on bad options. */
    public static int run(String[] args) throws Exception {
        try {
            execute(args, System.err);
            return 0;
        } catch (IllegalArgumentException e) {
            System.err.println("xiio bench core: " + e.getMessage() + "\n" + USAGE);
            return 2;
        } catch (RunnerException | IOException e) {
            System.err.println("xiio bench core: a benchmark failed: " + e.getMessage());
            return 1;
        }
    }

    static Outcome execute(String[] args, PrintStream progress) throws RunnerException, IOException, InterruptedException {
        boolean smoke = false, jmh = true, bounds = true, threads = false;
        Path output = null;
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            switch (a) {
                case "--smoke" -> smoke = true;
                case "--threads-only" -> threads = true;
                case "--output" -> {
                    if (++i == args.length) throw new IllegalArgumentException("--output needs a file");
                    output = Path.of(args[i]).toAbsolutePath();
                }
                case "--jmh-only" -> bounds = false;
                case "--bounds-only" -> jmh = false;
                case "--help", "-h" -> {
                    progress.println(USAGE);
                    return new Outcome(Map.of(), "", null, null, "", null);
                }
                default -> throw new IllegalArgumentException("unknown option " + a);
            }
        }
        if (!jmh && !bounds) throw new IllegalArgumentException("--jmh-only and --bounds-only exclude each other");
        if (threads && (!jmh || !bounds)) throw new IllegalArgumentException("--threads-only excludes --jmh-only and --bounds-only");
        if (output != null && !threads) throw new IllegalArgumentException("--output goes with --threads-only");
        String command = System.getProperty("xiio.bench.command", "xiio.bench.Bench core " + String.join(" ", args)).strip();
        BenchDir dir = BenchDir.locate();
        MachineInfo machine = MachineInfo.current();
        if (threads) {
            var rows = ThreadWakeupBench.measure(smoke, dir.target().resolve("core-threads"), progress);
            String md = ThreadWakeupBench.render(rows, smoke, machine, command);
            Path file = write(output != null ? output : smoke ? dir.target().resolve("core-threads-smoke.md")
                    : dir.results().resolve("core-threads.md"), md, progress);
            progress.print(md);
            return new Outcome(Map.of(), md, file, null, "", null);
        }
        Map<String, Score> scores = Map.of();
        String markdown = "";
        Path file = null;
        if (jmh) {
            Plan plan = Plan.of(smoke);
            scores = measure(plan);
            markdown = CoreReport.render(scores, plan, machine, command);
            file = write(smoke ? dir.target().resolve("core-smoke.md") : dir.results().resolve("core.md"), markdown, progress);
        }
        CoreBounds.Figures figures = null;
        String boundsMarkdown = "";
        Path boundsFile = null;
        if (bounds) {
            CoreBounds.Plan plan = CoreBounds.Plan.of(smoke);
            figures = CoreBounds.measure(plan, dir.target().resolve(smoke ? "core-bounds-smoke" : "core-bounds"), progress);
            boundsMarkdown = CoreBoundsReport.render(figures, plan, machine, command);
            boundsFile = write(smoke ? dir.target().resolve("core-bounds-smoke.md") : dir.results().resolve("core-bounds.md"),
                    boundsMarkdown, progress);
            progress.print(boundsMarkdown);
        }
        return new Outcome(scores, markdown, file, figures, boundsMarkdown, boundsFile);
    }

    private static Path write(Path file, String markdown, PrintStream progress) throws IOException {
        Files.createDirectories(file.getParent());
        Files.writeString(file, markdown);
        progress.println("core: wrote " + file);
        return file;
    }

    private static Map<String, Score> measure(Plan plan) throws RunnerException {
        var options = new OptionsBuilder()
                .include("^" + CoreBench.class.getPackageName().replace(".", "\\.") + "\\.")
                .forks(1)
                .jvmArgsAppend(JVM_FLAGS)
                .warmupIterations(plan.warmups())
                .warmupTime(TimeValue.milliseconds(plan.iterationMillis()))
                .measurementIterations(plan.measurements())
                .measurementTime(TimeValue.milliseconds(plan.iterationMillis()))
                .mode(Mode.AverageTime)
                .timeUnit(TimeUnit.NANOSECONDS)
                .addProfiler(GCProfiler.class)
                .shouldFailOnError(true)
                .build();
        Collection<RunResult> results = new Runner(options).run();
        Map<String, Score> scores = new LinkedHashMap<>();
        for (RunResult r : results) {
            String name = r.getParams().getBenchmark();
            String key = name.substring(name.lastIndexOf('.', name.lastIndexOf('.') - 1) + 1);
            Result<?> primary = r.getPrimaryResult();
            Result<?> alloc = r.getSecondaryResults().get("gc.alloc.rate.norm");
            scores.put(key, new Score(primary.getScore(), primary.getScoreError(), alloc == null ? Double.NaN : alloc.getScore()));
        }
        return scores;
    }
}
