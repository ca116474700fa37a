package xiio.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import xiio.concurrent.TaskGroup;
import xiio.support.TestPipe;
import xiio.unix.Errno;
import xiio.unix.ErrnoException;
import xiio.unix.sys.Constants;
import xiio.unix.sys.FileSyscalls;

/**
 * The io_uring poller keeps every wait's meaning: level-triggered readiness (data left
 * behind by a partial read is still readable), regular files always ready, closed fds
 * failing at once, and a close while a poll is in flight failing its waiter and
 * releasing the file; with a ring far smaller than what waits, so a full submission
 * queue and an overflowing completion queue (NODROP) are exercised on every run.
 */
class IoUringPollerTest {
    @Test
    void dataLeftByAPartialReadIsStillReadable() throws Exception {
        try (TestPipe pipe = new TestPipe()) {
            String got = Xiio.run(Poller.ioUring(), () -> {
                pipe.put("ab");
                byte[] one = new byte[1];
                Xiio.await(Condition.readable(pipe.readFd));
                Xiio.read(pipe.readFd, one);
                String first = new String(one);
                // no new data arrives: an edge-triggered poll would sleep here for ever
                Xiio.await(Condition.anyOf(Condition.readable(pipe.readFd), Condition.after(Duration.ofSeconds(30))));
                Xiio.read(pipe.readFd, one);
                return first + new String(one);
            });
            assertEquals("ab", got);
        }
    }

    @Test
    void aWaitWithNothingReadyEndsByItsDeadline() throws Exception {
        try (TestPipe pipe = new TestPipe()) {
            boolean readable = Xiio.run(Poller.ioUring(), () -> {
                Xiio.await(Condition.anyOf(Condition.readable(pipe.readFd), Condition.after(Duration.ofMillis(20))));
                return false;
            });
            assertEquals(false, readable);
        }
    }

    @Test
    void aFullSubmissionQueueAndAnOverflowingCompletionQueueLoseNoWakeup() throws Exception {
        int n = 300; // a ring of 8 entries, 16 completions: 300 polls to submit, 300 completions at once
        List<TestPipe> pipes = new ArrayList<>();
        try {
            for (int i = 0; i < n; i++) pipes.add(new TestPipe());
            int[] woke = {0};
            Xiio.run(IoUringPoller.open(8), () -> TaskGroup.scope(g -> {
                for (TestPipe p : pipes) {
                    g.spawn(() -> {
                        byte[] b = new byte[1];
                        for (int r = 0; r < 3; r++) {
                            assertEquals(1, Xiio.read(p.readFd, b));
                            woke[0]++;
                        }
                        return null;
                    });
                }
                for (int r = 0; r < 3; r++) {
                    Xiio.sleep(Duration.ofMillis(20)); // every reader waits
                    for (TestPipe p : pipes) p.put("x"); // every poll completes in one wait
                    while (woke[0] < (r + 1) * n) Xiio.sleep(Duration.ofMillis(1));
                }
                return null;
            }));
            assertEquals(3 * n, woke[0]);
        } finally {
            pipes.forEach(TestPipe::close);
        }
    }

    @Test
    void aRegularFileIsAlwaysReady(@TempDir Path dir) throws Exception {
        Path file = Files.writeString(dir.resolve("data"), "hello");
        int fd = FileSyscalls.get().open(file.toString(), Constants.O_RDONLY | Constants.O_CLOEXEC, 0);
        try {
            String got = Xiio.run(Poller.ioUring(), () -> {
                for (int i = 0; i < 10; i++) Xiio.await(Condition.readable(fd));
                byte[] b = new byte[5];
                return new String(b, 0, Xiio.read(fd, b));
            });
            assertEquals("hello", got);
        } finally {
            FileSyscalls.get().close(fd);
        }
    }

    @Test
    void waitingOnAClosedFdFailsAtOnceWithEbadf() throws Exception {
        int closed = 19_999; // not open (a number just closed would be reused by the ring's own fd)
        ErrnoException e = assertThrows(ErrnoException.class,
                () -> Xiio.run(Poller.ioUring(), () -> {
                    Xiio.await(Condition.readable(closed));
                    return null;
                }));
        assertEquals(Errno.EBADF, e.errno());
    }

    @Test
    void closingAnFdWithAPollInFlightFailsItsWaiterAndReleasesTheFile() throws Exception {
        try (TestPipe pipe = new TestPipe()) {
            String failure = Xiio.run(Poller.ioUring(), () -> TaskGroup.scope(g -> {
                var reader = g.spawn(() -> {
                    try {
                        Xiio.await(Condition.readable(pipe.readFd));
                        return "no failure";
                    } catch (java.io.IOException e) {
                        return e.getMessage();
                    }
                });
                Xiio.sleep(Duration.ofMillis(20)); // the poll is submitted and pending
                pipe.closeReadEnd();
                Xiio.sleep(Duration.ofMillis(20));
                // the read end is really closed (the poll's reference is gone): the writer sees EPIPE
                byte[] x = {1};
                long r = FileSyscalls.get().write(pipe.writeFd, x, 0, 1);
                assertEquals((long) -Errno.EPIPE, r, "write to a pipe whose read end was closed");
                return reader.join();
            }));
            assertEquals("fd " + pipe.readFd + " was closed while a coroutine waited on it", failure);
        }
    }

    @Test
    void theRingHasTheFlagsTheBackendAllows() throws Exception {
        try (IoUringPoller p = IoUringPoller.open()) {
            assertInstanceOf(IoUringPoller.class, p);
            // one OS thread drives the continuation backend's loop; the virtual-thread backend's moves
            boolean oneThread = !xiio.core.strand.Backends.get().needsVirtualDriver();
            assertEquals(oneThread, (p.setupFlags() & Constants.IORING_SETUP_SINGLE_ISSUER) != 0,
                    "flags 0x" + Integer.toHexString(p.setupFlags()));
            assertEquals(0, p.setupFlags() & Constants.IORING_SETUP_COOP_TASKRUN, "flags 0x" + Integer.toHexString(p.setupFlags()));
        }
    }
}
