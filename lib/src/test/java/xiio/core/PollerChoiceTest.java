package xiio.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.foreign.MemorySegment;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import xiio.core.strand.Backends;
import xiio.support.TestPipe;
import xiio.unix.Errno;
import xiio.unix.sys.UringSyscalls;

/**
 * {@code -Dxiio.poller} picks the poller; an io_uring the kernel refuses (a seccomp
 * filter's ENOSYS or EPERM, injected here into io_uring_setup) falls back to epoll and
 * says so once; EINTR from io_uring_enter is a wait that saw nothing, not a failure.
 */
class PollerChoiceTest {
    private final String before = System.getProperty(PollerChoice.PROPERTY);

    @AfterEach
    void restore() {
        if (before == null) System.clearProperty(PollerChoice.PROPERTY);
        else System.setProperty(PollerChoice.PROPERTY, before);
    }

    /** The real table, except for what a test overrides. */
    private static class Faulty extends UringSyscalls {}

    private static List<String> warnings(Runnable body) {
        List<String> seen = new ArrayList<>();
        Logger log = Logger.getLogger("xiio.core");
        Handler h = new Handler() {
            @Override
            public void publish(LogRecord r) {
                seen.add(r.getMessage());
            }

            @Override
            public void flush() {}

            @Override
            public void close() {}
        };
        log.addHandler(h);
        try {
            body.run();
        } finally {
            log.removeHandler(h);
        }
        return seen;
    }

    @Test
    void thePropertyForcesEitherPoller() throws Exception {
        System.setProperty(PollerChoice.PROPERTY, "epoll");
        try (Poller p = Poller.system()) {
            assertInstanceOf(EpollPoller.class, p);
        }
        System.setProperty(PollerChoice.PROPERTY, "io_uring");
        try (Poller p = Poller.system()) {
            // the virtual-thread backend's loop moves between OS threads: epoll there
            Class<? extends Poller> expected = Backends.get().needsVirtualDriver() ? EpollPoller.class : IoUringPoller.class;
            assertInstanceOf(expected, p);
        } finally {
            PollerChoice.resetWarning();
        }
    }

    @Test
    void anUnknownPollerNameIsRefusedByName() {
        System.setProperty(PollerChoice.PROPERTY, "kqueue");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, Poller::system);
        assertEquals("-Dxiio.poller=kqueue names no poller: use epoll or io_uring", e.getMessage());
    }

    @Test
    void enosysFromSetupFallsBackToEpollAndSaysSoOnce() throws Exception {
        System.setProperty(PollerChoice.PROPERTY, "io_uring");
        UringSyscalls previous = UringSyscalls.install(new Faulty() {
            @Override
            public int setup(int entries, MemorySegment params) {
                return -Errno.ENOSYS;
            }
        });
        PollerChoice.resetWarning();
        try {
            List<String> seen = warnings(() -> {
                for (int i = 0; i < 3; i++) {
                    try (TestPipe pipe = new TestPipe()) {
                        String got = Xiio.run(() -> {
                            pipe.put("x");
                            byte[] b = new byte[1];
                            Xiio.read(pipe.readFd, b);
                            return new String(b);
                        });
                        assertEquals("x", got);
                    } catch (Exception e) {
                        throw new AssertionError(e);
                    }
                }
            });
            assertEquals(1, seen.size(), seen.toString());
            if (!Backends.get().needsVirtualDriver()) {
                assertTrue(seen.getFirst().startsWith("io_uring is unavailable (io_uring_setup("), seen.getFirst());
                assertTrue(seen.getFirst().contains("ENOSYS"), seen.getFirst());
            }
            try (Poller p = Poller.system()) {
                assertInstanceOf(EpollPoller.class, p);
            }
        } finally {
            UringSyscalls.install(previous);
            PollerChoice.resetWarning();
        }
    }

    @Test
    void epermFromSetupFallsBackToo() throws Exception {
        System.setProperty(PollerChoice.PROPERTY, "io_uring");
        UringSyscalls previous = UringSyscalls.install(new Faulty() {
            @Override
            public int setup(int entries, MemorySegment params) {
                return -Errno.EPERM;
            }
        });
        try (Poller p = Poller.system()) {
            assertInstanceOf(EpollPoller.class, p);
        } finally {
            UringSyscalls.install(previous);
            PollerChoice.resetWarning();
        }
    }

    @Test
    void eintrFromEnterIsAWaitThatSawNothing() throws Exception {
        int[] interrupted = {0};
        UringSyscalls previous = UringSyscalls.install(new Faulty() {
            @Override
            public int enter(int fd, int toSubmit, int minComplete, int flags, MemorySegment arg, long argSize) {
                // every other call is interrupted before it takes anything
                if (interrupted[0] < 40 && (interrupted[0]++ & 1) == 0) return -Errno.EINTR;
                return super.enter(fd, toSubmit, minComplete, flags, arg, argSize);
            }
        });
        try (TestPipe pipe = new TestPipe()) {
            String got = Xiio.run(Poller.ioUring(), () -> {
                StringBuilder sb = new StringBuilder();
                byte[] b = new byte[1];
                for (int i = 0; i < 10; i++) {
                    Xiio.sleep(Duration.ofMillis(1));
                    pipe.put(String.valueOf(i));
                    Xiio.await(Condition.readable(pipe.readFd));
                    Xiio.read(pipe.readFd, b);
                    sb.append((char) b[0]);
                }
                return sb.toString();
            });
            assertEquals("0123456789", got);
            assertTrue(interrupted[0] >= 10, "io_uring_enter interrupted " + interrupted[0] + " times");
        } finally {
            UringSyscalls.install(previous);
        }
    }
}
