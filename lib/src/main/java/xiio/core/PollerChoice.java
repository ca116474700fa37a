package xiio.core;

import java.io.IOException;
import java.util.concurrent.atomic.AtomicBoolean;
import xiio.core.strand.Backends;

/**
 * Which poller {@link Poller#system()} opens: {@code -Dxiio.poller=epoll} or
 * {@code -Dxiio.poller=io_uring}, else {@link #DEFAULT}. An io_uring that cannot be had
 * (an old kernel, {@code kernel.io_uring_disabled}, a seccomp filter answering EPERM or
 * ENOSYS, as Docker's default profile does) falls back to epoll, said once per JVM; so
 * does the virtual-thread backend, whose loop does not stay on one OS thread.
 */
final class PollerChoice {
    private PollerChoice() {}

    /** The name of the system property. */
    static final String PROPERTY = "xiio.poller";
    /**
     * epoll until io_uring measures faster here: with readiness alone, io_uring makes the
     * same syscalls per round trip as epoll (one shared wait, one recv, one send) and adds
     * an entry pair per event.
     */
    static final String DEFAULT = "epoll";
    private static final AtomicBoolean WARNED = new AtomicBoolean();

    static Poller open() throws IOException {
        String name = System.getProperty(PROPERTY, DEFAULT);
        return switch (name) {
            case "epoll" -> Poller.epoll();
            case "io_uring" -> ioUringOrEpoll();
            default -> throw new IllegalArgumentException(
                    "-D" + PROPERTY + "=" + name + " names no poller: use epoll or io_uring");
        };
    }

    private static Poller ioUringOrEpoll() throws IOException {
        if (Backends.get().needsVirtualDriver()) {
            // A poll's completion is task work of the OS thread that submitted it; the
            // virtual-thread backend's loop moves between carriers, so a readiness the
            // loop itself caused could arrive after the wait that should have seen it.
            warnOnce("io_uring needs the loop on one OS thread, and the virtual-thread backend moves it");
            return Poller.epoll();
        }
        try {
            return Poller.ioUring();
        } catch (IOException e) {
            warnOnce("io_uring is unavailable (" + e.getMessage() + ")");
            return Poller.epoll();
        }
    }

    private static void warnOnce(String why) {
        if (WARNED.compareAndSet(false, true)) {
            System.getLogger("xiio.core").log(System.Logger.Level.WARNING,
                    why + "; using epoll. -D" + PROPERTY + "=epoll chooses it without trying io_uring");
        }
    }

    /** Forgets the warning was given (for the test of the fallback). */
    static void resetWarning() {
        WARNED.set(false);
    }
}
