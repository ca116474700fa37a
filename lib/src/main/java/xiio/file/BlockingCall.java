package xiio.file;

import java.io.IOException;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.LongConsumer;
import java.util.function.LongSupplier;
import xiio.thread.ThreadPool;

/**
 * One blocking syscall on a {@link ThreadPool} worker, whose result someone must
 * always receive: the awaiting coroutine, or, if it gave up (it was cancelled while
 * the call was queued or running), an orphan handler. That is what keeps a cancelled
 * read from leaking its fd reference, and a cancelled open from leaking the fd it
 * opened after its caller left.
 *
 * <p>The caller and the worker race for the result through one state word: whoever
 * moves it last hands the result over. A call abandoned before a worker took it
 * never runs, and the orphan handler gets {@link #NEVER_RAN}.
 */
final class BlockingCall implements Callable<Long> {
    /** What the orphan handler receives for a call that never started. */
    static final long NEVER_RAN = Long.MIN_VALUE;

    private static final int QUEUED = 0, RUNNING = 1, DONE = 2, ABANDONED = 3;

    private final LongSupplier syscall;
    private final LongConsumer orphan;
    private final AtomicInteger state = new AtomicInteger(QUEUED);
    private volatile long result = NEVER_RAN;

    private BlockingCall(LongSupplier syscall, LongConsumer orphan) {
        this.syscall = syscall;
        this.orphan = orphan;
    }

    /**
     * Runs {@code syscall} on a worker of {@code pool} and returns its result. If this
     * coroutine is cancelled, or the pool refuses the call, {@code orphan} receives the
     * result instead, exactly once, on whichever thread has it last (the worker, for a
     * call that was running), and the cancellation is thrown.
     */
    static long run(ThreadPool pool, LongSupplier syscall, LongConsumer orphan) throws IOException {
        BlockingCall call = new BlockingCall(syscall, orphan);
        try {
            return pool.call(call);
        } catch (Throwable cancelledOrFailed) {
            call.abandon();
            if (cancelledOrFailed instanceof IOException e) throw e;
            if (cancelledOrFailed instanceof RuntimeException e) throw e;
            if (cancelledOrFailed instanceof Error e) throw e;
            throw new IllegalStateException("unexpected failure of a file call on " + pool, cancelledOrFailed);
        }
    }

    @Override
    public Long call() {
        if (!state.compareAndSet(QUEUED, RUNNING)) return NEVER_RAN; // abandoned while queued
        try {
            long r = syscall.getAsLong();
            result = r;
            return r;
        } finally {
            // a syscall that threw leaves NEVER_RAN as its result: there is nothing to hand over
            if (!state.compareAndSet(RUNNING, DONE)) orphan.accept(result); // the caller left while we ran
        }
    }

    private void abandon() {
        if (state.compareAndSet(QUEUED, ABANDONED)) {
            orphan.accept(NEVER_RAN);
        } else if (!state.compareAndSet(RUNNING, ABANDONED)) {
            orphan.accept(result); // DONE: the result was there, but did not reach us
        }
        // else RUNNING -> ABANDONED: the worker hands the result to the orphan handler
    }
}
