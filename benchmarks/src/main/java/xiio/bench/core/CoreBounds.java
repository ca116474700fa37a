package xiio.bench.core;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The core section's bounds: three promises of the engine measured against their
 * targets, each probe in a fresh JVM ({@link ChildJvm}). Starvation: how late a
 * 10 ms sleep ends beside an always-ready task, at nesting depths 1-3, on both
 * backends. Shared-wait scaling: how the time of N waiters on one thing, each with
 * its own timeout, grows with N. Cold cancellation: how long the first mass wake-up
 * of a JVM takes (a cancelled group, a mass timeout, an fd closed under its waiters),
 * beside JDK virtual threads interrupted and joined.
 */
final class CoreBounds {
    /** The bound the starvation rows are held to: a sleep ends at most this late, at any depth. */
    static final Duration STARVATION_TARGET = Duration.ofMillis(5);
    /**
     * The slack of the scaling rows' bound: from the smallest N to the largest, the
     * time may grow at most this many times more than N log N does. The bound is on
     * the whole range, not on each doubling: one step can jump when the tasks outgrow
     * a cache level (the control's plain sleeps do, on this machine, from 40k to 80k).
     */
    static final double SCALING_SLACK = 1.5;
    /** The bound of the cold rows: per task woken, so 1,000,000 tasks within 1 s. */
    static final Duration COLD_TARGET_PER_TASK = Duration.ofNanos(1_000);

    static final List<String> BACKENDS = List.of("continuation", "vthread");
    static final List<Integer> DEPTHS = List.of(1, 2, 3);
    static final List<String> SHARED_KINDS = List.of("event", "fd", "sleep");

    /** What to run: the full plan, or a smoke plan of tiny counts that only proves the code runs. */
    record Plan(boolean smoke, int warmups, int repetitions, long giveUpMillis, int starvationRuns, List<Integer> waiters,
            int repeats, List<ColdCase> cold) {
        static Plan of(boolean smoke) {
            if (smoke) {
                return new Plan(true, 1, 2, 200, 1, List.of(200, 400), 1, List.of(new ColdCase("cancel", 1_000),
                        new ColdCase("timeout", 1_000), new ColdCase("fdclose", 1_000), new ColdCase("vthreads", 1_000)));
            }
            return new Plan(false, 5, 20, 5_000, 3, List.of(10_000, 20_000, 40_000, 80_000, 160_000), 3, List.of(
                    new ColdCase("cancel", 1_000_000), new ColdCase("cancel", 100_000), new ColdCase("timeout", 1_000_000),
                    new ColdCase("fdclose", 100_000), new ColdCase("vthreads", 1_000_000), new ColdCase("vthreads", 100_000)));
        }
    }

    /** One fresh-JVM measurement of the cold rows. */
    record ColdCase(String kind, int tasks) {}

    /**
     * A starvation row: one backend, one depth; the figures of its best run (the least
     * worst sleep: noise on a shared machine only ever makes a sleep later), with every
     * run's worst sleep, the least worst of the idle controls, and the most yields any
     * run's busy task made between a deadline and the sleep's end.
     */
    record Starvation(String backend, int depth, int repetitions, long worstNanos, long medianNanos, boolean gaveUp, long yields,
            List<Long> worstPerRun, long idleWorstNanos, long worstYieldsLate) {
        long idleWorstExtraNanos() {
            return idleWorstNanos - StarvationProbe.SLEEP.toNanos();
        }

        long worstExtraNanos() {
            return worstNanos - StarvationProbe.SLEEP.toNanos();
        }

        boolean pass() {
            return !gaveUp && worstExtraNanos() <= STARVATION_TARGET.toNanos();
        }
    }

    /** A scaling row: one kind of wait, the best time at each N. */
    record Scaling(String kind, List<Integer> waiters, List<Long> bestNanos) {
        /** time(2N)/time(N) for each step of the plan (each N is double the one before). */
        List<Double> ratios() {
            List<Double> r = new ArrayList<>();
            for (int i = 1; i < bestNanos.size(); i++) r.add((double) bestNanos.get(i) / bestNanos.get(i - 1));
            return r;
        }

        /** time(largest N) / time(smallest N). */
        double growth() {
            return (double) bestNanos.getLast() / bestNanos.getFirst();
        }

        /** The most {@link #growth} may be: N log N's growth over the range, times the slack. */
        double bound() {
            double small = waiters.getFirst(), large = waiters.getLast();
            return large / small * (Math.log(large) / Math.log(small)) * SCALING_SLACK;
        }

        boolean pass() {
            return growth() <= bound();
        }
    }

    /** A cold row: one kind, one count, in its own JVM. */
    record Cold(String kind, int tasks, long setupNanos, long nanos) {
        boolean hasTarget() {
            return !kind.equals("vthreads");
        }

        long targetNanos() {
            return COLD_TARGET_PER_TASK.toNanos() * tasks;
        }

        boolean pass() {
            return nanos <= targetNanos();
        }
    }

    /** Everything the bounds measured. */
    record Figures(List<Starvation> starvation, List<Scaling> scaling, List<Cold> cold) {}

    private CoreBounds() {}

    static Figures measure(Plan plan, Path logs, PrintStream progress) throws IOException, InterruptedException {
        List<Starvation> starvation = new ArrayList<>();
        for (String backend : BACKENDS) {
            for (int depth : DEPTHS) {
                progress.printf("core bounds: starvation, %s backend, depth %d, %d fresh JVMs%n", backend, depth, plan.starvationRuns());
                ChildJvm.Result best = null;
                List<Long> worstPerRun = new ArrayList<>();
                long idleWorst = Long.MAX_VALUE;
                long yieldsLate = 0;
                for (int run = 1; run <= plan.starvationRuns(); run++) {
                    var r = ChildJvm.run(StarvationProbe.class, List.of("-Dxiio.backend=" + backend),
                            List.of(String.valueOf(depth), String.valueOf(plan.warmups()), String.valueOf(plan.repetitions()),
                                    String.valueOf(plan.giveUpMillis())),
                            Duration.ofMinutes(5), logs.resolve("starvation-" + backend + "-" + depth + "-" + run + ".log")).getFirst();
                    worstPerRun.add(r.getBoolean("gave_up") ? Long.MAX_VALUE : r.getLong("worst_ns"));
                    idleWorst = Math.min(idleWorst, r.getLong("idle_worst_ns"));
                    yieldsLate = Math.max(yieldsLate, r.getLong("yields_late"));
                    if (best == null || worstPerRun.getLast() < (best.getBoolean("gave_up") ? Long.MAX_VALUE : best.getLong("worst_ns"))) best = r;
                }
                starvation.add(new Starvation(backend, depth, (int) best.getLong("repetitions"), best.getLong("worst_ns"),
                        best.getLong("median_ns"), best.getBoolean("gave_up"), best.getLong("yields"), worstPerRun, idleWorst,
                        yieldsLate));
            }
        }
        List<Scaling> scaling = new ArrayList<>();
        for (String kind : SHARED_KINDS) {
            progress.printf("core bounds: shared-wait scaling, %s, N = %s%n", kind, plan.waiters());
            List<String> args = new ArrayList<>(List.of(kind, String.valueOf(plan.repeats())));
            for (int n : plan.waiters()) args.add(String.valueOf(n));
            List<Long> best = new ArrayList<>();
            for (var r : ChildJvm.run(SharedWaitProbe.class, SHARED_HEAP, args, Duration.ofMinutes(20),
                    logs.resolve("shared-wait-" + kind + ".log"))) {
                best.add(r.getLong("best_ns"));
            }
            scaling.add(new Scaling(kind, plan.waiters(), best));
        }
        List<Cold> cold = new ArrayList<>();
        for (ColdCase c : plan.cold()) {
            progress.printf("core bounds: cold %s, %,d tasks, fresh JVM%n", c.kind(), c.tasks());
            var r = ChildJvm.run(ColdCancelProbe.class, List.of(COLD_HEAP), List.of(c.kind(), String.valueOf(c.tasks())),
                    Duration.ofMinutes(10), logs.resolve("cold-" + c.kind() + "-" + c.tasks() + ".log")).getFirst();
            cold.add(new Cold(c.kind(), c.tasks(), r.getLong("setup_ns"), r.getLong("ns")));
        }
        return new Figures(starvation, scaling, cold);
    }

    /**
     * The shared-wait JVMs' heap: fixed and touched up front, so no run pays for the
     * heap's growth (without it, the control's times jump by 2x between runs).
     */
    static final List<String> SHARED_HEAP = List.of("-Xms4g", "-Xmx4g", "-XX:+AlwaysPreTouch");

    /** The cold JVMs' heap: 1,000,000 suspended tasks (or virtual threads) need a few GiB. */
    static final String COLD_HEAP = "-Xmx12g";
}
