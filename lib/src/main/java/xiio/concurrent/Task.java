package xiio.concurrent;

import java.util.concurrent.CancellationException;
import xiio.core.CancelledError;
import xiio.core.Coroutine;
import xiio.core.Promise;
import xiio.core.Xiio;

/**
 * The handle of a task spawned in a {@link TaskGroup}. The task leaves its group when
 * it ends; the handle keeps its result.
 *
 * @param <R> what the task returns
 */
public final class Task<R> {
    private static final int RUNNING = 0, SUCCEEDED = 1, FAILED = 2, CANCELLED = 3;

    private final TaskGroup group;
    Coroutine<R> coroutine;
    private int state = RUNNING;
    private R value;
    private Throwable failure;
    private Promise<Void> done;
    /** While it starts ({@link TaskGroup#start}): its status, through which a failure goes to the starter. */
    TaskStatus<?> status;
    /** The group was cancelled while it started: cancel it when it reports. */
    boolean cancelOnArrival;

    Task(TaskGroup group) {
        this.group = group;
    }

    /** Called by the group's loop when the coroutine has ended, however it ended. */
    void ended(Coroutine<R> c) {
        failure = c.failure();
        if (failure == null) {
            value = c.result();
            state = SUCCEEDED;
        } else if (c.isCancelled()) {
            state = CANCELLED;
        } else {
            state = FAILED;
        }
        TaskStatus<?> s = status;
        if (s != null) {
            // still the starter's: it learns how the task ended, the group does not
            status = null;
            s.ended(this, failure);
        } else if (state == FAILED) {
            group.taskFailed(this, failure);
        }
        if (done != null) done.complete(null);
    }

    /**
     * Waits until the task has ended, without throwing its failure; a cancellation of
     * the caller meanwhile does not stop the wait. Returns the outermost cancellation
     * the caller received ({@code first} or a later one).
     */
    CancelledError awaitEnd(CancelledError first) {
        CancelledError outermost = first;
        while (state == RUNNING) {
            if (done == null) done = new Promise<>();
            try {
                Xiio.await(done.condition());
            } catch (CancelledError later) {
                outermost = later;   // each later delivery comes from a scope further out
            } catch (java.io.IOException impossible) {
                throw new IllegalStateException("waiting on a promise failed", impossible);
            }
        }
        return outermost;
    }

    /** The task's name (shown in task dumps). */
    public String name() {
        return coroutine.name();
    }

    /** Whether the task has ended. */
    public boolean isDone() {
        return state != RUNNING;
    }

    /** Whether it ended because it was cancelled. */
    public boolean isCancelled() {
        return state == CANCELLED;
    }

    /**
     * Its result.
     *
     * @throws IllegalStateException if it has not ended, or failed (the failure is the cause)
     * @throws CancellationException if it was cancelled
     */
    public R result() {
        return switch (state) {
            case SUCCEEDED -> value;
            case FAILED -> throw new IllegalStateException("task '" + name() + "' failed", failure);
            case CANCELLED -> throw cancelled();
            default -> throw new IllegalStateException("task '" + name() + "' has not ended; join() it first");
        };
    }

    /** What it threw, or null (also null when cancelled). */
    public Throwable exception() {
        return state == FAILED ? failure : null;
    }

    /**
     * Suspends until the task ends, then returns its result or throws its failure as
     * itself ({@link CancellationException} if it was cancelled). Cancelling the
     * caller does not cancel the task.
     */
    public R join() throws Exception {
        if (state == RUNNING) {
            if (done == null) done = new Promise<>();
            done.await();
        }
        if (state == FAILED) {
            if (failure instanceof Exception e) throw e;
            throw (Error) failure;
        }
        return result();
    }

    /** Requests cancellation; see {@link Coroutine#cancel()}. */
    public void cancel() {
        coroutine.cancel();
    }

    /** Where it waits, innermost frame first (empty unless suspended). */
    public StackTraceElement[] suspensionPoint() {
        return coroutine.suspensionPoint();
    }

    private CancellationException cancelled() {
        CancellationException e = new CancellationException("task '" + name() + "' was cancelled");
        e.initCause(failure);
        return e;
    }

    @Override
    public String toString() {
        return "Task[" + coroutine.name() + ", " + switch (state) {
            case SUCCEEDED -> "succeeded";
            case FAILED -> "failed: " + failure;
            case CANCELLED -> "cancelled";
            default -> "running";
        } + "]";
    }
}
