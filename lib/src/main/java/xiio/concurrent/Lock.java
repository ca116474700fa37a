package xiio.concurrent;

import java.util.Objects;
import xiio.core.Coroutine;
import xiio.core.Suspendable;

/**
 * A mutual-exclusion lock for the coroutines of one run, held by a coroutine (a
 * task), not a thread.
 *
 * <ul>
 * <li>Not reentrant: locking it again from the coroutine that holds it would wait
 *     forever, so it throws {@link IllegalStateException} instead. Unlocking a lock
 *     that is free, or that another coroutine holds, throws too, naming the holder.
 * <li>Fair: {@link #unlock()} hands the lock straight to the coroutine that has
 *     waited longest; a newcomer never overtakes a waiter.
 * <li>Cancel-safe: a cancelled {@link #lock()} does not hold the lock afterwards;
 *     if the lock was handed to it in the same instant, it passes the lock on.
 * </ul>
 *
 * {@snippet :
 * Lock lock = new Lock();
 * lock.lock();
 * try {
 *     writeRecord(file, record);             // may suspend; other writers wait
 * } finally {
 *     lock.unlock();
 * }
 * // or: lock.withLock(() -> writeRecord(file, record));
 * }
 *
 * <p>A task group's tasks, and its body, are coroutines of their own: a lock taken
 * before {@code TaskGroup.scope} cannot be unlocked from inside a task. Not
 * thread-safe: use it from the coroutines of one run.
 */
public final class Lock {
    private final WaitQueue<Coroutine<?>> waiters = new WaitQueue<>();
    private Coroutine<?> owner;

    /** A free lock. */
    public Lock() {}

    /**
     * Takes the lock, suspending while another coroutine holds it or waits for it.
     *
     * @throws IllegalStateException if the current coroutine already holds it
     * @throws xiio.core.CancelledError if cancelled while waiting (then the lock is not held)
     */
    public void lock() {
        Coroutine<?> me = Coroutine.current();
        if (owner == null) {
            owner = me;
            return;
        }
        if (owner == me) {
            throw new IllegalStateException("coroutine '" + me.name() + "' already holds this lock; Lock is not"
                    + " reentrant (locking it again would wait forever): unlock it first, or restructure the code");
        }
        WaitQueue.Node<Coroutine<?>> node = waiters.add(me);
        try {
            WaitQueue.await(node);
        } catch (Throwable t) {
            if (node.isGranted()) unlock(); // handed the lock, then cancelled: pass it on
            else waiters.remove(node);
            throw t;
        }
    }

    /** Takes the lock if it is free; never suspends. */
    public boolean tryLock() {
        if (owner != null) return false;
        owner = Coroutine.current();
        return true;
    }

    /**
     * Releases the lock, handing it to the longest waiter if there is one.
     *
     * @throws IllegalStateException if the lock is free or another coroutine holds it
     */
    public void unlock() {
        Coroutine<?> me = Coroutine.current();
        if (owner == null) {
            throw new IllegalStateException("coroutine '" + me.name() + "' unlocked a lock that is not locked;"
                    + " every unlock() must follow a lock() of the same coroutine");
        }
        if (owner != me) {
            throw new IllegalStateException("coroutine '" + me.name() + "' unlocked a lock held by coroutine '"
                    + owner.name() + "'; only the holder may unlock it");
        }
        WaitQueue.Node<Coroutine<?>> next = waiters.poll();
        if (next == null) {
            owner = null;
        } else {
            owner = next.value;
            next.grant();
        }
    }

    /** Runs {@code body} holding the lock, and unlocks it however the body ends. */
    public <T> T withLock(Suspendable<T> body) throws Exception {
        Objects.requireNonNull(body, "body");
        lock();
        try {
            return body.call();
        } finally {
            unlock();
        }
    }

    /** Whether some coroutine holds the lock. */
    public boolean isLocked() {
        return owner != null;
    }

    /**
     * Whether the current coroutine holds the lock.
     *
     * @throws IllegalStateException outside {@code Xiio.run}
     */
    public boolean isHeldByCurrentCoroutine() {
        return owner != null && owner == Coroutine.current();
    }

    /** How many coroutines wait in {@link #lock()}. */
    public int queueLength() {
        return waiters.size();
    }

    @Override
    public String toString() {
        return "Lock[" + (owner == null ? "free" : "held by '" + owner.name() + "'") + ", " + waiters.size() + " waiting]";
    }
}
