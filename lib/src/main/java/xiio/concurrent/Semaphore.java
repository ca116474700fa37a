package xiio.concurrent;

import java.util.Objects;
import xiio.core.Suspendable;

/**
 * A counting semaphore for the coroutines of one run: {@link #acquire()} takes a
 * permit, waiting while there is none; {@link #release()} gives one back.
 *
 * <ul>
 * <li>Fair: waiters get permits in the order they started waiting, and a newcomer
 *     never takes a permit while others wait (a release hands its permit straight
 *     to the oldest waiter).
 * <li>Cancel-safe: a cancelled {@link #acquire()} holds no permit afterwards; if a
 *     permit was handed to it in the same instant, it passes the permit on.
 * <li>Optionally bounded: with {@code maxPermits}, releasing more often than
 *     acquiring is an error instead of silently growing the count.
 * </ul>
 *
 * {@snippet :
 * Semaphore connections = new Semaphore(10);            // at most 10 requests in flight
 * String body = connections.withPermit(() -> fetch(url));
 * }
 *
 * Not thread-safe: use it from the coroutines of one run.
 */
public final class Semaphore {
    private final WaitQueue<Void> waiters = new WaitQueue<>();
    private final int maxPermits;
    private int permits;

    /**
     * A semaphore with {@code permits} permits; {@link #release()} may add more.
     *
     * @throws IllegalArgumentException if {@code permits} is negative
     */
    public Semaphore(int permits) {
        this(permits, Integer.MAX_VALUE);
    }

    /**
     * A semaphore with {@code permits} permits that never holds more than {@code maxPermits}.
     *
     * @throws IllegalArgumentException if {@code permits} is negative or above {@code maxPermits}
     */
    public Semaphore(int permits, int maxPermits) {
        if (permits < 0) throw new IllegalArgumentException("permits must not be negative, got " + permits);
        if (permits > maxPermits) {
            throw new IllegalArgumentException("permits (" + permits + ") must not exceed maxPermits (" + maxPermits + ")");
        }
        this.permits = permits;
        this.maxPermits = maxPermits;
    }

    /**
     * Takes a permit, suspending until one is free and every earlier waiter has
     * been served. Does not suspend when a permit is free and nobody waits.
     *
     * @throws xiio.core.CancelledError if cancelled while waiting (then no permit is held)
     */
    public void acquire() {
        if (permits > 0 && waiters.isEmpty()) {
            permits--;
            return;
        }
        WaitQueue.Node<Void> node = waiters.add(null);
        try {
            WaitQueue.await(node);
        } catch (Throwable t) {
            if (node.isGranted()) release(); // handed a permit, then cancelled: pass it on
            else waiters.remove(node);
            throw t;
        }
    }

    /** Takes a permit if one is free and nobody waits; never suspends. */
    public boolean tryAcquire() {
        if (permits > 0 && waiters.isEmpty()) {
            permits--;
            return true;
        }
        return false;
    }

    /**
     * Gives a permit back: to the oldest waiter if there is one, else to the pool.
     *
     * @throws IllegalStateException if that would exceed {@code maxPermits}
     */
    public void release() {
        WaitQueue.Node<Void> next = waiters.poll();
        if (next != null) {
            next.grant();
            return;
        }
        if (permits == maxPermits) {
            throw new IllegalStateException("release() without a matching acquire(): the semaphore already holds"
                    + " its maximum of " + maxPermits + " permits");
        }
        permits++;
    }

    /** Runs {@code body} holding a permit, and releases it however the body ends. */
    public <T> T withPermit(Suspendable<T> body) throws Exception {
        Objects.requireNonNull(body, "body");
        acquire();
        try {
            return body.call();
        } finally {
            release();
        }
    }

    /** Free permits (0 while anyone waits). */
    public int availablePermits() {
        return permits;
    }

    /** How many coroutines wait in {@link #acquire()}. */
    public int queueLength() {
        return waiters.size();
    }

    @Override
    public String toString() {
        return "Semaphore[" + permits + " free, " + waiters.size() + " waiting]";
    }
}
