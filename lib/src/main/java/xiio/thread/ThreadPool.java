package xiio.thread;

import java.util.Objects;
import java.util.concurrent.Callable;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Runs blocking functions on worker threads and hands the result back to the
 * awaiting coroutine, waking its loop through an eventfd: what cannot be expressed
 * as an fd runs on a thread that wakes the loop through one.
 *
 * <p>Workers are bounded ({@code maxWorkers}), named after the pool, started on
 * demand and stopped after a minute idle. A pool may serve many runs at once.
 *
 * <p>What happens to the function when the awaiting coroutine is cancelled (or its
 * wait fails): if no worker has taken it yet, it never runs. If it is running, it
 * runs to completion on its worker, because Java cannot stop a thread safely;
 * with {@code interruptOnCancel} its worker is interrupted, which ends blocking
 * calls that honour interrupts. Either way its result or exception is dropped, the
 * coroutine's eventfd is closed at once, and the interrupt never reaches the next
 * function the worker runs.
 *
 * {@snippet :
 * try (ThreadPool pool = new ThreadPool("dns", 4)) {
 *     InetAddress[] addresses = pool.call(() -> InetAddress.getAllByName("localhost"));
 * }
 * }
 */
public final class ThreadPool implements AutoCloseable {
    private static final class Common {
        static final ThreadPool POOL = new ThreadPool("xiio-common", Math.max(8, 4 * Runtime.getRuntime().availableProcessors()), true);
    }

    private final String name;
    private final ThreadPoolExecutor executor;

    /**
     * A pool of at most {@code maxWorkers} threads named {@code name-1}, {@code name-2}, ...
     *
     * @throws IllegalArgumentException if {@code maxWorkers} is less than 1
     */
    public ThreadPool(String name, int maxWorkers) {
        this(name, maxWorkers, false);
    }

    private ThreadPool(String name, int maxWorkers, boolean daemon) {
        this.name = Objects.requireNonNull(name, "name");
        if (maxWorkers < 1) throw new IllegalArgumentException("maxWorkers must be at least 1, got " + maxWorkers);
        AtomicInteger count = new AtomicInteger();
        this.executor = new ThreadPoolExecutor(maxWorkers, maxWorkers, 60, TimeUnit.SECONDS,
                new LinkedBlockingQueue<>(), r -> {
                    Thread t = new Thread(r, name + "-" + count.incrementAndGet());
                    t.setDaemon(daemon);
                    return t;
                });
        executor.allowCoreThreadTimeOut(true);
    }

    /** The shared pool behind {@link #runInThread}: daemon workers, created on first use. */
    public static ThreadPool common() {
        return Common.POOL;
    }

    /** Runs {@code fn} on the {@linkplain #common() common pool}; see {@link #call(Callable)}. */
    public static <T> T runInThread(Callable<T> fn) throws Exception {
        return common().call(fn);
    }

    /**
     * Runs {@code fn} on a worker and suspends until it returns; its result is
     * returned and its exception thrown as itself.
     *
     * @throws RejectedExecutionException if the pool is closed
     */
    public <T> T call(Callable<T> fn) throws Exception {
        return call(fn, false);
    }

    /**
     * Like {@link #call(Callable)}; with {@code interruptOnCancel} a cancellation of
     * the awaiting coroutine also interrupts the worker running {@code fn}.
     */
    public <T> T call(Callable<T> fn, boolean interruptOnCancel) throws Exception {
        Objects.requireNonNull(fn, "fn");
        Job<T> job = new Job<>(fn, new Wakeup());
        try {
            executor.execute(job);
        } catch (RejectedExecutionException e) {
            job.done.close();
            throw new RejectedExecutionException("thread pool '" + name + "' is closed", e);
        }
        try {
            while (!job.isFinished()) job.done.await();
        } catch (Throwable cancelledOrFailed) {
            job.abandon(interruptOnCancel);
            throw cancelledOrFailed;
        } finally {
            job.done.close();
        }
        return job.outcome();
    }

    /** Stops accepting work and lets running functions finish; does not wait for them. */
    @Override
    public void close() {
        executor.shutdown();
    }

    /** Waits up to {@code millis} for the workers to finish after {@link #close()} (for tests and shutdown hooks). */
    public boolean awaitTermination(long millis) throws InterruptedException {
        return executor.awaitTermination(millis, TimeUnit.MILLISECONDS);
    }

    @Override
    public String toString() {
        return "ThreadPool[" + name + ", " + executor.getPoolSize() + " workers, " + executor.getActiveCount() + " busy]";
    }
}
