package xiio.bench.core;

import java.time.Duration;
import xiio.concurrent.Event;
import xiio.concurrent.TaskGroup;
import xiio.concurrent.Timeout;
import xiio.core.Condition;
import xiio.core.Xiio;
import xiio.io.Pipe;
import xiio.testing.VirtualClock;

/**
 * Child-JVM main of the shared-wait scaling rows, on the virtual clock: N tasks each
 * wait for one shared thing inside its own {@link Timeout#withTimeoutOrNull}, the
 * deadlines 1 µs apart in spawn order, so the timeouts expire oldest first and every
 * expiry removes one waiter from N. One run is the whole group: spawning, every wait
 * and every expiry. Prints the best of {@code REPEATS} runs per N (noise on a shared
 * machine only ever slows a run down), after {@value #WARMUPS} unmeasured runs at the
 * smallest N (the first runs measure the JIT, not the engine).
 *
 * <p>What they wait for ({@code KIND}): {@code event}, one {@link Event} nobody sets;
 * {@code fd}, readability of one pipe nobody writes; {@code sleep}, the control:
 * plain sleeps of the same lengths, no timeout and nothing shared.
 *
 * <p>Usage: {@code SharedWaitProbe KIND REPEATS N...}.
 */
public final class SharedWaitProbe {
    static final int WARMUPS = 10;

    private SharedWaitProbe() {}

    public static void main(String[] args) throws Exception {
        String kind = args[0];
        int repeats = Integer.parseInt(args[1]);
        for (int i = 0; i < WARMUPS; i++) once(kind, Integer.parseInt(args[2]));
        for (int i = 2; i < args.length; i++) {
            int n = Integer.parseInt(args[i]);
            long best = Long.MAX_VALUE;
            for (int r = 0; r < repeats; r++) best = Math.min(best, once(kind, n));
            System.out.printf("result kind=%s n=%d best_ns=%d repeats=%d%n", kind, n, best, repeats);
        }
    }

    /** One run with {@code n} waiters; returns its wall-clock time in ns. */
    static long once(String kind, int n) throws Exception {
        System.gc(); // the previous run's garbage is not this one's cost
        try (Pipe pipe = Pipe.open()) {
            Event never = new Event();
            int fd = pipe.reader().fd();
            long t0 = System.nanoTime();
            VirtualClock.run(() -> TaskGroup.scope(group -> {
                for (int i = 0; i < n; i++) {
                    Duration limit = Duration.ofNanos(1_000L * (i + 1)); // oldest first
                    switch (kind) {
                        case "event" -> group.spawn(() -> Timeout.withTimeoutOrNull(limit, () -> {
                            never.await();
                            return null;
                        }));
                        case "fd" -> group.spawn(() -> Timeout.withTimeoutOrNull(limit, () -> {
                            Xiio.await(Condition.readable(fd));
                            return null;
                        }));
                        case "sleep" -> group.spawn(() -> {
                            Xiio.sleep(limit);
                            return null;
                        });
                        default -> throw new IllegalArgumentException("unknown kind " + kind + ": event, fd or sleep");
                    }
                }
                return null;
            }));
            return System.nanoTime() - t0;
        }
    }
}
