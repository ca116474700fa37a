package xiio.core;

import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.time.Duration;

/**
 * One operation submitted to the run's io_uring ({@link RingOps#submit}): a promise of
 * its completion's result. Await it with {@link #await()}, or wait for
 * {@link #completion()} together with anything else.
 *
 * <p>The kernel may use the operation's buffer until it is done, also after it was
 * cancelled: {@link #await()} therefore never returns or throws before that (it
 * cancels and waits, shielded, when the awaiting coroutine is cancelled), and this
 * object keeps the buffer reachable until then.
 */
public final class RingOp {
    /** How long a cancelled operation is waited for before the kernel is given up on. */
    static final Duration SETTLE = Duration.ofSeconds(5);

    private final UringOperations owner;
    final boolean answeredByKernel;
    /** Kept reachable while the kernel may touch it. */
    @SuppressWarnings("unused")
    private MemorySegment buffer;
    final long userData;
    private final Promise<RingOp> done = new Promise<>();
    private int result;
    private int flags;
    private boolean cancelRequested;

    RingOp(UringOperations owner, long userData, MemorySegment buffer, boolean answeredByKernel) {
        this.owner = owner;
        this.userData = userData;
        this.buffer = buffer;
        this.answeredByKernel = answeredByKernel;
    }

    /** Fulfilled once the kernel has completed the operation (or its cancellation). */
    public Condition completion() {
        return done.condition();
    }

    /** Whether the kernel has completed it: its buffer is free again. */
    public boolean isDone() {
        return done.isDone();
    }

    /**
     * The completion's result: what the call returns ({@code >= 0}), or {@code -errno}
     * ({@code -ECANCELED} for a cancelled operation).
     *
     * @throws IllegalStateException if not done yet
     */
    public int result() {
        if (!isDone()) throw new IllegalStateException("the operation is still in flight; await() it");
        return result;
    }

    /** The completion's flags ({@code IORING_CQE_F_*}). */
    public int flags() {
        if (!isDone()) throw new IllegalStateException("the operation is still in flight; await() it");
        return flags;
    }

    /**
     * Asks the kernel to cancel it (IORING_OP_ASYNC_CANCEL, submitted at once). It still
     * completes: with {@code -ECANCELED}, or with its result if it finished first.
     * Harmless when done or already asked.
     */
    public void cancel() {
        if (isDone() || cancelRequested) return;
        cancelRequested = true;
        owner.cancel(userData);
    }

    /**
     * Suspends until done and returns {@link #result()}. If the coroutine is cancelled
     * meanwhile, cancels the operation and waits for the kernel to let go (shielded, at
     * most 5 s) before the {@link CancelledError} propagates.
     */
    public int await() throws IOException {
        if (!isDone()) {
            try {
                Xiio.await(completion());
            } catch (CancelledError e) {
                cancelAndSettle();
                throw e;
            }
        }
        return result;
    }

    /**
     * Cancels and waits (shielded, at most 5 s) until the kernel has completed it.
     *
     * @return whether it is done; false only if the kernel held on past the limit, in
     *     which case its buffer must not be reused
     */
    public boolean cancelAndSettle() {
        cancel();
        if (isDone()) return true;
        try {
            CancelScope.shielded(SETTLE, scope -> {
                Xiio.await(completion());
                return null;
            });
        } catch (Exception e) {
            // an await of a promise fails only by cancellation, which the shield holds back
        }
        return isDone();
    }

    void complete(int res, int cqeFlags) {
        this.result = res;
        this.flags = cqeFlags;
        this.buffer = null;
        done.complete(this);
    }

    @Override
    public String toString() {
        return "RingOp[" + (isDone() ? "done: " + result : cancelRequested ? "cancelling" : "in flight") + "]";
    }
}
