package xiio.misuse;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.time.Duration;
import java.util.stream.Stream;
import xiio.concurrent.TaskGroup;
import xiio.concurrent.Timeout;
import xiio.core.Condition;
import xiio.core.Xiio;
import xiio.io.FdStream;
import xiio.io.Pipe;
import xiio.support.TestPipe;
import xiio.unix.ErrnoException;
import xiio.unix.sys.Constants;
import xiio.unix.sys.FileSyscalls;

/**
 * Misused file descriptors: negative, never opened, closed before or while a coroutine
 * waits on them, and streams used the wrong way round.
 */
class FdMisuseTest extends MisuseTable {
    static Stream<Row> rows() {
        return Stream.concat(invalidFds(), closedFds());
    }

    static Stream<Row> invalidFds() {
        byte[] buf = new byte[16];
        return Stream.of(
                inside("Xiio.read on fd -1", IllegalArgumentException.class, "invalid fd -1: must not be negative",
                        () -> Xiio.read(-1, buf)),
                inside("Xiio.write on fd -1", IllegalArgumentException.class, "invalid fd -1: must not be negative",
                        () -> Xiio.write(-1, buf, 0, 1)),
                inside("await on fd -1", IllegalArgumentException.class, "invalid fd -1: must not be negative",
                        () -> await(Condition.writable(-1))),
                inside("Xiio.read on fd 99999, never opened", ErrnoException.class,
                        "wait for fd 99999 to be readable: " + EBADF, () -> Xiio.read(99999, buf)),
                inside("Xiio.write on fd 99999, never opened", ErrnoException.class,
                        "wait for fd 99999 to be writable: " + EBADF, () -> Xiio.write(99999, buf, 0, 1)),
                inside("await readable on fd 99999, never opened", ErrnoException.class,
                        "wait for fd 99999 to be readable: " + EBADF, () -> await(Condition.readable(99999))),
                inside("FdStream over fd 99999", ErrnoException.class, "fcntl(F_GETFL)(fd 99999, made up): " + EBADF,
                        () -> new FdStream(99999, FdStream.Access.READ, "made up")),
                inside("FdStream over a blocking fd", IllegalArgumentException.class,
                        "fd # (/dev/null) is in blocking mode: a read would stall the loop", FdMisuseTest::blockingFdStream));
    }

    static Stream<Row> closedFds() {
        byte[] buf = new byte[16];
        return Stream.of(
                inside("Xiio.read on a closed fd", ErrnoException.class, "wait for fd # to be readable: " + EBADF, () -> {
                    try (TestPipe p = new TestPipe()) {
                        p.closeReadEnd();
                        return Xiio.read(p.readFd, buf);
                    }
                }),
                inside("Xiio.write on a closed fd", ErrnoException.class, "wait for fd # to be writable: " + EBADF, () -> {
                    try (TestPipe p = new TestPipe()) {
                        p.closeWriteEnd();
                        return Xiio.write(p.writeFd, buf, 0, 1);
                    }
                }),
                inside("await on a closed fd", ErrnoException.class, "wait for fd # to be readable: " + EBADF, () -> {
                    try (TestPipe p = new TestPipe()) {
                        p.closeReadEnd();
                        return await(Condition.readable(p.readFd));
                    }
                }),
                inside("read from a closed stream", IOException.class, "cannot read from pipe read end (fd #): it is closed", () -> {
                    try (Pipe p = Pipe.open()) {
                        p.reader().close();
                        return p.reader().read(buf, 0, 1);
                    }
                }),
                inside("write to a closed stream", IOException.class, "cannot write to pipe write end (fd #): it is closed", () -> {
                    try (Pipe p = Pipe.open()) {
                        p.writer().close();
                        return p.writer().write(buf, 0, 1);
                    }
                }),
                inside("read from a write-only stream", IOException.class, "cannot read from pipe write end (fd #): it is write-only", () -> {
                    try (Pipe p = Pipe.open()) {
                        return p.writer().read(buf, 0, 1);
                    }
                }),
                inside("fd closed by another task while Xiio.read waits on it", IOException.class,
                        "fd # was closed while a coroutine waited on it", () -> {
                    try (TestPipe p = new TestPipe()) {
                        return TaskGroup.scope(g -> {
                            g.spawn("closer", () -> {
                                Xiio.sleep(Duration.ofMillis(1));
                                p.closeReadEnd();
                                return null;
                            });
                            return Xiio.read(p.readFd, buf);
                        });
                    }
                }),
                // The rule FdTable documents: the loop caches kernel registrations and hears of
                // a close only through FileSyscalls.close or Xiio.closing. An fd closed any
                // other way whose number comes back wakes no wait with the interest cached.
                // (io_uring re-arms its one-shot poll by number at the next wait, so there
                // the new file is polled once the old poll has completed.)
                returns("an fd closed behind the loop's back, its number reused, awaited again",
                        "io_uring".equals(System.getProperty("xiio.poller")) ? "fulfilled" : "timed out",
                        () -> awaitReusedNumber(false)),
                returns("the same, with Xiio.closing(fd) before the foreign close", "fulfilled",
                        () -> awaitReusedNumber(true)),
                inside("stream closed by another task while a task reads it", IOException.class,
                        "pipe read end (fd #) was closed while a coroutine waited to read from it", () -> {
                    try (Pipe p = Pipe.open()) {
                        return TaskGroup.scope(g -> {
                            g.spawn("closer", () -> {
                                Xiio.sleep(Duration.ofMillis(1));
                                p.reader().close();
                                return null;
                            });
                            return p.reader().read(buf, 0, buf.length);
                        });
                    }
                }));
    }

    /**
     * Waits on a pipe's read end (so the loop registers it), closes it with libc's own
     * close (not through the syscall table), opens a new pipe that gets the same number,
     * and waits on that number again, with data in it.
     */
    private static Object awaitReusedNumber(boolean tellTheLoop) throws Exception {
        TestPipe first = new TestPipe();
        first.put("x");
        await(Condition.readable(first.readFd));
        int number = first.readFd;
        if (tellTheLoop) Xiio.closing(number);
        libcClose(number);
        try (TestPipe second = new TestPipe()) {
            assumeTrue(second.readFd == number, "the kernel gave the new pipe another number");
            second.put("y");
            Object r = Timeout.withTimeoutOrNull(Duration.ofMillis(50), () -> await(Condition.readable(number)));
            return r == null ? "timed out" : r;
        } finally {
            first.closeWriteEnd();
        }
    }

    private static void libcClose(int fd) {
        int r;
        try {
            r = (int) LIBC_CLOSE.invokeExact(fd);
        } catch (Throwable t) {
            throw new AssertionError(t);
        }
        if (r != 0) throw new AssertionError("close(" + fd + ") failed");
    }

    private static final java.lang.invoke.MethodHandle LIBC_CLOSE = java.lang.foreign.Linker.nativeLinker().downcallHandle(
            java.lang.foreign.Linker.nativeLinker().defaultLookup().find("close").orElseThrow(),
            java.lang.foreign.FunctionDescriptor.of(java.lang.foreign.ValueLayout.JAVA_INT, java.lang.foreign.ValueLayout.JAVA_INT));

    private static Object blockingFdStream() throws IOException {
        int fd = FileSyscalls.get().open("/dev/null", Constants.O_RDONLY, 0);
        try {
            return new FdStream(fd, FdStream.Access.READ, "/dev/null");
        } finally {
            FileSyscalls.get().close(fd);
        }
    }
}
