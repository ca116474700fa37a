package xiio.file;

import static java.nio.file.StandardOpenOption.APPEND;
import static java.nio.file.StandardOpenOption.CREATE;
import static java.nio.file.StandardOpenOption.READ;
import static java.nio.file.StandardOpenOption.WRITE;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import xiio.concurrent.Task;
import xiio.concurrent.TaskGroup;
import xiio.concurrent.Timeout;
import xiio.core.Poller;
import xiio.core.Xiio;
import xiio.support.Payload;
import xiio.support.TestPipe;
import xiio.thread.ThreadPool;
import xiio.unix.sys.FileSyscalls;
import xiio.unix.sys.OwnedFd;

/**
 * Which mechanism carries the transfers (the ring where the run's poller has one, the
 * pool elsewhere, the file's own pool when it was given one), and the ring's
 * cancellation and close with an operation in flight. The ring cases run on an
 * explicit io_uring poller, so every execution of the suite runs them; a pipe's read
 * end stands in for a disk that does not answer (a ring read on it stays pending).
 */
class RingPathTest {
    @TempDir
    Path dir;

    @AfterEach
    void noFileLeftOpen() throws InterruptedException {
        FileFds.assertNoneOpenUnder(dir);
    }

    /** What the suite's poller is: the system poller is io_uring only on -Dxiio.poller=io_uring with the continuation backend. */
    private static boolean suiteRunsOnTheRing() {
        return "io_uring".equals(System.getProperty("xiio.poller")) && "continuation".equals(Xiio.backend());
    }

    @Test
    void everyCallGoesThroughTheRingOnIoUringAndTouchesNoPoolThread() throws Exception {
        Path file = dir.resolve("mechanism");
        byte[] data = Payload.of(1, 300_000);
        List<Object> got;
        try (ColdCache cold = new ColdCache()) {
            got = Xiio.run(() -> {
                long poolCallsBefore = AsyncFile.defaultPoolIo().calls();
                try (AsyncFile f = AsyncFile.open(file, READ, WRITE, CREATE)) {
                    f.writeAll(0, data, 0, data.length);
                    f.force(false);
                    byte[] back = new byte[data.length];
                    f.readNBytes(0, back, 0, back.length);
                    assertEquals(0, f.cachedReads, "the cold cache sent the read on");
                    f.truncate(1000);
                    assertEquals(1000, f.size());
                    return List.of(f.mechanism(), AsyncFile.defaultPoolIo().calls() - poolCallsBefore, Arrays.equals(data, back));
                }
            });
            assertEquals(1, cold.misses.get());
        }
        if (suiteRunsOnTheRing()) {
            assertEquals(List.of("io_uring", 0L, true), got, "open, write, fsync, read, truncate and size all went through the ring");
        } else {
            assertEquals("thread pool", got.get(0));
            assertEquals(6L, got.get(1), "open, pwrite, fdatasync, pread, ftruncate and statx on the pool");
            assertEquals(true, got.get(2));
        }
    }

    @Test
    void aCachedReadIsServedOnTheLoopThreadWithoutRingOrPoolAndStillYields() throws Exception {
        Path file = dir.resolve("cached");
        byte[] data = Payload.of(9, 8192);
        Files.write(file, data);
        Files.readAllBytes(file); // in the page cache now
        for (Poller poller : new Poller[] {Poller.ioUring(), Poller.epoll()}) {
            List<Object> got = Xiio.run(poller, () -> {
                try (AsyncFile f = AsyncFile.open(file)) {
                    long before = AsyncFile.defaultPoolIo().calls();
                    int[] otherRan = new int[1];
                    byte[] buf = new byte[8192];
                    TaskGroup.scope(g -> {
                        g.spawn(() -> {
                            otherRan[0]++;
                            return null;
                        });
                        // the read yields first: the task spawned above runs before it returns
                        assertEquals(8192, f.read(0, buf, 0, buf.length));
                        assertEquals(1, otherRan[0]);
                        return null;
                    });
                    return List.of(f.cachedReads, AsyncFile.defaultPoolIo().calls() - before, Arrays.equals(data, buf));
                }
            });
            assertEquals(List.of(1L, 0L, true), got);
        }
    }

    @Test
    void anExplicitIoUringPollerCarriesTransfersAndAnExplicitEpollOneThePool() throws Exception {
        Path file = dir.resolve("explicit");
        Files.write(file, Payload.of(2, 5000));
        String[] seen = new String[2];
        long[] poolCalls = new long[2];
        for (int i = 0; i < 2; i++) {
            int run = i;
            try (ColdCache cold = new ColdCache()) {
                Xiio.run(i == 0 ? Poller.ioUring() : Poller.epoll(), () -> {
                    try (AsyncFile f = AsyncFile.open(file)) {
                        long before = AsyncFile.defaultPoolIo().calls();
                        byte[] buf = new byte[5000];
                        assertEquals(5000, f.readNBytes(0, buf, 0, buf.length));
                        assertArrayEquals(Payload.of(2, 5000), buf);
                        seen[run] = f.mechanism();
                        poolCalls[run] = AsyncFile.defaultPoolIo().calls() - before;
                    }
                    return null;
                });
            }
        }
        assertEquals(List.of("io_uring", "thread pool"), List.of(seen));
        assertEquals(0, poolCalls[0]);
        assertTrue(poolCalls[1] >= 1);
    }

    @Test
    void aFileGivenAPoolUsesItEvenWhereTheRunHasARing() throws Exception {
        Path file = dir.resolve("pooled");
        Files.write(file, Payload.of(3, 100));
        try (ThreadPool pool = new ThreadPool("own-files", 1)) {
            String mechanism = Xiio.run(Poller.ioUring(), () -> {
                try (AsyncFile f = AsyncFile.open(file, Set.of(READ), pool)) {
                    byte[] buf = new byte[100];
                    assertEquals(100, f.read(0, buf, 0, 100));
                    return f.mechanism();
                }
            });
            assertEquals("thread pool", mechanism);
            pool.close();
            assertTrue(pool.awaitTermination(5000));
        }
    }

    @Test
    void appendsThroughTheRingGoToTheEnd() throws Exception {
        Path file = dir.resolve("ring-log");
        Files.writeString(file, "one\n");
        Xiio.run(Poller.ioUring(), () -> {
            try (AsyncFile log = AsyncFile.open(file, APPEND)) {
                log.append("two\n".getBytes(), 0, 4);
                Files.writeString(file, "three\n", APPEND);
                log.append("four\n".getBytes(), 0, 5);
            }
            return null;
        });
        assertEquals("one\ntwo\nthree\nfour\n", Files.readString(file));
    }

    @Test
    void aCancelledRingReadIsCancelledInTheKernelAndWaitedForBeforeTheCallerGoesOn() throws Exception {
        try (TestPipe pipe = new TestPipe()) {
            int dup = FileSyscalls.get().fcntl(pipe.readFd, xiio.unix.sys.Constants.F_DUPFD_CLOEXEC, 0);
            AsyncFile f = AsyncFile.over(new OwnedFd(dup, "pipe"), Path.of("pipe"), Set.of(READ), null);
            byte[] buf = new byte[16];
            Arrays.fill(buf, (byte) 7);
            List<Object> got = Xiio.run(Poller.ioUring(), () -> {
                Object r = Timeout.withTimeoutOrNull(Duration.ofMillis(30), () -> f.read(0, buf, 0, buf.length));
                String mechanism = f.mechanism();
                f.close();
                return Arrays.asList(r, mechanism, f.fdClosed());
            });
            assertEquals(Arrays.asList(null, "io_uring", true), got,
                    "timed out, and the fd closed at once: the kernel had let go when the cancellation arrived");
            byte[] sevens = new byte[16];
            Arrays.fill(sevens, (byte) 7);
            assertArrayEquals(sevens, buf);
            // the cancelled read took nothing from the pipe
            pipe.put("z");
            assertEquals(1, FileSyscalls.get().read(pipe.readFd, new byte[4], 0, 4));
        }
    }

    @Test
    void closingWithARingReadInFlightClosesTheFdOnlyOnceTheKernelLetsGo() throws Exception {
        try (TestPipe pipe = new TestPipe()) {
            int dup = FileSyscalls.get().fcntl(pipe.readFd, xiio.unix.sys.Constants.F_DUPFD_CLOEXEC, 0);
            AsyncFile f = AsyncFile.over(new OwnedFd(dup, "pipe"), Path.of("pipe"), Set.of(READ), null);
            List<Object> got = Xiio.run(Poller.ioUring(), () -> TaskGroup.scope(g -> {
                byte[] buf = new byte[16];
                Task<Integer> reader = g.spawn(() -> f.read(0, buf, 0, buf.length));
                Xiio.sleep(Duration.ofMillis(20)); // the read is in the kernel now
                f.close();
                boolean openWhilePending = !f.fdClosed();
                pipe.put("late");
                int n = reader.join();
                return List.of(openWhilePending, n, new String(buf, 0, n), f.fdClosed());
            }));
            assertEquals(List.of(true, 4, "late", true), got);
            assertFalse(f.isOpen());
        }
    }

    @Test
    void aRingReadThatFailsNamesTheCallAndThePath() throws Exception {
        try (TestPipe pipe = new TestPipe()) {
            int dup = FileSyscalls.get().fcntl(pipe.writeFd, xiio.unix.sys.Constants.F_DUPFD_CLOEXEC, 0);
            // a pipe's write end cannot be read: the kernel answers EBADF in the completion
            AsyncFile f = AsyncFile.over(new OwnedFd(dup, "pipe write end"), Path.of("write-end"), Set.of(READ), null);
            String message = Xiio.run(Poller.ioUring(), () -> {
                try (f) {
                    f.read(0, new byte[4], 0, 4);
                    return "read";
                } catch (xiio.unix.ErrnoException e) {
                    return e.getMessage();
                }
            });
            assertEquals("pread(write-end, at 0): EBADF (Bad file descriptor)", message);
        }
    }
}
