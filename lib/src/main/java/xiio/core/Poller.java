package xiio.core;

import java.io.IOException;

/**
 * The kernel side of a run: a clock, fd interest, and the one blocking call. A
 * poller is a parameter of {@link Xiio#run(Poller, Suspendable)}, never a global;
 * the run owns it and closes it when it ends.
 *
 * <p>The engine above it keeps the timers and knows who waits for what; a poller
 * only caches what the kernel was told. {@link #epoll()} is the default;
 * {@code xiio.testing.VirtualClock} wraps one to make time virtual.
 */
public interface Poller extends AutoCloseable {

    /** Receives the fds that {@link #wait} found ready. */
    @FunctionalInterface
    interface ReadySink {
        /** {@code fd} is ready; {@code events} is an epoll event mask. */
        void ready(int fd, int events);
    }

    /** A new epoll poller. */
    static Poller epoll() throws IOException {
        return new EpollPoller();
    }

    /** The clock of this run, in nanoseconds; deadlines are points on it. */
    long nanoTime();

    /**
     * Changes the kernel's interest in {@code fd} from {@code oldMask} to
     * {@code newMask} (epoll event bits; 0 means "not registered").
     *
     * @return 0, or {@code -errno} (EBADF for a closed fd, EPERM for a regular file)
     */
    int watch(int fd, int oldMask, int newMask);

    /**
     * Blocks until an fd is ready or {@code timeoutNanos} has passed (negative: no
     * limit; 0: just look), and reports ready fds to {@code sink}.
     *
     * @return how many fds were reported
     */
    int wait(long timeoutNanos, ReadySink sink) throws IOException;

    /** Releases the kernel resources. */
    @Override
    void close();
}
