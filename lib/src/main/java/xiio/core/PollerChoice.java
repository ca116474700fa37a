package xiio.core;

import java.io.IOException;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Which poller {@link Poller#system()} opens: {@code -Dxiio.poller=epoll} or
 * {@code -Dxiio.poller=io_uring}, else {@link #DEFAULT}. An io_uring that cannot be had
 * (an old kernel, {@code kernel.io_uring_disabled}, a seccomp filter answering EPERM or
 * ENOSYS, as Docker's default profile does) falls back to epoll, said once per JVM.
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
        try {
            return Poller.ioUring();
        } catch (IOException e) {
            if (WARNED.compareAndSet(false, true)) {
                System.getLogger("xiio.core").log(System.Logger.Level.WARNING,
                        "io_uring is unavailable (" + e.getMessage() + "); using epoll."
                                + " -D" + PROPERTY + "=epoll chooses it without trying io_uring");
            }
            return Poller.epoll();
        }
    }

    /** Forgets the warning was given (for the test of the fallback). */
    static void resetWarning() {
        WARNED.set(false);
    }
}
