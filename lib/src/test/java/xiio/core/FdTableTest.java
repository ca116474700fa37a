package xiio.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import xiio.support.TestPipe;
import xiio.unix.sys.Constants;
import xiio.unix.sys.FileSyscalls;

/**
 * The fd table's facts about epoll, on real pipes and files, counting what the kernel
 * is told: a registration is cached for the run (no epoll_ctl per wait), narrowed only
 * when an event arrives that nobody waits for, forgotten when the fd is closed (and
 * its waiters fail), and a regular file, which epoll refuses, is always ready.
 */
class FdTableTest {
    private static String add(int fd, Readiness interest) {
        return "add fd " + fd + " " + interest;
    }

    private static String delete(int fd) {
        return "delete fd " + fd;
    }

    @Test
    void aRegistrationIsCachedForTheRunSoRepeatedWaitsCostNoEpollCtl() throws Exception {
        try (TestPipe pipe = new TestPipe(); CountingPoller poller = new CountingPoller()) {
            Xiio.run(poller, () -> {
                byte[] buf = new byte[16];
                for (int i = 0; i < 100; i++) {
                    pipe.put("x");
                    Xiio.await(Condition.readable(pipe.readFd));
                    assertEquals(1, Xiio.read(pipe.readFd, buf));
                }
                return null;
            });
            assertEquals(List.of(add(pipe.readFd, Readiness.READ)), poller.watches);
        }
    }

    @Test
    void interestIsNarrowedOnlyWhenAnEventArrivesThatNobodyWaitsFor() throws Exception {
        try (TestPipe pipe = new TestPipe(); CountingPoller poller = new CountingPoller()) {
            Xiio.run(poller, () -> {
                // a wait that ends by its deadline leaves the registration in place
                Xiio.await(Condition.anyOf(Condition.readable(pipe.readFd), Condition.after(Duration.ofMillis(5))));
                assertEquals(List.of(add(pipe.readFd, Readiness.READ)), poller.watches);
                pipe.put("x"); // nobody waits: the next poll narrows the interest to nothing
                Xiio.sleep(Duration.ofMillis(5));
                assertEquals(List.of(add(pipe.readFd, Readiness.READ), delete(pipe.readFd)),
                        poller.watches);
                Xiio.await(Condition.readable(pipe.readFd)); // registered again, ready at once
                return null;
            });
            assertEquals(3, poller.watches.size(), String.valueOf(poller.watches));
        }
    }

    @Test
    void closingAnFdFailsItsWaitersAndForgetsItsRegistration() throws Exception {
        try (TestPipe pipe = new TestPipe(); CountingPoller poller = new CountingPoller()) {
            String failure = Xiio.run(poller, () -> {
                Coroutine<String> reader = Coroutine.create("reader", () -> {
                    try {
                        Xiio.await(Condition.readable(pipe.readFd));
                        return "no failure";
                    } catch (IOException e) {
                        return e.getMessage();
                    }
                });
                WaitSet set = new WaitSet();
                set.add(reader);
                reader.resume(); // starts, waits on the pipe
                pipe.closeReadEnd(); // through the syscall table: the loop hears of it first
                while (set.size() > 0) {
                    Coroutine<?> c = set.next();
                    if (c == null) Xiio.await(set);
                    else c.resume();
                }
                return reader.result();
            });
            assertEquals("fd " + pipe.readFd + " was closed while a coroutine waited on it", failure);
            assertEquals(List.of(add(pipe.readFd, Readiness.READ), delete(pipe.readFd)),
                    poller.watches);
        }
    }

    @Test
    void aRegularFileIsAlwaysReadyAndAskedOnlyOnce(@TempDir Path dir) throws Exception {
        Path file = Files.writeString(dir.resolve("data"), "hello");
        int fd = FileSyscalls.get().open(file.toString(), Constants.O_RDONLY | Constants.O_CLOEXEC, 0);
        try (CountingPoller poller = new CountingPoller()) {
            Xiio.run(poller, () -> {
                for (int i = 0; i < 10; i++) Xiio.await(Condition.readable(fd));
                return null;
            });
            assertEquals(1, poller.watches.size(), String.valueOf(poller.watches));
            assertTrue(poller.watches.getFirst().endsWith(" = -" + xiio.unix.Errno.EPERM), poller.watches.getFirst());
        } finally {
            FileSyscalls.get().close(fd);
        }
    }
}
