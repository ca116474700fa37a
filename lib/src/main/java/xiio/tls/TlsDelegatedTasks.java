package xiio.tls;

import java.io.IOException;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import javax.net.ssl.SSLEngine;
import xiio.thread.ThreadPool;

/**
 * Runs an {@link SSLEngine}'s delegated tasks on the TLS pool ({@code xiio-tls}, at
 * most {@link #POOL_WORKERS} workers), for one {@link TlsStream}.
 *
 * <p>Why a worker and not inline: the tasks are the handshake's public-key work.
 * Measured on this machine (2 shared cores, under load): 3 tasks per handshake
 * (certificate chain validation, signatures, key shares), 1-4 ms each with EC P-256
 * and with RSA-2048 keys, against 12-50 µs for a pool round trip through an eventfd.
 * Inline would stall every other connection of the loop for milliseconds per
 * handshake, while the pool costs about 1% of a handshake; and a trust manager may
 * block on I/O (revocation checks fetch CRLs and OCSP answers).
 *
 * <p>Why a pool of its own: on {@link ThreadPool#common()}, handshakes would queue
 * behind whatever blocking code the application runs there ({@code runInThread});
 * on this one they wait only for other handshakes.
 *
 * <p>Cancel-safe: a cancelled wait leaves the tasks running on their worker, and the
 * next caller waits for them (on a worker too) before asking the engine for more; if
 * no worker had taken them yet, the next caller runs them.
 */
final class TlsDelegatedTasks {
    /** The most batches run at once: 4, or twice the CPUs if more (a trust manager may block on I/O). */
    static final int POOL_WORKERS = Math.max(4, 2 * Runtime.getRuntime().availableProcessors());

    private static final class Pool {
        static final ThreadPool TASKS = ThreadPool.daemon("xiio-tls", POOL_WORKERS);
    }

    /** The pool every stream's tasks run on (tests fill it to make tasks wait for a worker). */
    static ThreadPool pool() {
        return Pool.TASKS;
    }

    private final SSLEngine engine;
    private final TurnLock running; // a coroutine waits for a worker
    private Batch pending;         // tasks not known to be done, maybe left by a cancelled caller

    TlsDelegatedTasks(SSLEngine engine, Broadcast signal) {
        this.engine = engine;
        this.running = new TurnLock(signal);
    }

    /** Runs every task the engine has now; concurrent callers wait for the one already running them. */
    void run() throws IOException {
        running.take();
        try {
            Batch earlier = pending;
            if (earlier != null) {
                if (!earlier.done.isDone()) call(earlier);
                pending = null;
            }
            Runnable first = engine.getDelegatedTask();
            if (first == null) return;
            Batch batch = new Batch(first);
            pending = batch;
            call(batch);
            pending = null;
        } finally {
            running.release();
        }
    }

    /**
     * The tasks the engine handed out at once. SSLEngine hands a task out only once
     * and stays in NEED_TASK until it has run, so the batch must run even if the
     * caller that took it is cancelled while its job still waits in the pool's queue
     * (the pool then drops the job): the next caller's job runs it, or waits for the
     * worker already running it.
     */
    private final class Batch implements Callable<Void> {
        private final Runnable first;
        private final AtomicBoolean claimed = new AtomicBoolean();
        final CompletableFuture<Void> done = new CompletableFuture<>();

        Batch(Runnable first) {
            this.first = first;
        }

        @Override
        public Void call() {
            if (!claimed.compareAndSet(false, true)) return done.join();
            try {
                first.run();
                for (Runnable t; (t = engine.getDelegatedTask()) != null; ) t.run();
            } finally {
                done.complete(null);
            }
            return null;
        }
    }

    private static void call(Callable<?> work) throws IOException {
        try {
            pool().call(work);
        } catch (IOException | RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new IOException("a TLS delegated task failed: " + e, e);
        }
    }
}
