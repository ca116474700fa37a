package xiio.thread;

import java.io.IOException;
import xiio.core.Condition;
import xiio.core.ThreadSignal;
import xiio.core.Xiio;
import xiio.unix.ErrnoException;
import xiio.unix.sys.FileSyscalls;
import xiio.unix.sys.OwnedFd;

/**
 * An eventfd that any thread may {@link #signal} and one coroutine {@link #await}s:
 * how the thread layer wakes a loop that is blocked in epoll_wait.
 *
 * <p>Closing races with signalling by design (a worker may finish just as its
 * awaiting coroutine is cancelled), so the fd number is only ever used under this
 * object's lock, and {@link #close()} retires it under the same lock before closing
 * it: a late {@link #signal()} does nothing, and can never write to whatever fd
 * reuses the number. Signals coalesce: the fd is written at most once between two
 * awaits.
 */
final class Wakeup implements AutoCloseable {
    private static final byte[] ONE = {1, 0, 0, 0, 0, 0, 0, 0}; // eventfd counter += 1 (little-endian u64)

    private final byte[] drain = new byte[8];
    private OwnedFd fd; // null once retired
    private boolean signalled;
    /** Whether the signal is certain to come (a worker runs the job): a virtual clock waits for it. */
    private final boolean certain;

    Wakeup() throws ErrnoException {
        this(false);
    }

    /** With {@code certain}, awaited as a {@link ThreadSignal}: a virtual clock does not jump past it. */
    Wakeup(boolean certain) throws ErrnoException {
        fd = new OwnedFd(FileSyscalls.get().eventfd(), "wakeup eventfd");
        this.certain = certain;
    }

    /** From any thread: wakes the awaiting coroutine. Returns false (and does nothing) once closed. */
    synchronized boolean signal() {
        if (fd == null) return false;
        if (!signalled) {
            signalled = true;
            FileSyscalls.get().write(fd.fd(), ONE, 0, ONE.length);
        }
        return true;
    }

    /**
     * Suspends until signalled since the previous await, and consumes the signal.
     * Cancel-safe: a cancelled await consumes nothing.
     */
    void await() throws IOException {
        Condition readable;
        synchronized (this) {
            if (consume()) return;
            if (fd == null) throw new IOException("wakeup eventfd is closed");
            readable = certain ? ThreadSignal.readable(fd.fd()) : Condition.readable(fd.fd());
        }
        while (true) {
            Xiio.await(readable);
            synchronized (this) {
                if (consume()) return;
            }
        }
    }

    private boolean consume() {
        if (!signalled) return false;
        signalled = false;
        if (fd != null) FileSyscalls.get().read(fd.fd(), drain, 0, drain.length); // reset the counter: epoll stops reporting it
        return true;
    }

    /**
     * Retires the fd; later signals do nothing. Call it on the loop that awaited it:
     * the close then tells that loop (through the syscall table's hook) to forget the
     * fd before the number can be reused. Idempotent.
     */
    @Override
    public void close() {
        OwnedFd f;
        synchronized (this) {
            f = fd;
            fd = null;
        }
        if (f != null) f.close();
    }
}
