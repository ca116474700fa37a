package xiio.concurrent;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import xiio.core.Coroutine;
import xiio.core.Suspendable;

/**
 * Limits how many borrowers use something at once (trio's {@code CapacityLimiter}): a
 * semaphore whose tokens are held by someone. Each borrower (by default the coroutine
 * that acquires) holds at most one token, and only a holder can give it back, so a
 * double acquire or a stray release fails loudly instead of silently changing the
 * count. The total can change while tokens are out.
 *
 * {@snippet :
 * CapacityLimiter downloads = new CapacityLimiter(4);      // at most 4 at once
 * String page = downloads.withToken(() -> fetch(url));
 * }
 *
 * Fair (tokens go to waiters in the order they came; a newcomer never takes one while
 * others wait) and cancel-safe (a cancelled acquire holds no token afterwards; one
 * handed a token just as it was cancelled passes it on). Not thread-safe: use it from
 * the coroutines of one run.
 */
public final class CapacityLimiter {
    private final WaitQueue<Object> waiters = new WaitQueue<>();
    private final Set<Object> borrowers = new LinkedHashSet<>();
    private int total;

    /**
     * A limiter with {@code totalTokens} tokens.
     *
     * @throws IllegalArgumentException if {@code totalTokens} is negative
     */
    public CapacityLimiter(int totalTokens) {
        this.total = checkTotal(totalTokens);
    }

    private static int checkTotal(int n) {
        if (n < 0) throw new IllegalArgumentException("totalTokens must not be negative, got " + n);
        return n;
    }

    /** {@link #acquireOnBehalfOf} with the current coroutine as borrower. */
    public void acquire() {
        acquireOnBehalfOf(Coroutine.current());
    }

    /**
     * Borrows a token for {@code borrower}, suspending until one is free and every
     * earlier waiter has been served.
     *
     * @throws IllegalStateException if {@code borrower} already holds a token of this limiter
     * @throws xiio.core.CancelledError if cancelled while waiting (then it holds no token)
     */
    public void acquireOnBehalfOf(Object borrower) {
        if (tryAcquireOnBehalfOf(borrower)) return;
        WaitQueue.Node<Object> node = waiters.add(borrower);
        try {
            WaitQueue.await(node);
        } catch (Throwable t) {
            if (node.isGranted()) releaseOnBehalfOf(borrower);   // handed a token, then cancelled: pass it on
            else waiters.remove(node);
            throw t;
        }
    }

    /** {@link #tryAcquireOnBehalfOf} with the current coroutine as borrower. */
    public boolean tryAcquire() {
        return tryAcquireOnBehalfOf(Coroutine.current());
    }

    /**
     * Borrows a token for {@code borrower} if one is free and nobody waits; never suspends.
     *
     * @throws IllegalStateException if {@code borrower} already holds a token of this limiter
     */
    public boolean tryAcquireOnBehalfOf(Object borrower) {
        Objects.requireNonNull(borrower, "borrower");
        if (borrowers.contains(borrower)) {
            throw new IllegalStateException(borrower + " already holds a token of this CapacityLimiter;"
                    + " each borrower holds at most one (use acquireOnBehalfOf with distinct borrowers)");
        }
        if (borrowers.size() < total && waiters.isEmpty()) {
            borrowers.add(borrower);
            return true;
        }
        return false;
    }

    /** {@link #releaseOnBehalfOf} with the current coroutine as borrower. */
    public void release() {
        releaseOnBehalfOf(Coroutine.current());
    }

    /**
     * Gives back {@code borrower}'s token: to the oldest waiter, if the total allows.
     *
     * @throws IllegalStateException if {@code borrower} holds no token of this limiter
     */
    public void releaseOnBehalfOf(Object borrower) {
        Objects.requireNonNull(borrower, "borrower");
        if (!borrowers.remove(borrower)) {
            throw new IllegalStateException(borrower + " holds no token of this CapacityLimiter: release without acquire");
        }
        admit();
    }

    /** Runs {@code body} holding a token for the current coroutine, and gives it back however the body ends. */
    public <T> T withToken(Suspendable<T> body) throws Exception {
        Objects.requireNonNull(body, "body");
        Coroutine<?> me = Coroutine.current();
        acquireOnBehalfOf(me);
        try {
            return body.call();
        } finally {
            releaseOnBehalfOf(me);
        }
    }

    /**
     * Changes the number of tokens. More tokens go to waiters at once; fewer take none
     * back, they only stop new borrowing until enough are returned.
     *
     * @throws IllegalArgumentException if {@code totalTokens} is negative
     */
    public void setTotalTokens(int totalTokens) {
        total = checkTotal(totalTokens);
        admit();
    }

    /** Hands free tokens to waiters, oldest first. */
    private void admit() {
        while (borrowers.size() < total && !waiters.isEmpty()) {
            WaitQueue.Node<Object> next = waiters.poll();
            borrowers.add(next.value);
            next.grant();
        }
    }

    /** The number of tokens. */
    public int totalTokens() {
        return total;
    }

    /** Tokens held now. */
    public int borrowedTokens() {
        return borrowers.size();
    }

    /** Tokens free now (0 when more are out than the total, after a decrease). */
    public int availableTokens() {
        return Math.max(0, total - borrowers.size());
    }

    /** Who holds tokens, in the order they got them. */
    public List<Object> borrowers() {
        return new ArrayList<>(borrowers);
    }

    /** How many wait in {@link #acquire()}. */
    public int waiting() {
        return waiters.size();
    }

    @Override
    public String toString() {
        return "CapacityLimiter[" + borrowers.size() + "/" + total + " borrowed, " + waiters.size() + " waiting]";
    }
}
