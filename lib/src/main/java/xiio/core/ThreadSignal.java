package xiio.core;

/**
 * Readability of an eventfd that another thread signals when work it was handed is
 * done (a {@code ThreadPool.call}): a real-world wait that is certain to be answered.
 * The engine waits on it like on any fd; what differs is what a virtual clock does
 * meanwhile: it never jumps past such a wait ({@link RunView#waitsOnThreads()}), since
 * work on another thread takes no virtual time.
 */
public final class ThreadSignal extends Condition {
    private final int fd;

    private ThreadSignal(int fd) {
        this.fd = fd;
    }

    /**
     * Fulfilled when {@code eventfd}, which another thread will signal, is readable.
     *
     * @throws IllegalArgumentException if {@code eventfd} is negative
     */
    public static Condition readable(int eventfd) {
        if (eventfd < 0) throw new IllegalArgumentException("invalid fd " + eventfd + ": must not be negative");
        return new ThreadSignal(eventfd);
    }

    @Override
    void arm(Engine engine, Waiter waiter) {
        engine.fds.add(fd, Interest.READ, waiter, waiter.nextPart++);
        engine.fds.answeredByThread(fd);
    }

    @Override
    void disarm(Engine engine, Waiter waiter) {
        engine.fds.remove(fd, Interest.READ, waiter, waiter.nextPart++);
    }

    @Override
    public String toString() {
        return "signalledByThread(fd " + fd + ")";
    }
}
