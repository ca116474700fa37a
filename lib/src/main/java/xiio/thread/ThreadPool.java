package xiio.thread;

import java.util.Objects;
import java.util.concurrent.Callable;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import xiio.core.ThreadSignal;

/**
 * Runs blocking functions on worker threads and hands the result back to the
 * awaiting coroutine, waking its loop through an eventfd: what cannot be expressed
 * as an fd runs on a thread that wakes the loop through one. A run has one such
 * eventfd for all its calls ({@link ThreadSignal}): a call opens no fd, and calls
 * that finish together wake the loop once.
 *
 * <p>Workers are bounded ({@code maxWorkers}), named after the pool, started on
 * demand and stopped after a minute idle. A pool may serve many runs at once.
 *
 * <p>The library keeps three shared pools apart, so that one kind of blocked call
 * cannot stall the others: {@link #common()} for {@link #runInThread}, one for
 * {@code xiio.net.Dns} lookups (which cannot be interrupted: a hung resolver holds
 * its workers until it answers) and one for TLS handshakes' delegated tasks. Each is
 * bounded on its own; a hung resolver delays only other lookups.
 *
 * <p>What happens to the function when the awaiting coroutine is cancelled (or its
 * wait fails): if no worker has taken it yet, it never runs. If it is running, it
 * runs to completion on its worker, because Java cannot stop a thread safely;
 * with {@code interruptOnCancel} its worker is interrupted, which ends blocking
 * calls that honour interrupts. Either way its result or exception is dropped, the
 * coroutine's signal is closed at once (a late finish wakes nothing), and the interrupt never reaches the next
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

    /**
     * A pool of daemon workers, for a pool that lives as long as the JVM and is never
     * closed, as the library's shared pools do: its workers do not keep the JVM alive,
     * and, as in every pool, they stop after a minute idle.
     *
     * @throws IllegalArgumentException if {@code maxWorkers} is less than 1
     */
    public static ThreadPool daemon(String name, int maxWorkers) {
        return new ThreadPool(name, maxWorkers, true);
    }

    /**
     * The shared pool behind {@link #runInThread}: daemon workers, created on first use.
     * DNS lookups and TLS delegated tasks have pools of their own, so they never wait
     * behind the functions run here, nor these behind them.
     */
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
        Job<T> job = new Job<>(fn, ThreadSignal.open(true));
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

    /** The most functions this pool runs at once: its {@code maxWorkers}. */
    public int maxWorkers() {
        return executor.getMaximumPoolSize();
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
