package xiio.concurrent;

import java.util.concurrent.CancellationException;
import xiio.core.Coroutine;
import xiio.core.Promise;

/**
 * How a task spawned with {@link TaskGroup#start} reports that it is ready: its
 * {@link #started(Object)} makes {@code start} return the value, and moves the task
 * from its starter into the group.
 *
 * {@snippet :
 * int port = group.start("server", status -> {
 *     try (TcpListener listener = TcpListener.bind(new InetSocketAddress("127.0.0.1", 0))) {
 *         status.started(listener.localAddress().getPort());   // start() returns the port; the task goes on
 *         serve(listener);
 *     }
 * });
 * }
 *
 * @param <V> what the task reports
 */
public final class TaskStatus<V> {
    private final TaskGroup group;
    /** The coroutine that called {@code start}. */
    private final Coroutine<?> starter;
    /** Done once the task reported, or ended before it did. */
    final Promise<Void> ready = new Promise<>();
    Task<?> task;
    private V value;
    private Throwable failure;
    private boolean reported;
    /** The starter was cancelled: the task stays with it, {@link #started} does nothing. */
    private boolean abandoned;

    TaskStatus(TaskGroup group, Coroutine<?> starter) {
        this.group = group;
        this.starter = starter;
    }

    /** {@link #started(Object)} with {@code null}, for a task with nothing to report. */
    public void started() {
        started(null);
    }

    /**
     * Reports that the task is ready: {@code start} returns {@code value}, and the task
     * goes on as a member of the group. Does nothing if the caller of {@code start} was
     * cancelled meanwhile, or is about to be (the task then ends with it).
     *
     * @throws IllegalStateException if called a second time
     */
    public void started(V value) {
        if (reported) throw new IllegalStateException("started() was already called for task '" + task.name() + "'");
        reported = true;
        // a starter about to be cancelled is not told (trio: started() in a cancelled
        // context does nothing); the task stays its own, and ends with it
        if (!abandoned && !ready.isDone() && starter.isCancellationDue()) abandoned = true;
        if (abandoned) return;
        this.value = value;
        task.status = null;
        group.arrived(task);
        ready.complete(null);
    }

    /** The task ended before it reported (or after its starter gave up on it). */
    void ended(Task<?> t, Throwable failure) {
        group.startEnded(t);
        if (abandoned) return;
        if (t.isCancelled()) {
            this.failure = new CancellationException("task '" + t.name() + "' was cancelled before it called status.started()");
        } else {
            this.failure = failure != null ? failure
                    : new IllegalStateException("task '" + t.name() + "' ended without calling status.started()");
        }
        ready.complete(null);
    }

    /** The starter was cancelled before the task reported. */
    void abandon() {
        abandoned = true;
    }

    /** What {@code start} returns: the reported value, or the failure thrown as itself. */
    V outcome() throws Exception {
        rethrow(failure);
        return value;
    }

    /** Throws {@code t} as itself (if it is an exception or an error); nothing if null. */
    static void rethrow(Throwable t) throws Exception {
        if (t == null) return;
        if (t instanceof Exception e) throw e;
        if (t instanceof Error e) throw e;
        throw new IllegalStateException("the task threw " + t, t);
    }

    @Override
    public String toString() {
        return "TaskStatus[" + (task == null ? "?" : task.name()) + ", "
                + (reported ? "started" : abandoned ? "abandoned" : "starting") + "]";
    }
}
