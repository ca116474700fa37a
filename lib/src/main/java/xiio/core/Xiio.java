package xiio.core;

import java.io.IOException;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicReference;
import xiio.core.strand.Backends;
import xiio.unix.Errno;
import xiio.unix.sys.FileSyscalls;

/**
 * The stateless loop and the primitives every coroutine uses.
 *
 * <p>{@link #run} drives one coroutine to completion. There is no loop object to
 * register callbacks on: the loop resumes {@code main} until it waits, blocks in
 * the poller until what it waits for is fulfilled, and repeats. Concurrency lives in
 * library code ({@code xiio.concurrent.TaskGroup}), which resumes its children and
 * waits on the union of what they wait for.
 *
 * {@snippet :
 * import static xiio.core.Xiio.*;
 *
 * String greeting = run(() -> {
 *     sleep(Duration.ofMillis(100));
 *     return "hello";
 * });
 * }
 *
 * <p>Every suspending method fails with {@link IllegalStateException} when called
 * outside {@code run}. Reads and writes take heap arrays and raw fds; EAGAIN and
 * EINTR are handled inside, every other failure is an {@link IOException} that
 * names the call, the fd and the errno.
 */
public final class Xiio {
    private Xiio() {}

    /**
     * Runs {@code main} on a new {@link Poller#system()} poller (epoll, or io_uring with
     * {@code -Dxiio.poller=io_uring}) until it ends, on the calling thread.
     *
     * @return what {@code main} returned
     * @throws Exception what {@code main} threw, as itself (checked exceptions too)
     * @throws IllegalStateException when called inside another run on this thread
     */
    public static <T> T run(Suspendable<T> main) throws Exception {
        Objects.requireNonNull(main, "main");
        checkNotNested();
        return run(Poller.system(), main);
    }

    /**
     * Runs {@code main} with the given poller, which the run owns and closes.
     *
     * <p>If the blocking wait itself fails (the driving thread is interrupted, or
     * epoll_wait reports an error), {@code main} is cancelled with that failure as the
     * cause, so its {@code finally} blocks run and may still suspend; once it has
     * unwound, {@code run} throws the failure itself ({@link InterruptedException}
     * with the interrupt flag set again). An {@link Error} or {@link RuntimeException}
     * out of the engine itself (a {@link StackOverflowError} while waking waiters, a
     * bug) is fatal: the run ends at once and throws it as itself, without running
     * the coroutines' cleanup on books that may be half written.
     */
    public static <T> T run(Poller poller, Suspendable<T> main) throws Exception {
        Objects.requireNonNull(poller, "poller");
        Objects.requireNonNull(main, "main");
        try {
            checkNotNested();
        } catch (IllegalStateException e) {
            poller.close();
            throw e;
        }
        if (Backends.get().needsVirtualDriver() && !Thread.currentThread().isVirtual()) {
            return runOnVirtualDriver(poller, main);
        }
        try (Engine engine = new Engine(poller)) {
            return Loop.run(engine, Coroutine.root(engine, main));
        }
    }

    private static <T> T runOnVirtualDriver(Poller poller, Suspendable<T> main) throws Exception {
        AtomicReference<T> result = new AtomicReference<>();
        AtomicReference<Throwable> failure = new AtomicReference<>();
        Thread driver = Thread.ofVirtual().name("xiio-run").start(() -> {
            try (Engine engine = new Engine(poller)) {
                result.set(Loop.run(engine, Coroutine.root(engine, main)));
            } catch (Throwable t) {
                failure.set(t);
            }
        });
        boolean interrupted = false;
        while (true) {
            try {
                driver.join();
                break;
            } catch (InterruptedException e) {
                interrupted = true;
                driver.interrupt();
            }
        }
        // the caller's flag ends as it would on the continuation backend, where the loop runs on the caller
        if (interrupted || failure.get() instanceof InterruptedException) Thread.currentThread().interrupt();
        if (failure.get() != null) throw sneaky(failure.get());
        return result.get();
    }

    private static void checkNotNested() {
        Coroutine<?> c = Coroutine.currentOrNull();
        if (c != null) {
            throw new IllegalStateException("Xiio.run called inside coroutine '" + c.name()
                    + "' of another run on this thread; nested runs would block the outer loop:"
                    + " call the body directly, or start the inner run on another thread");
        }
    }

    /**
     * Suspends the current coroutine until {@code condition} is fulfilled: the one
     * primitive all waiting is built on.
     *
     * @throws IOException if the condition cannot be waited for (e.g. EBADF: a closed fd)
     * @throws CancelledError if the coroutine or an enclosing scope is cancelled meanwhile
     */
    public static void await(Condition condition) throws IOException {
        Objects.requireNonNull(condition, "condition");
        Coroutine.current("Xiio.await").suspend(condition);
    }

    /**
     * {@link #await} for a hand-off between coroutines: suspends until {@code condition}
     * (which should include {@code Condition.done(handOff)}) is fulfilled. If
     * {@code handOff} is done when the coroutine runs again, the hand-off has happened
     * (an item was given to this coroutine or taken from it) and cannot be undone, so
     * it returns normally even if a cancellation came meanwhile; that cancellation is
     * raised at the next suspension point instead (as in trio, where a task already
     * rescheduled with its value cannot be cancelled out of that wait). Channels and
     * {@code Select} are built on it, so an item is never both handed over and lost.
     *
     * @throws IOException if the condition cannot be waited for (e.g. EBADF: a closed fd)
     * @throws CancelledError if cancelled while {@code handOff} is not done
     */
    public static void awaitHandOff(Condition condition, Promise<?> handOff) throws IOException {
        Objects.requireNonNull(condition, "condition");
        Objects.requireNonNull(handOff, "handOff");
        Coroutine.current("Xiio.awaitHandOff").suspendHandOff(condition, handOff);
    }

    /**
     * Whether {@code fd} is ready for {@code interest} right now, asking the kernel
     * (poll(2) with a zero timeout) without suspending: how {@code Select} tells which
     * of several fds woke it. An error or hang-up counts as ready, as for {@link Condition#readable}.
     *
     * A socket read through the run's io_uring receive queue is readable when its queue
     * is, as for the condition: the socket itself may be empty while bytes wait in it.
     *
     * @throws IOException if the fd is not open (EBADF)
     */
    public static boolean isReady(int fd, Interest interest) throws IOException {
        Objects.requireNonNull(interest, "interest");
        if (fd < 0) throw new IllegalArgumentException("invalid fd " + fd + ": must not be negative");
        if (interest == Interest.READ && RingOps.current() instanceof UringOperations ring) {
            int queued = ring.readiness(fd);
            if (queued >= 0) return queued > 0;
        }
        return FileSyscalls.get().pollNow(fd, interest == Interest.READ);
    }

    /** Suspends for {@code duration} on the run's clock; zero still lets others run once. */
    public static void sleep(Duration duration) {
        Coroutine<?> c = Coroutine.current("Xiio.sleep");
        c.suspendUntil(Deadlines.after(c.engine.now(), duration));
    }

    /** Suspends until the deadline {@code deadlineNanos} of the run's clock. */
    public static void sleepUntil(long deadlineNanos) {
        Coroutine.current("Xiio.sleepUntil").suspendUntil(deadlineNanos);
    }

    /** Lets every other ready coroutine run once, then continues (a checkpoint). */
    public static void yieldNow() {
        Coroutine.current("Xiio.yieldNow").suspendUntil(Long.MIN_VALUE);
    }

    /** The run's clock in nanoseconds (virtual under {@code xiio.testing.VirtualClock}). */
    public static long nanoTime() {
        return Coroutine.current("Xiio.nanoTime").engine.now();
    }

    /** The coroutine backend of this JVM: {@code "continuation"} or {@code "vthread"}. */
    public static String backend() {
        return Backends.get().name();
    }

    static boolean backendIsContinuation() {
        return Backends.get().name().equals("continuation");
    }

    /**
     * Waits until {@code fd} is readable, then reads into {@code buf[off, off+len)}.
     *
     * @return the number of bytes read, or -1 at end of file
     */
    public static int read(int fd, byte[] buf, int off, int len) throws IOException {
        Objects.checkFromIndexSize(off, len, buf.length);
        if (len == 0) return 0;
        Condition readable = Condition.readable(fd);
        FileSyscalls sys = FileSyscalls.get();
        while (true) {
            await(readable);
            long n = sys.read(fd, buf, off, len);
            if (n > 0) return (int) n;
            if (n == 0) return -1;
            if (n != -Errno.EAGAIN && n != -Errno.EINTR) FileSyscalls.check(n, "read", fd);
        }
    }

    /** Reads into the whole of {@code buf}; see {@link #read(int, byte[], int, int)}. */
    public static int read(int fd, byte[] buf) throws IOException {
        return read(fd, buf, 0, buf.length);
    }

    /**
     * Waits until {@code fd} is writable, then writes some of {@code buf[off, off+len)}.
     *
     * @return the number of bytes written (at least 1 unless {@code len} is 0)
     */
    public static int write(int fd, byte[] buf, int off, int len) throws IOException {
        Objects.checkFromIndexSize(off, len, buf.length);
        if (len == 0) return 0;
        Condition writable = Condition.writable(fd);
        FileSyscalls sys = FileSyscalls.get();
        while (true) {
            await(writable);
            long n = sys.write(fd, buf, off, len);
            if (n >= 0) return (int) n;
            if (n != -Errno.EAGAIN && n != -Errno.EINTR) FileSyscalls.check(n, "write", fd);
        }
    }

    /**
     * Writes all of {@code buf[off, off+len)}, waiting for room as often as needed.
     * If cancelled midway, the {@link CancelledError} has no record of the bytes
     * already written; use {@link #write} in a loop when that count matters.
     */
    public static void writeAll(int fd, byte[] buf, int off, int len) throws IOException {
        Objects.checkFromIndexSize(off, len, buf.length);
        while (len > 0) {
            int n = write(fd, buf, off, len);
            off += n;
            len -= n;
        }
    }

    /** Writes all of {@code buf}; see {@link #writeAll(int, byte[], int, int)}. */
    public static void writeAll(int fd, byte[] buf) throws IOException {
        writeAll(fd, buf, 0, buf.length);
    }

    /**
     * Tells the run that {@code fd} is about to be closed: coroutines waiting on it
     * fail with an {@link IOException} naming the fd, and the poller forgets it.
     * {@code FileSyscalls.close} does this by itself; call it before closing an fd by
     * other means (a JDK channel, JNI). Outside a run it does nothing.
     */
    public static void closing(int fd) {
        Coroutine<?> c = Coroutine.currentOrNull();
        if (c != null) c.engine.fds.closing(fd, new IOException("fd " + fd + " was closed while a coroutine waited on it"));
    }

    @SuppressWarnings("unchecked")
    static <E extends Throwable> RuntimeException sneaky(Throwable t) throws E {
        throw (E) t;
    }
}
