package xiio.thread;

import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicInteger;
import xiio.unix.FileSyscalls;

/**
 * One function handed to a worker, and the eventfd that tells the loop it is done.
 * The fd is closed by the side that finishes last: the awaiting coroutine after it
 * read the outcome, or the worker when the coroutine was cancelled first.
 */
final class Job<T> implements Runnable {
    private static final int RUNNING = 0, DONE = 1, ABANDONED = 2;
    private static final byte[] ONE = {1, 0, 0, 0, 0, 0, 0, 0}; // eventfd counter += 1 (little-endian u64)

    final int eventFd;
    private final Callable<T> fn;
    private final AtomicInteger state = new AtomicInteger(RUNNING);
    private volatile Thread worker;
    private T value;
    private Throwable failure;

    Job(Callable<T> fn, int eventFd) {
        this.fn = fn;
        this.eventFd = eventFd;
    }

    @Override
    public void run() {
        worker = Thread.currentThread();
        try {
            value = fn.call();
        } catch (Throwable t) {
            failure = t;
        } finally {
            worker = null;
            Thread.interrupted(); // an interrupt meant for fn must not reach the next job
        }
        if (state.compareAndSet(RUNNING, DONE)) {
            FileSyscalls.get().write(eventFd, ONE, 0, ONE.length);
        } else {
            FileSyscalls.get().close(eventFd); // the awaiting side is gone
        }
    }

    boolean isDone() {
        return state.get() == DONE;
    }

    /** The awaiting side gives up; true if the worker will close the fd. */
    boolean abandon(boolean interrupt) {
        if (!state.compareAndSet(RUNNING, ABANDONED)) return false;
        Thread w = worker;
        if (interrupt && w != null) w.interrupt();
        return true;
    }

    T outcome() throws Exception {
        if (failure == null) return value;
        if (failure instanceof Exception e) throw e;
        throw (Error) failure;
    }
}
