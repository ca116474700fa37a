package xiio.unix.sys;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.Objects;

/**
 * An fd this process owns, and what it is: the one type every owner of an fd holds
 * (streams, listeners, UDP sockets, eventfds, pidfds, the epoll instance).
 *
 * <p>{@link #close()} closes it exactly once, however many times and from however many
 * threads it is called, and always through {@link FileSyscalls#close}: that call's
 * hook is the only way a loop learns that an fd is gone, so an owner never tells the
 * loop itself. An fd that another thread will close (a pidfd handed to a reaper thread,
 * which blocks in waitid) is {@link #handOff handed off}: the calling loop is told
 * now, while the number is still ours, because the hook on the other thread finds no
 * loop to tell.
 *
 * <p>The number stays readable after close, for messages ("pipe read end (fd 7) is
 * closed"); only the owner's own checks of {@link #isOpen()} keep it from being used.
 */
public final class OwnedFd {
    private static final VarHandle CLOSED;

    static {
        try {
            CLOSED = MethodHandles.lookup().findVarHandle(OwnedFd.class, "closed", boolean.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private final int fd;
    private final String description;
    // volatile: an eventfd's owner may close it from a thread other than its loop's
    private volatile boolean closed;

    /**
     * Takes ownership of {@code fd}.
     *
     * @param description what the fd is, for messages ({@code "pipe read end"})
     */
    public OwnedFd(int fd, String description) {
        if (fd < 0) throw new IllegalArgumentException("invalid fd " + fd + ": must not be negative");
        this.fd = fd;
        this.description = Objects.requireNonNull(description, "description");
    }

    /** The number, for syscalls; use it only while {@link #isOpen()}. */
    public int fd() {
        return fd;
    }

    /** What the fd is, as given to the constructor. */
    public String description() {
        return description;
    }

    /** Whether neither {@link #close()} nor {@link #handOff()} has been called. */
    public boolean isOpen() {
        return !closed;
    }

    /**
     * Closes the fd through {@link FileSyscalls#close} (whose hook tells a loop on this
     * thread first), the first time only. Linux releases the fd even when close(2)
     * fails, so there is never a second try.
     *
     * @return 0, or {@code -errno} of the first close; 0 on every later call
     */
    public int close() {
        if (!CLOSED.compareAndSet(this, false, true)) return 0;
        return FileSyscalls.get().close(fd);
    }

    /**
     * For an fd another thread will close: tells the calling thread's loop, if any, that
     * the fd is gone, and returns a new owner of it for that thread. This one is
     * closed from now on.
     *
     * @throws IllegalStateException if it was closed or handed off already
     */
    public OwnedFd handOff() {
        if (!CLOSED.compareAndSet(this, false, true)) throw new IllegalStateException(this + " is no longer ours to hand off");
        FileSyscalls.closing(fd);
        return new OwnedFd(fd, description);
    }

    @Override
    public String toString() {
        return description + " (fd " + fd + ")";
    }
}
