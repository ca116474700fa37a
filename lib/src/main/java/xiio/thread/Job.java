package xiio.thread;

import java.util.concurrent.Callable;
import xiio.core.ThreadSignal;

/**
 * One function handed to a worker, and the {@link ThreadSignal} that tells the awaiting
 * coroutine it is done.
 *
 * <p>The worker and the coroutine meet under this object's lock. The coroutine may
 * {@link #abandon} the job (it was cancelled): a job abandoned before a worker took
 * it never runs; one that is running may be interrupted, and only while the worker
 * still runs it, because the worker leaves under the same lock and then clears its
 * interrupt flag. So an interrupt meant for a cancelled job can never reach the next
 * job on the same worker (it could before: the interrupt was sent after a racy read
 * of the worker field, possibly after the worker had already moved on).
 */
final class Job<T> implements Runnable {
    final ThreadSignal done;
    private final Callable<T> fn;
    private Thread worker; // set while fn runs
    private boolean abandoned, finished;
    private T value;
    private Throwable failure;

    Job(Callable<T> fn, ThreadSignal done) {
        this.fn = fn;
        this.done = done;
    }

    @Override
    public void run() {
        synchronized (this) {
            if (abandoned) return; // cancelled while queued: fn never starts
            worker = Thread.currentThread();
        }
        T v = null;
        Throwable f = null;
        try {
            v = fn.call();
        } catch (Throwable t) {
            f = t;
        } finally {
            synchronized (this) {
                worker = null;
                value = v;
                failure = f;
                finished = true;
            }
            // Any interrupt from abandon() happened before the block above; clear it
            // now, so it cannot reach the next job this worker runs.
            Thread.interrupted();
        }
        done.signal();
    }

    synchronized boolean isFinished() {
        return finished;
    }

    /** The awaiting coroutine gives up: a queued job never runs; a running one is interrupted if asked. */
    synchronized void abandon(boolean interrupt) {
        abandoned = true;
        if (interrupt && worker != null) worker.interrupt();
    }

    synchronized T outcome() throws Exception {
        if (failure == null) return value;
        if (failure instanceof Exception e) throw e;
        throw (Error) failure;
    }
}
