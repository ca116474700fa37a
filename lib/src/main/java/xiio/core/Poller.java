package xiio.core;

import java.io.IOException;

/**
 * The kernel side of a run: a clock, which fds to watch, and the one blocking call. A
 * poller is a parameter of {@link Xiio#run(Poller, Suspendable)}, never a global; the
 * run owns it and closes it when it ends.
 *
 * <p>The engine above it keeps the timers and knows who waits for what; a poller only
 * holds what the kernel was told. Its verbs are the small set every readiness API
 * shares (epoll, io_uring's poll requests, kqueue): {@link #add}, {@link #modify},
 * {@link #delete}, {@link #wait}. Readiness is level-triggered: an fd is reported by
 * every wait for as long as it is ready for what is watched, whatever the kernel
 * mechanism (epoll is level-triggered; io_uring re-arms a one-shot poll).
 * There is no {@code wake} verb: another thread wakes a loop by writing to an eventfd
 * the loop watches like any fd ({@code xiio.core.ThreadSignal}), which every poller can.
 *
 * <p>{@link #system()} is what {@link Xiio#run(Suspendable)} uses: {@link #epoll()} or
 * {@link #ioUring()}, as {@code -Dxiio.poller} says. {@code xiio.testing.VirtualClock}
 * wraps one to make time virtual.
 */
public interface Poller extends AutoCloseable {

    /** Receives the fds that {@link #wait} found ready. */
    @FunctionalInterface
    interface ReadySink {
        /** {@code fd} is ready for {@code ready} (never {@link Readiness#NONE}). */
        void ready(int fd, Readiness ready);
    }

    /** A new epoll poller. */
    static Poller epoll() throws IOException {
        return new EpollPoller();
    }

    /**
     * A new io_uring poller: readiness through poll requests on one ring, submitted in
     * the same io_uring_enter that waits.
     *
     * @throws IOException when this kernel or its seccomp filter offers no usable io_uring
     */
    static Poller ioUring() throws IOException {
        return IoUringPoller.open();
    }

    /**
     * A new poller of the kind this JVM uses by default: {@code -Dxiio.poller=epoll} or
     * {@code -Dxiio.poller=io_uring} forces one; without it, the faster one here (epoll,
     * see {@code docs/ARCHITECTURE.md}). When io_uring is wanted but unavailable, epoll
     * is used and a {@link System.Logger} warning says so once per JVM.
     *
     * @throws IllegalArgumentException when {@code -Dxiio.poller} names no poller
     */
    static Poller system() throws IOException {
        return PollerChoice.open();
    }

    /** The clock of this run, in nanoseconds; deadlines are points on it. */
    long nanoTime();

    /**
     * Starts watching {@code fd} for {@code interest} (not {@link Readiness#NONE}).
     *
     * @return 0, or {@code -errno} (EBADF for a closed fd, EPERM for an fd that cannot
     *     be waited for, such as a regular file)
     */
    int add(int fd, Readiness interest);

    /**
     * Changes what a watched {@code fd} is watched for (not {@link Readiness#NONE}: use
     * {@link #delete}).
     *
     * @return 0, or {@code -errno} as for {@link #add}
     */
    int modify(int fd, Readiness interest);

    /** Stops watching {@code fd}; an fd that is not watched (or already closed) is no error. */
    void delete(int fd);

    /**
     * Blocks until an fd is ready or {@code timeoutNanos} has passed (negative: no
     * limit; 0: just look), and reports ready fds to {@code sink}.
     *
     * @return how many fds were reported, plus how many {@link RingOps} operations and
     *     receive queues it completed or filled (0: nothing became ready)
     */
    int wait(long timeoutNanos, ReadySink sink) throws IOException;

    /**
     * The operations this poller can complete asynchronously ({@link RingOps}), or null
     * when it has none (epoll). A poller that wraps another passes its answer through.
     */
    default RingOps ringOps() {
        return null;
    }

    /**
     * Whether an operation the kernel answers by itself is in flight
     * ({@code answeredByKernel} of {@link RingOps#submit}): a poller with virtual time
     * must not jump while one is.
     */
    default boolean awaitsKernel() {
        return false;
    }

    /** Releases the kernel resources. */
    @Override
    void close();
}
