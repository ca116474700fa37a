package xiio.bench.core;

import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import xiio.concurrent.TaskGroup;
import xiio.concurrent.Timeout;
import xiio.core.Condition;
import xiio.core.Xiio;
import xiio.io.Pipe;
import xiio.testing.VirtualClock;

/**
 * Child-JVM main of the cold-cancellation rows: in a JVM that has never run the path,
 * N suspended tasks all woken at once by one act, timed from that act to the end of
 * the last task. A shutdown is usually the first and only time this path runs, so it
 * must not be slow until the JIT has seen it.
 *
 * <p>{@code KIND}: {@code cancel}, N tasks asleep for a day in one group, the group
 * cancelled, timed until its scope returns; {@code timeout}, N tasks each asleep in
 * its own {@link Timeout#withTimeoutOrNull} with the same deadline, on the virtual
 * clock, timed from the moment all are asleep (the clock then jumps to the deadline)
 * until the scope returns; {@code fdclose}, N tasks awaiting readability of one pipe,
 * the pipe's read end closed through the library, each task catching the
 * IOException, timed until the scope returns; {@code vthreads}, the JDK's peer: N
 * virtual threads in {@link Thread#sleep}, interrupted and joined, timed from the
 * first interrupt to the last join.
 *
 * <p>Prints {@code setup_ns} (spawning until all wait) and {@code ns} (the timed act).
 * Usage: {@code ColdCancelProbe KIND N}.
 */
public final class ColdCancelProbe {
    private static final Duration DAY = Duration.ofDays(1);

    private ColdCancelProbe() {}

    public static void main(String[] args) throws Exception {
        String kind = args[0];
        int n = Integer.parseInt(args[1]);
        long[] times = switch (kind) {
            case "cancel" -> cancel(n);
            case "timeout" -> timeout(n);
            case "fdclose" -> fdClose(n);
            case "vthreads" -> virtualThreads(n);
            default -> throw new IllegalArgumentException("unknown kind " + kind + ": cancel, timeout, fdclose or vthreads");
        };
        System.out.printf("result kind=%s n=%d setup_ns=%d ns=%d backend=%s%n", kind, n, times[0], times[1], Xiio.backend());
    }

    /** {setup, act} in ns. */
    private static long[] cancel(int n) throws Exception {
        long[] t = new long[3];
        Xiio.run(() -> {
            TaskGroup.scope(group -> {
                t[0] = System.nanoTime();
                int[] asleep = {0};
                for (int i = 0; i < n; i++) {
                    group.spawn(() -> {
                        asleep[0]++;
                        Xiio.sleep(DAY);
                        return null;
                    });
                }
                while (asleep[0] < n) Xiio.yieldNow();
                t[1] = System.nanoTime();
                group.cancel();
                return null;
            });
            t[2] = System.nanoTime();
            return null;
        });
        return new long[] {t[1] - t[0], t[2] - t[1]};
    }

    private static long[] timeout(int n) throws Exception {
        long[] t = new long[3];
        int[] timedOut = {0};
        VirtualClock.run(() -> {
            TaskGroup.scope(group -> {
                t[0] = System.nanoTime();
                int[] asleep = {0};
                Duration limit = Duration.ofSeconds(1); // the virtual clock stands still until all sleep: one deadline
                for (int i = 0; i < n; i++) {
                    group.spawn(() -> {
                        asleep[0]++;
                        if (Timeout.withTimeoutOrNull(limit, () -> {
                            Xiio.sleep(DAY);
                            return "slept a day";
                        }) == null) timedOut[0]++;
                        return null;
                    });
                }
                while (asleep[0] < n) Xiio.yieldNow();
                t[1] = System.nanoTime();
                return null; // nothing is ready now: the clock jumps to the deadline
            });
            t[2] = System.nanoTime();
            return null;
        });
        if (timedOut[0] != n) throw new IllegalStateException(timedOut[0] + " of " + n + " tasks timed out");
        return new long[] {t[1] - t[0], t[2] - t[1]};
    }

    private static long[] fdClose(int n) throws Exception {
        long[] t = new long[3];
        int[] failed = {0};
        try (Pipe pipe = Pipe.open()) {
            int fd = pipe.reader().fd();
            Xiio.run(() -> {
                TaskGroup.scope(group -> {
                    t[0] = System.nanoTime();
                    int[] waiting = {0};
                    for (int i = 0; i < n; i++) {
                        group.spawn(() -> {
                            waiting[0]++;
                            try {
                                Xiio.await(Condition.readable(fd));
                            } catch (IOException expected) {
                                failed[0]++; // "fd N was closed while a coroutine waited on it"
                            }
                            return null;
                        });
                    }
                    while (waiting[0] < n) Xiio.yieldNow();
                    t[1] = System.nanoTime();
                    pipe.reader().close();
                    return null;
                });
                t[2] = System.nanoTime();
                return null;
            });
        }
        if (failed[0] != n) throw new IllegalStateException(failed[0] + " of " + n + " waiters saw the fd closed");
        return new long[] {t[1] - t[0], t[2] - t[1]};
    }

    private static long[] virtualThreads(int n) throws InterruptedException {
        long t0 = System.nanoTime();
        CountDownLatch asleep = new CountDownLatch(n);
        Runnable sleeper = () -> {
            asleep.countDown();
            try {
                Thread.sleep(DAY);
                throw new IllegalStateException("slept a day: the interrupt never came");
            } catch (InterruptedException expected) {
                // woken, as meant
            }
        };
        Thread[] threads = new Thread[n];
        for (int i = 0; i < n; i++) threads[i] = Thread.ofVirtual().start(sleeper);
        asleep.await();
        long t1 = System.nanoTime();
        for (Thread th : threads) th.interrupt();
        for (Thread th : threads) th.join();
        long t2 = System.nanoTime();
        return new long[] {t1 - t0, t2 - t1};
    }
}
