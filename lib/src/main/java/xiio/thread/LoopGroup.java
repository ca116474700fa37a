package xiio.thread;

import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import xiio.concurrent.TaskGroup;
import xiio.core.CancelScope;
import xiio.core.CancelledError;
import xiio.core.Suspendable;
import xiio.core.Xiio;

/**
 * N loops on N platform threads, each running its own {@code Xiio.run} of the same
 * body: the multi-core shape of a shared-nothing server (one loop per core, each with
 * its own listener bound with SO_REUSEPORT, so the kernel spreads connections).
 * Nothing is shared between the loops unless the code shares it; loops hand each
 * other work with {@link Loop#call}, which runs a coroutine on the target loop and
 * waits for it as for a task of the caller's (a cancellation of the caller reaches
 * it), or {@link Loop#submit}, which returns a {@link CompletableFuture} for plain
 * Java threads.
 *
 * {@snippet :
 * LoopGroup.run("server", 4, loop -> {
 *     try (TcpListener listener = TcpListener.bind(new InetSocketAddress(8080),
 *             TcpListener.Options.DEFAULT.withReusePort(true))) {
 *         serveConnections(listener);        // this loop's share of the clients
 *     }
 * });
 * }
 *
 * <p>The group ends when every body has returned. If one body fails, or
 * {@link #shutdown()} is called, every other loop's body is cancelled (a
 * {@link xiio.core.CancelledError} at its suspension point, so its cleanup runs);
 * {@link #join()} then throws the first failure with the others suppressed.
 *
 * <p>On the slow, virtual-thread coroutine backend each loop's driver holds a carrier
 * thread of the virtual-thread scheduler while it blocks in the kernel, so
 * {@link #start} refuses two or more loops when there are no more carriers than that, naming
 * the flag that picks the fast backend.
 */
public final class LoopGroup {
    /** The body each loop runs. */
    @FunctionalInterface
    public interface Body {
        /**
         * Runs on one loop.
         *
         * @param loop this loop: its index, and the way to its siblings
         * @throws Exception a failure that ends the whole group
         */
        void run(Loop loop) throws Exception;
    }

    /** One loop of the group. */
    public final class Loop {
        // the phases of a call's body, so a caller cancelled first can keep it from starting
        private static final int QUEUED = 0, RUNNING = 1, ABANDONED = 2;
        private final int index;
        private final LoopExecutor inbox;
        /** Completed by {@link LoopGroup#shutdown()}: end this loop's body. */
        private final CompletableFuture<Void> stop = new CompletableFuture<>();
        private final Thread thread;

        private Loop(int index, String name) {
            this.index = index;
            this.inbox = new LoopExecutor(name);
            this.thread = Thread.ofPlatform().name(name).unstarted(this::runLoop);
        }

        /** @return 0 to {@code size() - 1} */
        public int index() {
            return index;
        }

        /** @return the group it belongs to */
        public LoopGroup group() {
            return LoopGroup.this;
        }

        /**
         * Runs {@code body} as a coroutine on this loop, from any thread (another loop's
         * coroutine included); cancelling the future cancels the coroutine.
         *
         * @param body the work
         * @param <T>  its result
         * @return its future
         * @throws java.util.concurrent.RejectedExecutionException once this loop has ended
         */
        public <T> CompletableFuture<T> submit(Suspendable<T> body) {
            return inbox.submit(body);
        }

        /**
         * Runs {@code body} as a coroutine on this loop and waits for it, as if it were
         * a task of the caller's: its result is returned and its failure thrown as
         * itself. When the caller is cancelled (its timeout, its group failing), the
         * coroutine on this loop is cancelled too, and {@code call} raises the
         * cancellation only once that coroutine has ended and its cleanup has run, so
         * nothing of the call outlives it (with {@link #submit} and
         * {@link Futures#await} the remote work would go on). A body that had not
         * started yet when the caller was cancelled never starts. Call it from a
         * coroutine of any loop, this one included.
         *
         * @param body the work
         * @param <T>  its result
         * @return what {@code body} returned
         * @throws java.util.concurrent.RejectedExecutionException once this loop has ended
         * @throws java.util.concurrent.CancellationException if this loop ended before the body started
         */
        public <T> T call(Suspendable<T> body) throws Exception {
            Objects.requireNonNull(body, "body");
            AtomicInteger phase = new AtomicInteger(QUEUED);
            CompletableFuture<Void> ended = new CompletableFuture<>();
            CompletableFuture<T> result = inbox.submit(() -> {
                if (!phase.compareAndSet(QUEUED, RUNNING)) {
                    throw new CancellationException("the caller was cancelled before the call started on " + this);
                }
                try {
                    return body.call();
                } finally {
                    ended.complete(null);
                }
            });
            try {
                return Futures.await(result);
            } catch (CancelledError e) {
                if (!phase.compareAndSet(QUEUED, ABANDONED)) { // it runs: cancel it, and wait out its cleanup
                    result.cancel(false);
                    CancelScope.shielded(ChronoUnit.FOREVER.getDuration(), scope -> Futures.await(ended));
                }
                throw e;
            }
        }

        private void runLoop() {
            try {
                Xiio.run(() -> TaskGroup.scope(group -> {
                    group.spawn("loop inbox", () -> {
                        inbox.serve();
                        return null;
                    });
                    group.spawn("loop stop", () -> {
                        Futures.await(stop); // another thread asked: end this loop's body
                        group.cancel();
                        return null;
                    });
                    try {
                        body.run(this);
                    } finally {
                        inbox.shutdownNow();
                    }
                    group.cancel(); // the body is done: the helpers end too
                    return null;
                }));
            } catch (Throwable t) {
                failed(t);
            } finally {
                done.complete(null);
            }
        }

        private final CompletableFuture<Void> done = new CompletableFuture<>();

        @Override
        public String toString() {
            return "Loop[" + index + " of " + name + "]";
        }
    }

    private final String name;
    private final Body body;
    private final List<Loop> loops = new ArrayList<>();
    private final List<Throwable> failures = new ArrayList<>(); // guarded by this

    private LoopGroup(String name, int size, Body body) throws java.io.IOException {
        this.name = name;
        this.body = body;
        for (int i = 0; i < size; i++) loops.add(new Loop(i, name + "-" + i));
    }

    /**
     * Starts {@code size} loops, each running {@code body} on a thread of its own
     * (named {@code name-0}, {@code name-1}, ...).
     *
     * @param name the threads' name prefix
     * @param size how many loops, at least 1 (often {@code Runtime.getRuntime().availableProcessors()})
     * @param body what each loop runs
     * @return the running group
     * @throws IllegalArgumentException if {@code size} is below 1
     * @throws java.io.IOException if an eventfd cannot be made
     */
    public static LoopGroup start(String name, int size, Body body) throws java.io.IOException {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(body, "body");
        if (size < 1) throw new IllegalArgumentException("a loop group needs at least 1 loop, got " + size);
        int carriers = carrierThreads();
        if (Xiio.backend().equals("vthread") && size > 1 && size >= carriers) {
            // each loop's driver is a virtual thread that holds its carrier while it blocks in
            // epoll_wait (a native call), so loops >= carriers leave none for anything else
            throw new IllegalStateException(size + " loops need the fast coroutine backend: on the virtual-thread backend each"
                    + " waiting loop holds one of the " + carriers + " carrier threads. Run the JVM with --add-exports"
                    + " java.base/jdk.internal.vm=ALL-UNNAMED, or raise -Djdk.virtualThreadScheduler.parallelism above " + size);
        }
        LoopGroup g = new LoopGroup(name, size, body);
        for (Loop l : g.loops) l.thread.start();
        return g;
    }

    /**
     * {@link #start} then {@link #join}: runs the loops and returns when all have ended.
     *
     * @param name the threads' name prefix
     * @param size how many loops
     * @param body what each loop runs
     * @throws Exception the first failure of a loop, the others suppressed
     */
    public static void run(String name, int size, Body body) throws Exception {
        start(name, size, body).join();
    }

    private static int carrierThreads() {
        String p = System.getProperty("jdk.virtualThreadScheduler.parallelism");
        try {
            return p != null ? Integer.parseInt(p.strip()) : Runtime.getRuntime().availableProcessors();
        } catch (NumberFormatException e) {
            return Runtime.getRuntime().availableProcessors();
        }
    }

    /** @return how many loops */
    public int size() {
        return loops.size();
    }

    /**
     * One loop, to hand it work.
     *
     * @param index 0 to {@code size() - 1}
     * @return the loop
     */
    public Loop loop(int index) {
        return loops.get(index);
    }

    /** From any thread: cancels every loop's body; their cleanup runs. Idempotent. */
    public void shutdown() {
        for (Loop l : loops) l.stop.complete(null);
    }

    /**
     * Waits for every loop to end. If this thread is interrupted, the loops are shut
     * down, the wait goes on, and the interrupt is set again.
     *
     * @throws Exception the first failure of a loop, with the later ones suppressed
     */
    public void join() throws Exception {
        boolean interrupted = false;
        for (Loop l : loops) {
            while (true) {
                try {
                    l.thread.join();
                    break;
                } catch (InterruptedException e) {
                    interrupted = true;
                    shutdown();
                }
            }
        }
        if (interrupted) Thread.currentThread().interrupt();
        Throwable first;
        synchronized (this) {
            if (failures.isEmpty()) return;
            first = failures.getFirst();
            for (Throwable t : failures.subList(1, failures.size())) if (t != first) first.addSuppressed(t);
        }
        if (first instanceof Exception e) throw e;
        if (first instanceof Error e) throw e;
        throw new IllegalStateException(first);
    }

    /** @return a future completed once every loop has ended (with no value; failures go to {@link #join}) */
    public CompletableFuture<Void> terminated() {
        return CompletableFuture.allOf(loops.stream().map(l -> l.done).toArray(CompletableFuture[]::new));
    }

    private void failed(Throwable t) {
        synchronized (this) {
            failures.add(t);
        }
        shutdown(); // one loop's failure ends them all
    }

    @Override
    public String toString() {
        return "LoopGroup[" + name + ", " + loops.size() + " loops]";
    }
}
