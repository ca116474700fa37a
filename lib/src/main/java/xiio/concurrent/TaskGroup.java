package xiio.concurrent;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import xiio.core.CancelledError;
import xiio.core.Coroutine;
import xiio.core.Suspendable;
import xiio.core.WaitSet;
import xiio.core.Xiio;

/**
 * Structured concurrency: a scope whose tasks have all ended when it returns.
 *
 * <ul>
 * <li>Tasks start at the next suspension of the code that owns the group, not at once.
 * <li>A task always starts, even one cancelled before it did: the cancellation is raised
 *     at its first suspension point. So a resource handed to a task (an accepted
 *     socket) is closed by the task's own {@code try (conn)}, whatever happens.
 * <li>If any task fails (the body included), every other task and the body are
 *     cancelled: a {@link CancelledError} is raised at their suspension points. They
 *     may still suspend during cleanup.
 * <li>{@link #scope} throws the <em>first</em> failure, as itself; later failures
 *     (during the cancellation that follows, say) are attached to it as suppressed
 *     exceptions. A failure is never lost: a task whose cleanup throws while the
 *     group is being cancelled from outside makes {@code scope} throw that failure,
 *     not the cancellation (as trio and asyncio do).
 * <li>An outer cancellation always wins: if the code that owns the group is cancelled
 *     while the group runs (an enclosing timeout expires, an enclosing scope or its
 *     task is cancelled), every task is cancelled, and once they have all ended
 *     {@code scope} throws that cancellation (the outermost one, if several came), so
 *     the scope it belongs to ends, unless some task failed for real.
 * <li>Ended tasks leave the group; their {@link Task} handles keep the results.
 * <li>Tasks may be spawned while the group runs, even after cancellation began
 *     (cleanup may need helpers); they run normally until the group is cancelled
 *     again: every failure cancels every other task, those spawned since the first
 *     one included, and so does another {@link #cancel()} or a cancellation of the owner.
 * </ul>
 *
 * <h2>Starting a task and waiting until it is ready</h2>
 * {@link #start} spawns a task and suspends until the task reports, through its
 * {@link TaskStatus}, that it is ready (a server has bound its port), returning the
 * value it reported; the task then keeps running in the group. Until it reports, the
 * task belongs to the caller of {@code start} (trio's {@code nursery.start}): a failure
 * is thrown by {@code start} and does not touch the group, cancelling the caller
 * cancels the task, and cancelling the group does not (the task is cancelled as it
 * arrives instead). The group does not end while a start is pending.
 *
 * {@snippet :
 * TaskGroup.scope(group -> {
 *     int port = group.start("server", status -> {
 *         try (TcpListener listener = TcpListener.bind(new InetSocketAddress("127.0.0.1", 0))) {
 *             status.started(listener.localAddress().getPort());        // start() returns this port
 *             serve(listener);
 *         }
 *     });
 *     talkTo(port);                                   // the server is listening already
 *     group.cancel();
 *     return null;
 * });
 * }
 *
 * <h2>Supervision</h2>
 * {@link #supervisor(FailureHandler, Body)} opens a group in which a task's failure is
 * handed to a handler (logged, by default) instead of cancelling its siblings, like
 * Kotlin's {@code supervisorScope}: for servers whose connections must not take each
 * other down. Everything else stays as in {@link #scope}: a failure of the body, or of
 * the handler itself, cancels everything and is thrown; an outer cancellation wins.
 *
 * <p>The group is lambda-scoped, like Kotlin's {@code coroutineScope}, rather than a
 * try-with-resources block: with try-with-resources the body's secondary
 * cancellation would reach the caller and the real failure would be suppressed.
 *
 * {@snippet :
 * List<String> greetings = Xiio.run(() -> TaskGroup.scope(group -> {
 *     Task<String> a = group.spawn("greet a", () -> { Xiio.sleep(Duration.ofMillis(20)); return "hello a"; });
 *     Task<String> b = group.spawn("greet b", () -> { Xiio.sleep(Duration.ofMillis(10)); return "hello b"; });
 *     return List.of(a.join(), b.join());      // both slept at once: about 20 ms in all
 * }));
 * }
 *
 * <p>How it works: the body runs as a coroutine of its own in the group's
 * {@link WaitSet}; the caller's coroutine resumes the members whose waits are
 * fulfilled and otherwise awaits the set, the union of what they all wait for.
 */
public final class TaskGroup {
    /** The body of a group. */
    @FunctionalInterface
    public interface Body<T> {
        /** Runs with the group, in which it may spawn tasks. */
        T run(TaskGroup group) throws Exception;
    }

    /** The body of a task started with {@link #start}: it reports readiness through {@code status}. */
    @FunctionalInterface
    public interface Startable<V> {
        /** Runs as the task; calls {@code status.started(value)} once it is ready. */
        void run(TaskStatus<V> status) throws Exception;
    }

    /** What a {@linkplain #supervisor(FailureHandler, Body) supervisor} group does with a task's failure. */
    @FunctionalInterface
    public interface FailureHandler {
        /**
         * Called on the group's scheduler as soon as {@code task} has failed with
         * {@code failure} (never for a cancellation). It must not suspend: to react
         * with I/O, spawn a task. If it throws, the group fails as a strict one does.
         */
        void taskFailed(Task<?> task, Throwable failure) throws Exception;
    }

    private static final System.Logger LOG = System.getLogger(TaskGroup.class.getName());

    /** The handler of {@link #supervisor(Body)}: a warning with the failure, through {@link System.Logger}. */
    public static final FailureHandler LOG_FAILURE = (task, failure) ->
            LOG.log(System.Logger.Level.WARNING, "task '" + task.name() + "' failed in a supervisor group", failure);

    private final WaitSet members = new WaitSet();
    /** Null for a strict group; else where a task's failure goes. */
    private final FailureHandler supervisor;
    /** The body's task, whose failure is never the handler's. */
    private Task<?> bodyTask;
    /** Tasks of pending {@link #start} calls: the starter's, not the group's, until they report. */
    private java.util.Map<Coroutine<?>, Task<?>> starting;
    /** The first failure of a task or the body that is not a cancellation. */
    private Throwable failure;
    /** The outermost cancellation that reached the owner while it drove the group. */
    private CancelledError ownerCancelled;
    private boolean exited;
    /** Whether every member was cancelled once; later, only tasks spawned since need it. */
    private boolean cancelledAll;
    /** Tasks spawned since the last cancellation of all (helpers for cleanup, say). */
    private List<Task<?>> spawnedSinceCancel;

    private TaskGroup(FailureHandler supervisor) {
        this.supervisor = supervisor;
    }

    /**
     * Runs {@code body} with a new group and returns its result once every task has
     * ended.
     *
     * @throws Exception the first failure of the body or any task, as itself
     */
    public static <T> T scope(Body<T> body) throws Exception {
        Objects.requireNonNull(body, "body");
        return run(new TaskGroup(null), body);
    }

    /**
     * {@link #supervisor(FailureHandler, Body)} with {@link #LOG_FAILURE}: each task's
     * failure is logged as a warning and cancels nothing.
     */
    public static <T> T supervisor(Body<T> body) throws Exception {
        return supervisor(LOG_FAILURE, body);
    }

    /**
     * Runs {@code body} with a new supervisor group: a task's failure is given to
     * {@code onFailure} (and stays readable on its {@link Task} handle) instead of
     * cancelling the other tasks. A failure of the body or of {@code onFailure}, and
     * an outer cancellation, behave as in {@link #scope}.
     *
     * {@snippet :
     * TaskGroup.supervisor((task, failure) -> failures.add(task.name()), group -> {
     *     for (TcpStream conn; (conn = listener.accept()) != null; ) {
     *         TcpStream c = conn;
     *         group.spawn("conn", () -> { try (c) { serve(c); } return null; });   // one failing leaves the others
     *     }
     *     return null;
     * });
     * }
     *
     * @throws Exception the first failure of the body or of {@code onFailure}, as itself
     */
    public static <T> T supervisor(FailureHandler onFailure, Body<T> body) throws Exception {
        Objects.requireNonNull(onFailure, "onFailure");
        Objects.requireNonNull(body, "body");
        return run(new TaskGroup(onFailure), body);
    }

    private static <T> T run(TaskGroup group, Body<T> body) throws Exception {
        Task<T> main = group.spawn("task group body", () -> body.run(group));
        group.bodyTask = main;
        group.drive();
        group.exited = true;
        if (group.failure instanceof Exception e) throw e;
        if (group.failure != null) throw (Error) group.failure;
        if (group.ownerCancelled != null) throw group.ownerCancelled;
        return main.isCancelled() ? null : main.result();
    }

    /**
     * Runs every body concurrently and returns their results in argument order. The
     * first failure cancels the others and is thrown.
     */
    public static <T> List<T> gather(List<? extends Suspendable<? extends T>> bodies) throws Exception {
        Objects.requireNonNull(bodies, "bodies");
        List<Task<? extends T>> tasks = new ArrayList<>(bodies.size());
        scope(group -> {
            int i = 0;
            for (Suspendable<? extends T> body : bodies) {
                tasks.add(group.spawn("gather #" + i++, Objects.requireNonNull(body, "bodies contains null")));
            }
            return null;
        });
        List<T> results = new ArrayList<>(tasks.size());
        for (Task<? extends T> t : tasks) results.add(t.result());
        return results;
    }

    /** {@link #gather(List)} for a fixed number of bodies. */
    @SafeVarargs
    public static <T> List<T> gather(Suspendable<? extends T>... bodies) throws Exception {
        return gather(Arrays.asList(bodies));
    }

    /** Spawns a task named after its position; see {@link #spawn(String, Suspendable)}. */
    public <R> Task<R> spawn(Suspendable<R> body) {
        return spawn("task", body);
    }

    /**
     * Spawns a task that starts at the owner's next suspension.
     *
     * @throws IllegalStateException if the group has exited
     */
    public <R> Task<R> spawn(String name, Suspendable<R> body) {
        Objects.requireNonNull(body, "body");
        if (exited) throw new IllegalStateException("this task group has exited; spawn tasks inside TaskGroup.scope");
        Task<R> task = new Task<>(this);
        task.coroutine = Coroutine.create(name, body, task::ended);
        members.add(task.coroutine);
        if (cancelledAll) {
            if (spawnedSinceCancel == null) spawnedSinceCancel = new ArrayList<>();
            spawnedSinceCancel.add(task);
        }
        return task;
    }

    /**
     * Spawns a task and suspends until it calls {@link TaskStatus#started(Object)},
     * returning the value it reported; the task then goes on in this group. Until
     * then it belongs to the caller: if it fails (or ends without reporting), this
     * throws that failure as itself (an {@link IllegalStateException} for ending
     * without reporting) and the group is not affected; if the caller is cancelled,
     * the task is cancelled too, this waits until it has ended and then rethrows the
     * cancellation (or the task's failure). A cancellation of the group while the task
     * starts is not delivered to it: it is cancelled when it arrives.
     *
     * @throws IllegalStateException if the group has exited
     * @throws Exception the task's failure before it reported, as itself
     */
    public <V> V start(String name, Startable<V> body) throws Exception {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(body, "body");
        if (exited) throw new IllegalStateException("this task group has exited; start tasks inside TaskGroup.scope");
        TaskStatus<V> status = new TaskStatus<>(this, Coroutine.current());
        Task<Void> task = spawnStarting(name, () -> {
            body.run(status);
            return null;
        });
        status.task = task;
        task.status = status;
        try {
            Xiio.awaitHandOff(status.ready.condition(), status.ready);
        } catch (CancelledError cancelled) {
            // the task stays ours: it is cancelled with us, and start() ends when it has
            status.abandon();
            task.cancel();
            CancelledError outermost = task.awaitEnd(cancelled);
            Throwable failure = task.exception();
            if (failure != null) {
                failure.addSuppressed(outermost);
                TaskStatus.rethrow(failure);
            }
            throw outermost;
        }
        return status.outcome();
    }

    private Task<Void> spawnStarting(String name, Suspendable<Void> body) {
        Task<Void> task = new Task<>(this);
        task.coroutine = Coroutine.create(name, body, task::ended);
        if (starting == null) starting = new java.util.IdentityHashMap<>();
        starting.put(task.coroutine, task);
        members.add(task.coroutine);
        return task;
    }

    /** A starting task reported: from now on it is the group's like any other. */
    void arrived(Task<?> task) {
        starting.remove(task.coroutine);
        if (task.cancelOnArrival) task.cancel();
        else if (cancelledAll) {
            if (spawnedSinceCancel == null) spawnedSinceCancel = new ArrayList<>();
            spawnedSinceCancel.add(task);
        }
    }

    /** A starting task ended before it reported (or its starter gave up on it). */
    void startEnded(Task<?> task) {
        starting.remove(task.coroutine);
    }

    /**
     * Cancels every task and the body; {@link #scope} then returns {@code null} (once
     * they have all ended) unless something failed. Tasks spawned afterwards run
     * normally (cleanup may need helpers) until the group is cancelled again: by
     * another call, a later failure, or a cancellation of its owner. A task that is
     * still starting ({@link #start}) belongs to its starter: it is cancelled when it
     * reports that it started.
     */
    public void cancel() {
        if (starting != null) {
            for (Task<?> t : starting.values()) t.cancelOnArrival = true;
        }
        if (!cancelledAll) {
            cancelledAll = true;
            if (starting == null || starting.isEmpty()) members.forEachMember(Coroutine::cancel);
            else members.forEachMember(c -> {
                if (!starting.containsKey(c)) c.cancel();
            });
        } else if (spawnedSinceCancel != null) {
            // the others were cancelled already: only the newcomers need it, so a group
            // whose 100,000 tasks fail one by one in cleanup costs O(N), not O(N^2)
            for (Task<?> t : spawnedSinceCancel) t.cancel();
            spawnedSinceCancel.clear();
        }
    }

    /** How many tasks (the body included) have not ended. */
    public int size() {
        return members.size();
    }

    /** A task (or the body) failed with {@code t}, which is not its own cancellation. */
    void taskFailed(Task<?> task, Throwable t) {
        if (supervisor != null && task != bodyTask) {
            try {
                supervisor.taskFailed(task, t);
                return;
            } catch (Throwable handlerFailed) {
                if (handlerFailed != t) handlerFailed.addSuppressed(t);
                t = handlerFailed;
            }
        }
        failed(t);
    }

    /** The group fails with {@code t}: the first failure is thrown, every other task is cancelled. */
    private void failed(Throwable t) {
        if (failure == null) failure = t;
        else if (t != failure) failure.addSuppressed(t);
        // every failure cancels every other task, those spawned since the first one too
        cancel();
    }

    /**
     * Resumes members whose waits are fulfilled until all have ended; in between, awaits
     * their union. The wait set hands out no more members when the run is due to look
     * at its fds and timers, so however deeply groups nest, the poller is consulted
     * within a bounded number of resumes (see {@link WaitSet#next()}).
     */
    private void drive() {
        while (true) {
            for (Coroutine<?> ready; (ready = members.next()) != null; ) ready.resume();
            if (members.size() == 0) return;
            try {
                Xiio.await(members);
            } catch (CancelledError outside) {
                // Each later delivery comes from a scope further out (a delivery spends
                // every scope inside it), so the last one is the outermost.
                ownerCancelled = outside;
                cancel();
            } catch (StackOverflowError noRoom) {
                // The suspension itself overflowed (the JDK's freeze of this coroutine,
                // "Stack overflow while freezing"): no wait began, and the next one, at
                // this same depth, would overflow again, for ever. The group ends here,
                // as a failure of its owner; its members are abandoned with the run.
                throw noRoom;
            } catch (Throwable waitFailed) {
                failed(waitFailed);
            }
        }
    }
}
