package xiio.file;

import java.util.concurrent.atomic.AtomicInteger;
import xiio.unix.sys.OwnedFd;

/**
 * A file's fd and the count of its users: the file itself, and every operation in
 * flight (on a worker thread or in the kernel's ring). The fd closes when the last
 * user lets go, so {@link AsyncFile#close()} with a read in flight never frees a
 * number that a worker's pread or the ring still uses: otherwise the number could be
 * reused by the next open, and the pending read would read someone else's file.
 *
 * <p>{@link #acquire} is called on the loop thread; {@link #release} on any thread
 * (a worker releases what a cancelled caller left to it); {@link #close} on any thread,
 * once.
 */
final class SharedFd {
    private final OwnedFd owned;
    private final AtomicInteger users = new AtomicInteger(1); // the file's own reference
    private volatile boolean closed;
    private static final java.lang.invoke.VarHandle CLOSED;

    static {
        try {
            CLOSED = java.lang.invoke.MethodHandles.lookup().findVarHandle(SharedFd.class, "closed", boolean.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    SharedFd(OwnedFd owned) {
        this.owned = owned;
    }

    /** The number, for a syscall made while a reference is held. */
    int fd() {
        return owned.fd();
    }

    /** Whether {@link #close()} has not been called (the fd itself may outlive it). */
    boolean isOpen() {
        return !closed;
    }

    /**
     * Takes a reference for one operation; false once the file is closed. A compare-and-set
     * loop, not an increment, so that a close on another thread (a shutdown hook) can
     * never be followed by an acquire of an fd whose count already reached 0.
     */
    boolean acquire() {
        while (true) {
            int n = users.get();
            if (n == 0 || closed) return false;
            if (users.compareAndSet(n, n + 1)) return true;
        }
    }

    /** Gives one reference back; the last closes the fd. */
    void release() {
        int left = users.decrementAndGet();
        if (left == 0) owned.close();
        else if (left < 0) throw new IllegalStateException(owned + " released more often than acquired");
    }

    /** Drops the file's own reference: the fd closes now, or when the last operation ends. Idempotent. */
    void close() {
        if (!CLOSED.compareAndSet(this, false, true)) return; // once, whichever thread closes
        release();
    }

    /** Whether the fd itself is closed: no user is left (for tests). */
    boolean fdClosed() {
        return !owned.isOpen();
    }

    @Override
    public String toString() {
        return owned.toString();
    }
}
