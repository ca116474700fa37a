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
 * {@code ./xiio bench core [--smoke]}: JMH microbenchmarks of xiio's primitives (a
 * switch, a yield, a spawn, a sleep cancelled) side by side with JDK virtual threads,
 * written to benchmarks/results/core.md ({@code --smoke}: a few hundred milliseconds
 * each, to benchmarks/target/core-smoke.md, figures that mean nothing).
 */
public final class CoreBench {
    static final String USAGE = """
            usage: ./xiio bench core [--smoke]
              JMH, 1 fork per benchmark: 5 warm-up + 10 measured iterations of 1 s, ns/op and B/op;
              --smoke: 1 + 1 iterations of 100 ms, written under benchmarks/target/""";

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

    /** What a run produced: scores keyed like {@code PingPongBench.xiio}, the markdown and where it went. */
    record Outcome(Map<String, Score> scores, String markdown, Path file) {}

    private CoreBench() {}

    /** The section's entry for {@code xiio.bench.Bench}: 0, 1 if a benchmark failed, 2 on bad options. */
    public static int run(String[] args) throws Exception {
        try {
            execute(args, System.err);
            return 0;
        } catch (IllegalArgumentException e) {
            System.err.println("xiio bench core: " + e.getMessage() + "\n" + USAGE);
            return 2;
        } catch (RunnerException e) {
            System.err.println("xiio bench core: a benchmark failed: " + e.getMessage());
            return 1;
        }
    }

    static Outcome execute(String[] args, PrintStream progress) throws RunnerException, IOException {
        boolean smoke = false;
        for (String a : args) {
            switch (a) {
                case "--smoke" -> smoke = true;
                case "--help", "-h" -> {
                    progress.println(USAGE);
                    return new Outcome(Map.of(), "", null);
                }
                default -> throw new IllegalArgumentException("unknown option " + a);
            }
        }
        Plan plan = Plan.of(smoke);
        String command = System.getProperty("xiio.bench.command", "xiio.bench.Bench core " + String.join(" ", args)).strip();
        Map<String, Score> scores = measure(plan);
        String markdown = CoreReport.render(scores, plan, MachineInfo.current(), command);
        BenchDir dir = BenchDir.locate();
        Path file = smoke ? dir.target().resolve("core-smoke.md") : dir.results().resolve("core.md");
        Files.createDirectories(file.getParent());
        Files.writeString(file, markdown);
        progress.println("core: wrote " + file);
        return new Outcome(scores, markdown, file);
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
