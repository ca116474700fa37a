package xiio.misuse;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.net.BindException;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketException;
import java.time.Duration;
import java.util.concurrent.TimeoutException;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import xiio.concurrent.Channel;
import xiio.concurrent.ChannelClosedException;
import xiio.concurrent.Lock;
import xiio.concurrent.TaskGroup;
import xiio.concurrent.Timeout;
import xiio.core.Condition;
import xiio.core.Coroutine;
import xiio.core.Promise;
import xiio.core.WaitSet;
import xiio.core.Xiio;
import xiio.io.FdStream;
import xiio.io.Pipe;
import xiio.io.StreamReader;
import xiio.io.StreamWriter;
import xiio.net.TcpListener;
import xiio.net.TcpStream;
import xiio.support.TcpPair;
import xiio.support.TestPipe;
import xiio.unix.Constants;
import xiio.unix.ErrnoException;
import xiio.unix.FileSyscalls;

/**
 * Bad input, one row per misuse: the exact exception type, a fragment of its message
 * (which must name what was wrong), and then proof that the loop still works in the
 * same run: a sleep, and bytes through a pipe between two tasks.
 *
 * <p>In fragments, {@code #} stands for any number (fds and ports differ per run).
 */
class MisuseTest {
    private static final InetSocketAddress LOOPBACK = new InetSocketAddress(InetAddress.ofLiteral("127.0.0.1"), 0);
    private static final String EBADF = "EBADF (Bad file descriptor)";

    /** The misuse itself; what it returns matters only for rows that expect a value. */
    @FunctionalInterface
    interface Misuse {
        Object run() throws Exception;
    }

    /** Where the row's misuse happens. */
    enum Where { INSIDE_RUN, OUTSIDE_RUN }

    /**
     * One misuse and what it must give: an exception of exactly {@code expected} whose
     * message contains {@code fragment}, or, when {@code expected} is null, the value
     * {@code fragment} (for sizes and durations whose edge is defined, not an error).
     */
    record Row(String misuse, Where where, Misuse action, Class<? extends Throwable> expected, String fragment) {
        @Override
        public String toString() {
            return misuse;
        }
    }

    static Row inside(String misuse, Class<? extends Throwable> expected, String fragment, Misuse action) {
        return new Row(misuse, Where.INSIDE_RUN, action, expected, fragment);
    }

    static Row outside(String misuse, Class<? extends Throwable> expected, String fragment, Misuse action) {
        return new Row(misuse, Where.OUTSIDE_RUN, action, expected, fragment);
    }

    static Row returns(String misuse, Object value, Misuse action) {
        return new Row(misuse, Where.INSIDE_RUN, action, null, String.valueOf(value));
    }

    static Stream<Row> rows() {
        return Stream.of(invalidFds(), closedFds(), durations(), buffers(), promisesAndRuns(), coordination(), network())
                .flatMap(s -> s);
    }

    // --- the rows ---------------------------------------------------------------------

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
                        "fd # (/dev/null) is in blocking mode: a read would stall the loop", MisuseTest::blockingFdStream));
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

    static Stream<Row> durations() {
        Duration forever = Duration.ofSeconds(Long.MAX_VALUE, 999_999_999);
        return Stream.of(
                inside("sleep for a negative duration", IllegalArgumentException.class,
                        "negative duration PT-0.001S: a delay must be zero or more", () -> sleep(Duration.ofMillis(-1))),
                inside("Timeout with a negative limit", IllegalArgumentException.class,
                        "negative duration PT-1S: a delay must be zero or more",
                        () -> Timeout.withTimeout(Duration.ofSeconds(-1), () -> "body")),
                inside("Condition.after a negative delay", IllegalArgumentException.class,
                        "negative duration PT-0.000000001S: a delay must be zero or more", () -> Condition.after(Duration.ofNanos(-1))),
                inside("sleep without a duration", NullPointerException.class, "delay", () -> sleep(null)),
                inside("sleep for a duration too long for nanoseconds: never ends, a timeout cuts it",
                        TimeoutException.class, "timed out after PT0.01S",
                        () -> Timeout.withTimeout(Duration.ofMillis(10), () -> sleep(forever))),
                inside("Condition.after an overflowing delay: never fulfilled, a timeout cuts it",
                        TimeoutException.class, "timed out after PT0.01S",
                        () -> Timeout.withTimeout(Duration.ofMillis(10), () -> await(Condition.after(Duration.ofNanos(Long.MAX_VALUE))))),
                returns("Timeout with an overflowing limit: no limit", "body",
                        () -> Timeout.withTimeout(forever, () -> {
                            Xiio.sleep(Duration.ofMillis(1));
                            return "body";
                        })));
    }

    static Stream<Row> buffers() {
        byte[] buf = new byte[16];
        return Stream.of(
                returns("Xiio.read into zero bytes: 0 at once, even with nothing to read", 0, () -> {
                    try (TestPipe p = new TestPipe()) {
                        return Xiio.read(p.readFd, new byte[0]);
                    }
                }),
                returns("Xiio.write of zero bytes: 0 at once", 0, () -> {
                    try (TestPipe p = new TestPipe()) {
                        return Xiio.write(p.writeFd, buf, 16, 0);
                    }
                }),
                inside("Xiio.read at a negative offset", IndexOutOfBoundsException.class,
                        "Range [-1, -1 + 4) out of bounds for length 16", () -> {
                    try (TestPipe p = new TestPipe()) {
                        return Xiio.read(p.readFd, buf, -1, 4);
                    }
                }),
                inside("Xiio.write past the end of the array", IndexOutOfBoundsException.class,
                        "Range [10, 10 + 10) out of bounds for length 16", () -> {
                    try (TestPipe p = new TestPipe()) {
                        Xiio.writeAll(p.writeFd, buf, 10, 10);
                        return null;
                    }
                }),
                inside("Xiio.read of a huge length into a small array", IndexOutOfBoundsException.class,
                        "Range [0, 0 + 2147483647) out of bounds for length 16", () -> {
                    try (TestPipe p = new TestPipe()) {
                        return Xiio.read(p.readFd, buf, 0, Integer.MAX_VALUE);
                    }
                }),
                inside("stream read at an offset past the end", IndexOutOfBoundsException.class,
                        "Range [17, 17 + 1) out of bounds for length 16", () -> {
                    try (Pipe p = Pipe.open()) {
                        return p.reader().read(buf, 17, 1);
                    }
                }),
                inside("StreamReader with a zero buffer size", IllegalArgumentException.class,
                        "bufferSize must be at least 1, got 0", () -> {
                    try (Pipe p = Pipe.open()) {
                        return new StreamReader(p.reader(), 0);
                    }
                }),
                inside("StreamReader with a huge buffer size", IllegalArgumentException.class,
                        "bufferSize 2147483647 is more than the largest byte array", () -> {
                    try (Pipe p = Pipe.open()) {
                        return new StreamReader(p.reader(), Integer.MAX_VALUE);
                    }
                }),
                inside("StreamReader.readExactly a negative count", IllegalArgumentException.class,
                        "n must not be negative, got -1", () -> {
                    try (Pipe p = Pipe.open()) {
                        return new StreamReader(p.reader()).readExactly(-1);
                    }
                }),
                inside("StreamReader.readExactly past the end of the array", IndexOutOfBoundsException.class,
                        "Range [8, 8 + 9) out of bounds for length 16", () -> {
                    try (Pipe p = Pipe.open()) {
                        new StreamReader(p.reader()).readExactly(buf, 8, 9);
                        return null;
                    }
                }),
                inside("StreamReader.readLine with a negative limit", IllegalArgumentException.class,
                        "maxLength must not be negative, got -5", () -> {
                    try (Pipe p = Pipe.open()) {
                        return new StreamReader(p.reader()).readLine(-5);
                    }
                }),
                inside("StreamWriter with a zero limit", IllegalArgumentException.class,
                        "limit must be at least 1 byte, got 0", () -> {
                    try (Pipe p = Pipe.open()) {
                        return new StreamWriter(p.writer(), 0);
                    }
                }),
                inside("StreamWriter with a huge limit", IllegalArgumentException.class,
                        "limit 2147483647 is more than the largest byte array", () -> {
                    try (Pipe p = Pipe.open()) {
                        return new StreamWriter(p.writer(), Integer.MAX_VALUE);
                    }
                }),
                inside("StreamWriter.writeAll at a negative length", IndexOutOfBoundsException.class,
                        "Range [0, 0 + -1) out of bounds for length 16", () -> {
                    try (Pipe p = Pipe.open()) {
                        new StreamWriter(p.writer()).writeAll(buf, 0, -1);
                        return null;
                    }
                }));
    }

    static Stream<Row> promisesAndRuns() {
        return Stream.of(
                outside("awaiting a promise of another run", IllegalStateException.class,
                        "this promise belongs to another Xiio.run; promises do not cross runs", () -> {
                    Promise<String> p = new Promise<>();
                    // the first run waits on it (and gives up), which ties it to that run
                    Xiio.run(() -> Timeout.withTimeoutOrNull(Duration.ofMillis(1), p::await));
                    return Xiio.run(p::await);
                }),
                inside("completing a promise twice", IllegalStateException.class,
                        "promise is already completed; a promise completes once (use tryComplete to race)", () -> {
                    Promise<String> p = new Promise<>();
                    p.complete("first");
                    p.complete("second");
                    return null;
                }),
                inside("failing a completed promise", IllegalStateException.class, "promise is already completed", () -> {
                    Promise<String> p = new Promise<>();
                    p.complete("first");
                    p.fail(new IOException("late"));
                    return null;
                }),
                outside("sleep outside Xiio.run", IllegalStateException.class,
                        "Xiio.sleep must be called inside Xiio.run(...): there is no running coroutine on thread",
                        () -> sleep(Duration.ofMillis(1))),
                outside("stream read outside Xiio.run", IllegalStateException.class,
                        "must be called inside Xiio.run(...)", () -> {
                    try (Pipe p = Pipe.open()) {
                        return p.reader().read(new byte[1], 0, 1);
                    }
                }),
                outside("promise await outside Xiio.run", IllegalStateException.class,
                        "Xiio.await must be called inside Xiio.run(...)", () -> new Promise<String>().await()),
                inside("nested Xiio.run", IllegalStateException.class,
                        "Xiio.run called inside coroutine 'main' of another run on this thread; nested runs would block the outer loop",
                        () -> Xiio.run(() -> "inner")));
    }

    static Stream<Row> coordination() {
        return Stream.of(
                inside("spawning into an exited task group", IllegalStateException.class,
                        "this task group has exited; spawn tasks inside TaskGroup.scope", () -> {
                    TaskGroup[] escaped = new TaskGroup[1];
                    TaskGroup.scope(g -> escaped[0] = g);
                    return escaped[0].spawn("late", () -> "never runs");
                }),
                inside("resuming a coroutine that is still waiting", IllegalStateException.class,
                        "coroutine 'sleeper' is still waiting for deadline(", MisuseTest::resumeWhileWaiting),
                inside("resuming a coroutine that has ended", IllegalStateException.class,
                        "coroutine 'quick' has already ended", () -> {
                    WaitSet set = new WaitSet();
                    Coroutine<String> c = Coroutine.create("quick", () -> "done");
                    set.add(c);
                    set.next().resume();
                    c.resume();
                    return null;
                }),
                inside("a Lock unlocked by a coroutine that does not hold it", IllegalStateException.class,
                        "coroutine 'intruder' unlocked a lock held by coroutine 'holder'; only the holder may unlock it", () -> {
                    Lock lock = new Lock();
                    return TaskGroup.scope(g -> {
                        g.spawn("holder", () -> lock.withLock(() -> {
                            Xiio.sleep(Duration.ofSeconds(10)); // cancelled when the intruder fails
                            return null;
                        }));
                        g.spawn("intruder", () -> {
                            Xiio.yieldNow();
                            lock.unlock();
                            return null;
                        });
                        return null;
                    });
                }),
                inside("unlocking a Lock that is free", IllegalStateException.class,
                        "coroutine 'main' unlocked a lock that is not locked", () -> {
                    new Lock().unlock();
                    return null;
                }),
                inside("locking a Lock twice from one coroutine", IllegalStateException.class,
                        "coroutine 'main' already holds this lock; Lock is not reentrant", () -> {
                    Lock lock = new Lock();
                    lock.lock();
                    try {
                        lock.lock();
                    } finally {
                        lock.unlock();
                    }
                    return null;
                }),
                inside("sending on a closed Channel", ChannelClosedException.class,
                        "send() on a closed channel: the item was not sent", () -> {
                    Channel<String> ch = new Channel<>(4);
                    ch.close();
                    ch.send("lost?");
                    return null;
                }),
                inside("a sender waiting on a full Channel when it closes", ChannelClosedException.class,
                        "send() on a closed channel: the item was not sent", () -> {
                    Channel<String> ch = new Channel<>(1);
                    ch.send("fills it");
                    return TaskGroup.scope(g -> {
                        g.spawn("closer", () -> {
                            Xiio.sleep(Duration.ofMillis(1));
                            ch.close();
                            return null;
                        });
                        ch.send("waits");
                        return null;
                    });
                }),
                inside("receive on a closed and drained Channel", ChannelClosedException.class,
                        "receive() on a channel that is closed and drained", () -> {
                    Channel<String> ch = new Channel<>(4);
                    ch.close();
                    return ch.receive();
                }),
                inside("a Channel of capacity 0", IllegalArgumentException.class, "capacity must be at least 1, got 0",
                        () -> new Channel<String>(0)));
    }

    static Stream<Row> network() {
        return Stream.of(
                inside("a peer that resets mid-read", SocketException.class,
                        "recv from 127.0.0.1:# (fd #): ECONNRESET (Connection reset by peer): the peer closed the connection abruptly",
                        () -> {
                    try (TcpPair pair = TcpPair.open()) {
                        return TaskGroup.scope(g -> {
                            g.spawn("rude peer", () -> {
                                pair.client().writeAll("half a mess".getBytes(), 0, 11);
                                pair.client().reset();
                                return null;
                            });
                            return new StreamReader(pair.server()).readExactly(100);
                        });
                    }
                }),
                inside("connecting to a closed port", ConnectException.class,
                        "connect to 127.0.0.1:#: ECONNREFUSED (Connection refused): nothing listens there", () -> {
                    InetSocketAddress closed;
                    try (TcpListener l = TcpListener.bind(LOOPBACK)) {
                        closed = l.localAddress();
                    }
                    return TcpStream.connect(closed);
                }),
                inside("binding an address in use", BindException.class,
                        "bind to 127.0.0.1:#: EADDRINUSE (Address already in use): another socket is bound to it", () -> {
                    try (TcpListener l = TcpListener.bind(LOOPBACK)) {
                        return TcpListener.bind(l.localAddress());
                    }
                }),
                inside("binding a port out of range", IllegalArgumentException.class, "port 70000 is out of range 0..65535",
                        () -> TcpListener.bind(70000)),
                inside("accept on a closed listener", IOException.class,
                        "cannot accept on tcp listener 127.0.0.1:# (fd #): the listener is closed", () -> {
                    TcpListener l = TcpListener.bind(LOOPBACK);
                    l.close();
                    return l.accept();
                }),
                inside("a listener closed by another task while accepting", IOException.class,
                        "cannot accept on tcp listener 127.0.0.1:# (fd #): the listener is closed", () -> {
                    try (TcpListener l = TcpListener.bind(LOOPBACK)) {
                        return TaskGroup.scope(g -> {
                            g.spawn("closer", () -> {
                                Xiio.sleep(Duration.ofMillis(1));
                                l.close();
                                return null;
                            });
                            return l.accept();
                        });
                    }
                }));
    }

    // --- the test -------------------------------------------------------------------

    @ParameterizedTest(name = "{0}")
    @MethodSource("rows")
    void misuseFailsClearlyAndTheLoopGoesOn(Row row) throws Exception {
        if (row.where() == Where.INSIDE_RUN) {
            String done = Xiio.run(() -> {
                check(row);
                loopStillWorks();
                return "loop still works";
            });
            assertEquals("loop still works", done);
        } else {
            check(row);
            assertEquals("loop still works", Xiio.run(() -> {
                loopStillWorks();
                return "loop still works";
            }));
        }
    }

    private static void check(Row row) {
        Object value;
        try {
            value = row.action().run();
        } catch (Throwable t) {
            if (row.expected() == null) throw new AssertionError(row + ": expected " + row.fragment() + ", but it threw", t);
            if (t.getClass() != row.expected()) {
                throw new AssertionError(row + ": expected " + row.expected().getName() + ", got " + t, t);
            }
            assertNotNull(t.getMessage(), row + ": no message");
            if (!fragment(row.fragment()).matcher(t.getMessage()).find()) {
                throw new AssertionError(row + ": message does not contain '" + row.fragment() + "': " + t.getMessage(), t);
            }
            return;
        }
        if (row.expected() != null) fail(row + ": expected " + row.expected().getName() + ", but it returned " + value);
        assertEquals(row.fragment(), String.valueOf(value), row.toString());
    }

    /** The fragment as a pattern: literal text, with {@code #} for any number. */
    private static Pattern fragment(String text) {
        return Pattern.compile(Stream.of(text.split("#", -1)).map(Pattern::quote).collect(Collectors.joining("-?\\d+")));
    }

    /** A sleep, and bytes through a pipe from one task to another. */
    private static void loopStillWorks() throws Exception {
        long t0 = System.nanoTime();
        Xiio.sleep(Duration.ofMillis(2));
        assertTrue(System.nanoTime() - t0 >= 2_000_000L, "the sleep ended early");
        try (Pipe p = Pipe.open()) {
            String got = TaskGroup.scope(g -> {
                g.spawn("writer", () -> {
                    Xiio.sleep(Duration.ofMillis(1));
                    p.writer().writeAll("still alive\n".getBytes(), 0, 12);
                    return null;
                });
                return new StreamReader(p.reader()).readLine(100);
            });
            assertEquals("still alive", got);
        }
    }

    // --- helpers for rows -----------------------------------------------------------

    private static Object await(Condition c) throws IOException {
        Xiio.await(c);
        return "fulfilled";
    }

    private static Object sleep(Duration d) {
        Xiio.sleep(d);
        return "slept";
    }

    private static Object blockingFdStream() throws IOException {
        int fd = FileSyscalls.get().open("/dev/null", Constants.O_RDONLY, 0);
        try {
            return new FdStream(fd, FdStream.Access.READ, "/dev/null");
        } finally {
            FileSyscalls.get().close(fd);
        }
    }

    private static Object resumeWhileWaiting() throws IOException {
        WaitSet set = new WaitSet();
        Coroutine<Void> c = Coroutine.create("sleeper", () -> {
            Xiio.sleep(Duration.ofHours(1));
            return null;
        });
        set.add(c);
        set.next().resume(); // it starts and goes to sleep
        try {
            c.resume();
            return "resumed";
        } finally {
            // end it properly: cancel, then resume it when the set hands it out
            c.cancel();
            while (!c.isDone()) {
                Xiio.await(set);
                for (Coroutine<?> r; (r = set.next()) != null; ) r.resume();
            }
        }
    }
}
