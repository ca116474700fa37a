package xiio.thread;

import java.io.IOException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import xiio.concurrent.Task;
import xiio.concurrent.TaskGroup;
import xiio.core.CancelledError;
import xiio.core.ThreadSignal;
import xiio.core.Suspendable;

/**
 * Runs coroutines submitted from any thread inside a run you control: plain Java
 * code calls {@link #submit} and gets a {@link CompletableFuture}; a coroutine of
 * your run calls {@link #serve()}, which runs each submission as a task of its own
 * task group. Submissions reach the loop through a lock-guarded queue and a
 * {@link ThreadSignal} (the run's one wake-up eventfd); nothing is added to the
 * loop itself. {@link LoopThread} is the ready-made version that owns a thread.
 *
 * {@snippet :
 * LoopExecutor inbox = new LoopExecutor("inbox");
 * Thread.ofPlatform().start(() -> {
 *     CompletableFuture<String> f = inbox.submit(() -> { Xiio.sleep(Duration.ofMillis(10)); return "hi"; });
 *     System.out.println(f.join());
 *     inbox.shutdown();
 * });
 * Xiio.run(() -> { inbox.serve(); return null; });   // returns once shut down and idle
 * }
 *
 * <p>Cancelling a returned future (with {@link CompletableFuture#cancel}) cancels
 * its coroutine: a {@link CancelledError} is raised at its suspension point and its
 * cleanup runs on the loop, after the future already reports cancellation.
 * Completing the future any other way (a timeout, {@code complete}) does not touch
 * the coroutine. A coroutine that fails completes its future exceptionally and
 * affects no other submission.
 *
 * <p>Dependent actions of the futures ({@code thenApply}, {@code whenComplete}) that
 * are not {@code ...Async} run on the loop's thread, as the future completes: keep
 * them short, or pass an executor.
 *
 * <p>It is also an {@link Executor}: {@link #execute} runs a {@link Runnable} as a
 * coroutine (it may suspend), and reports what it throws to the uncaught exception
 * handler of the thread it runs on.
 */
public final class LoopExecutor implements Executor {
    private static final int OPEN = 0, SHUTDOWN = 1, TERMINATED = 2;
    private static final Object CANCEL_ALL = new Object();

    private final String name;
    private final CompletableFuture<Void> terminated = new CompletableFuture<>();
    // guarded by this: the inbox and the state other threads see
    private final ArrayDeque<Object> inbox = new ArrayDeque<>();
    private int state = OPEN;
    private boolean served;
    private ThreadSignal wakeup; // while serve() runs
    // confined to the loop: the futures of spawned coroutines that have not ended
    private final Set<CoroutineFuture<?>> live = new HashSet<>();
    private long submitted;

    /** A new executor; submissions wait in its queue until {@link #serve()} runs them. */
    public LoopExecutor(String name) {
        this.name = Objects.requireNonNull(name, "name");
    }

    /** What {@link #submit} sends to the loop. */
    private record Submission<T>(String name, Suspendable<T> body, CoroutineFuture<T> future, boolean report) {}

    /** A request to cancel one submission's coroutine. */
    private record CancelRequest(CoroutineFuture<?> future) {}

    /** The future of one submission: cancelling it cancels the coroutine. */
    private static final class CoroutineFuture<T> extends CompletableFuture<T> {
        private final LoopExecutor owner;
        // confined to the loop
        private Task<Void> task;
        private boolean started;

        CoroutineFuture(LoopExecutor owner) {
            this.owner = owner;
        }

        @Override
        public boolean cancel(boolean mayInterruptIfRunning) {
            boolean cancelled = super.cancel(mayInterruptIfRunning);
            if (cancelled) owner.post(new CancelRequest(this));
            return cancelled;
        }
    }

    /** Submits {@code body}, named after this executor; see {@link #submit(String, Suspendable)}. */
    public <T> CompletableFuture<T> submit(Suspendable<T> body) {
        return submit(null, body);
    }

    /**
     * Runs {@code body} as a coroutine on the loop that serves this executor. May be
     * called from any thread, also before {@link #serve()} starts (it then waits).
     *
     * @return a future completed with its result or failure; cancelling it cancels the coroutine
     * @throws RejectedExecutionException after {@link #shutdown()}
     */
    public <T> CompletableFuture<T> submit(String name, Suspendable<T> body) {
        Objects.requireNonNull(body, "body");
        CoroutineFuture<T> future = new CoroutineFuture<>(this);
        enqueue(name, body, future, false);
        return future;
    }

    /**
     * Runs {@code command} as a coroutine on the loop; what it throws goes to the
     * uncaught exception handler of the thread it runs on.
     *
     * @throws RejectedExecutionException after {@link #shutdown()}
     */
    @Override
    public void execute(Runnable command) {
        Objects.requireNonNull(command, "command");
        enqueue(null, () -> {
            command.run();
            return null;
        }, new CoroutineFuture<>(this), true);
    }

    private synchronized <T> void enqueue(String name, Suspendable<T> body, CoroutineFuture<T> future, boolean report) {
        if (state != OPEN) {
            throw new RejectedExecutionException("loop executor '" + this.name + "' is "
                    + (state == SHUTDOWN ? "shut down" : "terminated") + "; submit before shutdown()");
        }
        inbox.add(new Submission<>(name, body, future, report));
        if (wakeup != null) wakeup.signal();
    }

    /** Posts a message unless terminated (a late cancel request then has nothing to cancel). */
    private synchronized void post(Object message) {
        if (state == TERMINATED) return;
        inbox.add(message);
        if (wakeup != null) wakeup.signal();
    }

    /** Stops accepting submissions; {@link #serve()} returns once the running ones have ended. */
    public void shutdown() {
        synchronized (this) {
            if (state != OPEN) return;
            state = SHUTDOWN;
            if (wakeup != null) wakeup.signal();
        }
    }

    /**
     * Stops accepting submissions and cancels the running ones; queued ones never
     * start (their futures are cancelled).
     */
    public void shutdownNow() {
        synchronized (this) {
            if (state == TERMINATED) return;
            state = SHUTDOWN;
        }
        post(CANCEL_ALL);
    }

    /** Whether {@link #shutdown()} or {@link #shutdownNow()} was called, or serving has ended. */
    public synchronized boolean isShutdown() {
        return state != OPEN;
    }

    /** Completes once serving has ended and every submission's future is complete. */
    public CompletableFuture<Void> terminated() {
        return terminated.copy();
    }

    /**
     * Runs submissions until {@link #shutdown()} (then until the running ones have
     * ended) or until the calling coroutine is cancelled (then it cancels them, and
     * their futures report cancellation). Submissions still queued when it returns
     * are cancelled. An executor is served once.
     *
     * @throws IllegalStateException if it is or was already served
     * @throws CancelledError if the caller is cancelled
     */
    public void serve() throws IOException {
        ThreadSignal w = ThreadSignal.open(false);
        synchronized (this) {
            if (served) {
                w.close();
                throw new IllegalStateException("loop executor '" + name + "' is already served; serve() runs once");
            }
            served = true;
            wakeup = w;
        }
        try {
            TaskGroup.scope(group -> {
                while (true) {
                    List<Object> batch;
                    boolean stopping;
                    synchronized (this) {
                        batch = new ArrayList<>(inbox);
                        inbox.clear();
                        stopping = state != OPEN;
                    }
                    for (Object message : batch) dispatch(group, message, w);
                    if (stopping && live.isEmpty()) return null;
                    w.await();
                }
            });
        } catch (IOException | RuntimeException | Error e) {
            throw e;
        } catch (Exception impossible) {
            throw new IllegalStateException("unexpected checked exception", impossible);
        } finally {
            w.close();
            // coroutines cancelled before they started (by shutdownNow or our own
            // cancellation) never ran their body: their futures are still open
            for (CoroutineFuture<?> f : live) {
                f.completeExceptionally(new CancellationException("loop executor '" + name + "' stopped before "
                        + f.task.name() + " started"));
            }
            live.clear();
            terminate();
        }
    }

    private void dispatch(TaskGroup group, Object message, ThreadSignal w) {
        if (message == CANCEL_ALL) {
            group.cancel(); // the serving loop too: it returns once every coroutine has ended
        } else if (message instanceof CancelRequest(CoroutineFuture<?> future)) {
            // one that has not started needs nothing: it sees its future done when it starts
            if (future.started) future.task.cancel();
        } else if (message instanceof Submission<?> s && !s.future().isDone()) {
            start(group, s, w);
        }
    }

    private <T> void start(TaskGroup group, Submission<T> s, ThreadSignal w) {
        String taskName = s.name() != null ? s.name() : name + " #" + ++submitted;
        live.add(s.future());
        s.future().task = group.spawn(taskName, () -> {
            s.future().started = true;
            try {
                if (!s.future().isDone()) s.future().complete(s.body().call()); // else cancelled while queued
            } catch (CancelledError e) {
                s.future().completeExceptionally(cancelled(taskName, e));
                throw e;
            } catch (Throwable t) {
                s.future().completeExceptionally(t);
                if (s.report()) Thread.currentThread().getUncaughtExceptionHandler().uncaughtException(Thread.currentThread(), t);
            } finally {
                live.remove(s.future());
                if (live.isEmpty()) w.signal(); // a shut-down executor may now finish
            }
            return null;
        });
    }

    private static CancellationException cancelled(String name, CancelledError cause) {
        CancellationException e = new CancellationException("coroutine '" + name + "' was cancelled");
        e.initCause(cause);
        return e;
    }

    /** Ends serving (or a run that never got to serve): cancels what is still queued. */
    void terminate() {
        List<Object> left;
        synchronized (this) {
            state = TERMINATED;
            wakeup = null;
            left = new ArrayList<>(inbox);
            inbox.clear();
        }
        for (Object message : left) {
            if (message instanceof Submission<?> s) {
                s.future().completeExceptionally(new CancellationException("loop executor '" + name
                        + "' stopped before coroutine '" + (s.name() != null ? s.name() : name) + "' started"));
            }
        }
        terminated.complete(null);
    }

    @Override
    public synchronized String toString() {
        return "LoopExecutor[" + name + ", " + switch (state) {
            case OPEN -> served ? "serving" : "not served yet";
            case SHUTDOWN -> "shutting down";
            default -> "terminated";
        } + "]";
    }
}
