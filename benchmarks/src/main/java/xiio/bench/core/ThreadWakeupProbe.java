package xiio.bench.core;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import xiio.concurrent.TaskGroup;
import xiio.core.Condition;
import xiio.core.Xiio;
import xiio.thread.Futures;
import xiio.thread.LoopGroup;
import xiio.thread.ThreadPool;
import xiio.unix.sys.FileSyscalls;

/**
 * Child-JVM main of the thread wake-up rows: what waiting for another thread costs the
 * loop. Each case runs {@code warm-up} then {@code n} operations and prints the
 * loop thread's CPU, the process's CPU and the wall time per operation:
 *
 * <ul>
 * <li>{@code call}: sequential {@code ThreadPool.call(() -> null)} in one run (warm);
 * <li>{@code empty-run}: a fresh {@code Xiio.run} that does nothing, what the next row pays besides its call;
 * <li>{@code call-per-run}: a fresh {@code Xiio.run} per call (cold: the run's first call);
 * <li>{@code burst}: 64 calls at once in one run, per call;
 * <li>{@code future}: {@code Futures.await} of a future another thread completes;
 * <li>{@code loop-call}: {@code LoopGroup.Loop.call} from loop 0 to loop 1 (round trip; process CPU only);
 * <li>{@code eventfd-per-call}: the mechanism before one eventfd per run, rebuilt here
 *     from public API (eventfd, await readable, read, close per call), as a control.
 * </ul>
 *
 * Only public API, so the same class runs on an older build of the library for a
 * before/after comparison.
 */
public final class ThreadWakeupProbe {
    static final List<String> CASES = List.of("call", "empty-run", "call-per-run", "burst", "future", "loop-call", "eventfd-per-call");
    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();
    private static final com.sun.management.OperatingSystemMXBean OS =
            (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();

    private ThreadWakeupProbe() {}

    /** Args: n warm-up [case ...]; every case when none is named. */
    public static void main(String[] args) throws Exception {
        int n = Integer.parseInt(args[0]);
        int warmup = Integer.parseInt(args[1]);
        List<String> cases = args.length > 2 ? List.of(args).subList(2, args.length) : CASES;
        try (ThreadPool pool = new ThreadPool("probe", 64); ExecutorService other = Executors.newFixedThreadPool(2)) {
            for (String c : cases) {
                run(c, pool, other, warmup); // warm-up, same shape
                long wall0 = System.nanoTime(), proc0 = OS.getProcessCpuTime(), loop0 = THREADS.getCurrentThreadCpuTime();
                long loopCpu = run(c, pool, other, n);
                long wall = System.nanoTime() - wall0, proc = OS.getProcessCpuTime() - proc0;
                if (loopCpu < 0) loopCpu = THREADS.getCurrentThreadCpuTime() - loop0;
                System.out.printf("result case=%s n=%d loop_cpu_ns=%d process_cpu_ns=%d wall_ns=%d%n",
                        c, n, c.equals("loop-call") ? -1 : loopCpu / n, proc / n, wall / n);
            }
        }
    }

    /** Runs {@code n} operations of case {@code c}; returns the loop thread's CPU if it measured it apart, else -1. */
    private static long run(String c, ThreadPool pool, ExecutorService other, int n) throws Exception {
        Callable<Object> nothing = () -> null;
        switch (c) {
            case "call" -> Xiio.run(() -> {
                for (int i = 0; i < n; i++) pool.call(nothing);
                return null;
            });
            case "empty-run" -> {
                for (int i = 0; i < n; i++) Xiio.run(() -> null);
            }
            case "call-per-run" -> {
                for (int i = 0; i < n; i++) Xiio.run(() -> pool.call(nothing));
            }
            case "burst" -> Xiio.run(() -> {
                for (int done = 0; done < n; done += 64) {
                    TaskGroup.scope(group -> {
                        for (int i = 0; i < 64; i++) group.spawn(() -> pool.call(nothing));
                        return null;
                    });
                }
                return null;
            });
            case "future" -> Xiio.run(() -> {
                for (int i = 0; i < n; i++) Futures.await(CompletableFuture.supplyAsync(() -> null, other));
                return null;
            });
            case "loop-call" -> {
                LoopGroup group = LoopGroup.start("probe-loop", 2, loop -> {
                    if (loop.index() == 0) {
                        LoopGroup.Loop target = loop.group().loop(1);
                        for (int i = 0; i < n; i++) target.call(() -> null);
                        loop.group().shutdown();
                    } else {
                        Xiio.sleep(Duration.ofDays(1));
                    }
                });
                group.join();
            }
            case "eventfd-per-call" -> Xiio.run(() -> {
                byte[] one = {1, 0, 0, 0, 0, 0, 0, 0}, drain = new byte[8];
                FileSyscalls sys = FileSyscalls.get();
                for (int i = 0; i < n; i++) {
                    int fd = sys.eventfd();
                    try {
                        other.execute(() -> sys.write(fd, one, 0, 8)); // the worker's answer
                        Xiio.await(Condition.readable(fd));
                        sys.read(fd, drain, 0, 8);
                    } finally {
                        sys.close(fd);
                    }
                }
                return null;
            });
            default -> throw new IllegalArgumentException("unknown case " + c + "; known: " + CASES);
        }
        return -1;
    }
}
