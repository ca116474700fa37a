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

    private final WaitSet members = new WaitSet();
    /** The first failure of a task or the body that is not a cancellation. */
    private Throwable failure;
    /** The outermost cancellation that reached the owner while it drove the group. */
    private CancelledError ownerCancelled;
    private boolean exited;
    /** Whether every member was cancelled once; later, only tasks spawned since need it. */
    private boolean cancelledAll;
    /** Tasks spawned since the last cancellation of all (helpers for cleanup, say). */
    private List<Task<?>> spawnedSinceCancel;

    private TaskGroup() {}

    /**
     * Runs {@code body} with a new group and returns its result once every task has
     * ended.
     *
     * @throws Exception the first failure of the body or any task, as itself
     */
    public static <T> T scope(Body<T> body) throws Exception {
        Objects.requireNonNull(body, "body");
        TaskGroup group = new TaskGroup();
        Task<T> main = group.spawn("task group body", () -> body.run(group));
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
     * Cancels every task and the body; {@link #scope} then returns {@code null} (once
     * they have all ended) unless something failed. Tasks spawned afterwards run
     * normally (cleanup may need helpers) until the group is cancelled again: by
     * another call, a later failure, or a cancellation of its owner.
     */
    public void cancel() {
        if (!cancelledAll) {
            cancelledAll = true;
            members.forEachMember(Coroutine::cancel);
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
    void taskFailed(Throwable t) {
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
            } catch (Throwable waitFailed) {
                taskFailed(waitFailed);
            }
        }
    }
}
