package xiio.bench.core;

import java.time.Duration;
import java.util.Arrays;
import xiio.concurrent.TaskGroup;
import xiio.core.Xiio;

/**
 * Child-JVM main of the starvation row: a 10 ms sleep beside an always-ready task (a
 * loop of {@link Xiio#yieldNow}) inside {@code depth} nested task groups, on the real
 * clock, repeated; prints the worst and the median time the sleep took.
 *
 * <p>The measurement is bounded: once a sleep has lasted {@code giveUpMillis}, the
 * always-ready task stops, so the starved sleep ends, and the row reports it as
 * "over giveUpMillis" ({@code gave_up=true}). Then the control: the same sleeps in the
 * same nesting with nothing busy beside them ({@code idle_worst_ns}), the lateness the
 * machine itself adds (a loaded machine deschedules the JVM for milliseconds).
 *
 * <p>Usage: {@code StarvationProbe DEPTH WARMUPS REPETITIONS GIVE_UP_MILLIS}.
 */
public final class StarvationProbe {
    static final Duration SLEEP = Duration.ofMillis(10);

    /** What the two tasks share; volatile, as on the vthread backend they are two threads in turn. */
    private static final class Shared {
        volatile boolean stop;
        volatile boolean gaveUp;
        volatile long sleepStarted; // System.nanoTime() when the current sleep began, 0 between sleeps
        long yields;
        long yieldsAtDeadline = -1;
        long worstYieldsLate;      // the most yields the busy task made between a sleep's deadline and its end // the count when the busy task first saw the current sleep due, -1 before
    }

    private StarvationProbe() {}

    public static void main(String[] args) throws Exception {
        int depth = Integer.parseInt(args[0]);
        int warmups = Integer.parseInt(args[1]);
        int repetitions = Integer.parseInt(args[2]);
        long giveUpNanos = Duration.ofMillis(Long.parseLong(args[3])).toNanos();
        Shared shared = new Shared();
        long[] took = Xiio.run(() -> nest(depth, group -> {
            group.spawn("always ready", () -> {
                while (!shared.stop) {
                    Xiio.yieldNow();
                    shared.yields++;
                    long started = shared.sleepStarted;
                    if (started != 0 && shared.yieldsAtDeadline < 0 && System.nanoTime() - started >= SLEEP.toNanos()) {
                        shared.yieldsAtDeadline = shared.yields;
                    }
                    if (started != 0 && System.nanoTime() - started > giveUpNanos) {
                        shared.gaveUp = true;
                        return null; // the sleep is starved: end the measurement
                    }
                }
                return null;
            });
            Xiio.yieldNow(); // the always-ready task is running
            long[] measured = new long[repetitions];
            int n = 0;
            for (int i = 0; i < warmups + repetitions && !shared.gaveUp; i++) {
                shared.yieldsAtDeadline = -1;
                long t0 = System.nanoTime();
                shared.sleepStarted = t0;
                Xiio.sleep(SLEEP);
                long t = System.nanoTime() - t0;
                shared.sleepStarted = 0;
                long late = shared.yieldsAtDeadline < 0 ? 0 : shared.yields - shared.yieldsAtDeadline;
                if (i >= warmups || shared.gaveUp) {
                    measured[Math.min(n++, repetitions - 1)] = t;
                    shared.worstYieldsLate = Math.max(shared.worstYieldsLate, late);
                }
            }
            shared.stop = true;
            return Arrays.copyOf(measured, n);
        }));
        long[] idle = Xiio.run(() -> nest(depth, group -> { // the control: the same sleeps, nothing busy beside them
            long[] measured = new long[repetitions];
            for (int i = 0; i < warmups + repetitions; i++) {
                long t0 = System.nanoTime();
                Xiio.sleep(SLEEP);
                if (i >= warmups) measured[i - warmups] = System.nanoTime() - t0;
            }
            return measured;
        }));
        long[] sorted = took.clone();
        Arrays.sort(sorted);
        System.out.printf("result backend=%s depth=%d repetitions=%d worst_ns=%d median_ns=%d gave_up=%b yields=%d idle_worst_ns=%d"
                        + " yields_late=%d%n",
                Xiio.backend(), depth, sorted.length, sorted[sorted.length - 1], sorted[sorted.length / 2], shared.gaveUp, shared.yields,
                Arrays.stream(idle).max().orElseThrow(), shared.worstYieldsLate);
    }

    /** The body of the innermost group, which runs beside the tasks it spawns there. */
    @FunctionalInterface
    interface Innermost<T> {
        T run(TaskGroup group) throws Exception;
    }

    /** {@code body} as the body of the innermost of {@code depth} groups, each but the last run by a task of the one above. */
    static <T> T nest(int depth, Innermost<T> body) throws Exception {
        if (depth == 1) return TaskGroup.scope(body::run);
        return TaskGroup.scope(group -> group.spawn("depth " + depth, () -> nest(depth - 1, body)).join());
    }
}
