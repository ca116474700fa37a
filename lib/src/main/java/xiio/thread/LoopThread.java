package xiio.thread;

import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import xiio.core.Suspendable;
import xiio.core.Xiio;

/**
 * A thread of its own running {@code Xiio.run} with a {@link LoopExecutor}: the
 * simplest way to start coroutines from ordinary Java code and get a
 * {@link CompletableFuture} for each. Cancelling a future cancels its coroutine.
 *
 * {@snippet :
 * try (LoopThread loop = LoopThread.start("io")) {
 *     CompletableFuture<String> reply = loop.submit(() -> {
 *         Xiio.sleep(Duration.ofMillis(10));
 *         return "pong";
 *     });
 *     System.out.println(reply.get());      // blocks this (non-loop) thread
 * }                                          // waits for running coroutines, like ExecutorService.close
 * }
 *
 * <p>The thread is a platform thread named as given, and not a daemon: close the
 * loop (or shut it down) to let the JVM exit. Do not close it from one of its own
 * coroutines; that would wait for itself.
 */
public final class LoopThread implements Executor, AutoCloseable {
    private final LoopExecutor executor;
    private final Thread thread;
    private volatile Throwable failure;

    private LoopThread(String name) {
        this.executor = new LoopExecutor(name);
        this.thread = Thread.ofPlatform().name(name).unstarted(this::runLoop);
    }

    /** Starts a new thread named {@code name} that runs a loop serving submissions. */
    public static LoopThread start(String name) {
        LoopThread loop = new LoopThread(Objects.requireNonNull(name, "name"));
        loop.thread.start();
        return loop;
    }

    private void runLoop() {
        try {
            Xiio.run(() -> {
                executor.serve();
                return null;
            });
        } catch (Throwable t) {
            failure = t; // e.g. no epoll instance could be made: queued submissions are cancelled below
        } finally {
            executor.terminate();
        }
    }

    /** Runs {@code body} as a coroutine on this loop; see {@link LoopExecutor#submit(String, Suspendable)}. */
    public <T> CompletableFuture<T> submit(Suspendable<T> body) {
        return executor.submit(body);
    }

    /** Runs {@code body} as a coroutine named {@code name}; see {@link LoopExecutor#submit(String, Suspendable)}. */
    public <T> CompletableFuture<T> submit(String name, Suspendable<T> body) {
        return executor.submit(name, body);
    }

    /** Runs {@code command} as a coroutine; see {@link LoopExecutor#execute(Runnable)}. */
    @Override
    public void execute(Runnable command) {
        executor.execute(command);
    }

    /** Stops accepting submissions; the loop ends once the running coroutines have. */
    public void shutdown() {
        executor.shutdown();
    }

    /** Stops accepting submissions and cancels the running coroutines. */
    public void shutdownNow() {
        executor.shutdownNow();
    }

    /** Whether shutdown has begun. */
    public boolean isShutdown() {
        return executor.isShutdown();
    }

    /** Waits up to {@code timeout} for the loop to end after shutdown; true if it has. */
    public boolean awaitTermination(Duration timeout) throws InterruptedException {
        return thread.join(timeout);
    }

    /** Completes once the loop has ended and every future is complete. */
    public CompletableFuture<Void> terminated() {
        return executor.terminated();
    }

    /** The thread that runs the loop. */
    public Thread thread() {
        return thread;
    }

    /** What ended the loop abnormally, or null (for example epoll_create failing). */
    public Throwable failure() {
        return failure;
    }

    /**
     * Shuts down and waits for the running coroutines to end, like
     * {@code ExecutorService.close()}: if the waiting thread is interrupted, the
     * coroutines are cancelled, the wait goes on until they have ended, and the
     * interrupt is set again.
     */
    @Override
    public void close() {
        if (Thread.currentThread() == thread) {
            throw new IllegalStateException("LoopThread '" + thread.getName() + "' cannot be closed from its own loop:"
                    + " call shutdown() there instead");
        }
        executor.shutdown();
        boolean interrupted = false;
        while (true) {
            try {
                thread.join();
                break;
            } catch (InterruptedException e) {
                if (!interrupted) executor.shutdownNow();
                interrupted = true;
            }
        }
        if (interrupted) Thread.currentThread().interrupt();
    }

    @Override
    public String toString() {
        return "LoopThread[" + thread.getName() + ", " + executor + "]";
    }
}
