package xiio.unix.sys;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;
import xiio.unix.ErrnoException;

/**
 * The fd calls: read, write, close, pipe2, eventfd, fcntl; and for regular files
 * pread, pwrite, fsync, ftruncate and statx.
 *
 * <p>Calls return what the kernel returns, with failures as {@code -errno}
 * (the kernel's own convention), so the hot path allocates nothing and EAGAIN is
 * a plain comparison. {@link #check} turns a negative result into an
 * {@link ErrnoException} that names the call.
 *
 * <p>Tests may {@link #install} a subclass that injects faults; everything in the
 * project calls through {@link #get()}.
 */
public class FileSyscalls {
    private static volatile FileSyscalls current = new FileSyscalls();

    /** The table in use. */
    public static FileSyscalls get() {
        return current;
    }

    /** Replaces the table (for fault-injection tests); returns the previous one. */
    public static FileSyscalls install(FileSyscalls table) {
        FileSyscalls previous = current;
        current = table;
        return previous;
    }

    protected FileSyscalls() {}

    private static volatile java.util.function.IntConsumer closeHook = fd -> { };

    /**
     * Sets what runs just before every {@link #close}: the core uses it to forget the
     * fd's epoll registration and fail its waiters while the number is still ours.
     * Without it, a closed fd whose number is reused would look registered and its
     * waiters would sleep forever.
     */
    public static void setCloseHook(java.util.function.IntConsumer hook) {
        closeHook = java.util.Objects.requireNonNull(hook, "hook");
    }

    // read and write run with critical(true): they take heap arrays without a copy,
    // which is only allowed because every fd we read or write is non-blocking.
    private static final MethodHandle READ = Native.errnoCall("read",
            FunctionDescriptor.of(JAVA_LONG, JAVA_INT, ADDRESS, JAVA_LONG), true);
    private static final MethodHandle WRITE = Native.errnoCall("write",
            FunctionDescriptor.of(JAVA_LONG, JAVA_INT, ADDRESS, JAVA_LONG), true);
    private static final MethodHandle CLOSE = Native.errnoCall("close",
            FunctionDescriptor.of(JAVA_INT, JAVA_INT), false);
    private static final MethodHandle PIPE2 = Native.errnoCall("pipe2",
            FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT), false);
    private static final MethodHandle EVENTFD = Native.errnoCall("eventfd",
            FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT), false);
    private static final MethodHandle OPEN = Native.errnoCall("open",
            FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT, JAVA_INT), false);
    private static final MethodHandle FCNTL = Native.errnoCall("fcntl",
            FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT), false);
    private static final MethodHandle POLL = Native.errnoCall("poll",
            FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_LONG, JAVA_INT), false);

    /**
     * read(2) into {@code buf[off, off+len)}: bytes read, 0 at EOF, or {@code -errno}.
     * The array's heap segment is made per call (see {@link Native#heap}); a hot path
     * passes a segment it keeps.
     */
    public long read(int fd, byte[] buf, int off, int len) {
        java.util.Objects.checkFromIndexSize(off, len, buf.length);
        try {
            MemorySegment capture = Native.capture();
            long n = (long) READ.invokeExact(capture, fd, Native.heap(buf, off), (long) len);
            return n >= 0 ? n : -Native.errno(capture);
        } catch (Throwable t) {
            throw Native.unexpected(t);
        }
    }

    /** read(2) into a segment: bytes read, 0 at EOF, or {@code -errno}. */
    public long read(int fd, MemorySegment buf, long len) {
        try {
            MemorySegment capture = Native.capture();
            long n = (long) READ.invokeExact(capture, fd, buf, len);
            return n >= 0 ? n : -Native.errno(capture);
        } catch (Throwable t) {
            throw Native.unexpected(t);
        }
    }

    /** write(2) from {@code buf[off, off+len)}: bytes written or {@code -errno}. */
    public long write(int fd, byte[] buf, int off, int len) {
        java.util.Objects.checkFromIndexSize(off, len, buf.length);
        try {
            MemorySegment capture = Native.capture();
            long n = (long) WRITE.invokeExact(capture, fd, Native.heap(buf, off), (long) len);
            return n >= 0 ? n : -Native.errno(capture);
        } catch (Throwable t) {
            throw Native.unexpected(t);
        }
    }

    /** write(2) from a segment: bytes written or {@code -errno}. */
    public long write(int fd, MemorySegment buf, long len) {
        try {
            MemorySegment capture = Native.capture();
            long n = (long) WRITE.invokeExact(capture, fd, buf, len);
            return n >= 0 ? n : -Native.errno(capture);
        } catch (Throwable t) {
            throw Native.unexpected(t);
        }
    }

    /**
     * close(2): 0 or {@code -errno}. Linux releases the fd even when close reports
     * EINTR or EIO, so a failed close must never be retried. The running loop, if any,
     * first forgets the fd (see {@link #setCloseHook}).
     */
    public final int close(int fd) {
        closing(fd);
        return closeFd(fd);
    }

    /** Tells the loop of the calling thread, if any, that {@code fd} is about to be closed (see {@link OwnedFd#handOff}). */
    static void closing(int fd) {
        closeHook.accept(fd);
    }

    /** The close(2) call itself; fault injectors override this one. */
    protected int closeFd(int fd) {
        try {
            MemorySegment capture = Native.capture();
            int r = (int) CLOSE.invokeExact(capture, fd);
            return r == 0 ? 0 : -Native.errno(capture);
        } catch (Throwable t) {
            throw Native.unexpected(t);
        }
    }

    /**
     * pipe2(2) with {@code O_CLOEXEC | O_NONBLOCK} on both ends.
     *
     * @return {@code {readFd, writeFd}}
     */
    public int[] pipe() throws ErrnoException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment fds = arena.allocate(JAVA_INT, 2);
            MemorySegment capture = Native.capture();
            int r = (int) PIPE2.invokeExact(capture, fds, Constants.O_CLOEXEC | Constants.O_NONBLOCK);
            if (r != 0) throw new ErrnoException("pipe2()", Native.errno(capture));
            return new int[] {fds.getAtIndex(JAVA_INT, 0), fds.getAtIndex(JAVA_INT, 1)};
        } catch (ErrnoException e) {
            throw e;
        } catch (Throwable t) {
            throw Native.unexpected(t);
        }
    }

    /** eventfd(2) with {@code EFD_CLOEXEC | EFD_NONBLOCK}: the new fd. */
    public int eventfd() throws ErrnoException {
        try {
            MemorySegment capture = Native.capture();
            int fd = (int) EVENTFD.invokeExact(capture, 0, Constants.EFD_CLOEXEC | Constants.EFD_NONBLOCK);
            if (fd < 0) throw new ErrnoException("eventfd()", Native.errno(capture));
            return fd;
        } catch (ErrnoException e) {
            throw e;
        } catch (Throwable t) {
            throw Native.unexpected(t);
        }
    }

    /**
     * open(2) with {@code O_CLOEXEC} added to {@code flags}.
     *
     * @return the new fd
     */
    public int open(String path, int flags, int mode) throws ErrnoException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment cPath = arena.allocateFrom(path);
            MemorySegment capture = Native.capture();
            int fd = (int) OPEN.invokeExact(capture, cPath, flags | Constants.O_CLOEXEC, mode);
            if (fd < 0) throw new ErrnoException("open(" + path + ")", Native.errno(capture));
            return fd;
        } catch (ErrnoException e) {
            throw e;
        } catch (Throwable t) {
            throw Native.unexpected(t);
        }
    }

    /** fcntl(2) with an int argument: the result or {@code -errno}. */
    public int fcntl(int fd, int cmd, int arg) {
        try {
            MemorySegment capture = Native.capture();
            int r = (int) FCNTL.invokeExact(capture, fd, cmd, arg);
            return r >= 0 ? r : -Native.errno(capture);
        } catch (Throwable t) {
            throw Native.unexpected(t);
        }
    }

    /**
     * poll(2) of one fd with a zero timeout: whether it is ready now for reading (or
     * writing); an error or hang-up counts as ready. EINTR cannot happen with a zero
     * timeout in practice, and is answered "not ready".
     *
     * @throws ErrnoException EBADF if the fd is not open (poll reports that as POLLNVAL)
     */
    public boolean pollNow(int fd, boolean read) throws ErrnoException {
        short events = (short) (read ? Constants.POLLIN : Constants.POLLOUT);
        try (Arena arena = Arena.ofConfined()) {
            // struct pollfd { int fd; short events; short revents; }
            MemorySegment pfd = arena.allocate(8, 4);
            pfd.set(JAVA_INT, 0, fd);
            pfd.set(java.lang.foreign.ValueLayout.JAVA_SHORT, 4, events);
            MemorySegment capture = Native.capture();
            int r = (int) POLL.invokeExact(capture, pfd, 1L, 0);
            if (r < 0) {
                int errno = Native.errno(capture);
                if (errno == xiio.unix.Errno.EINTR) return false;
                throw new ErrnoException("poll(fd " + fd + ")", errno);
            }
            short revents = pfd.get(java.lang.foreign.ValueLayout.JAVA_SHORT, 6);
            if ((revents & Constants.POLLNVAL) != 0) throw new ErrnoException("poll(fd " + fd + ")", xiio.unix.Errno.EBADF);
            return (revents & (events | Constants.POLLERR | Constants.POLLHUP)) != 0;
        } catch (ErrnoException e) {
            throw e;
        } catch (Throwable t) {
            throw Native.unexpected(t);
        }
    }

    /** Sets or clears {@code O_NONBLOCK} on an fd's open file description. */
    public void setNonBlocking(int fd, boolean on) throws ErrnoException {
        int flags = (int) check(fcntl(fd, Constants.F_GETFL, 0), "fcntl(F_GETFL)", fd);
        int wanted = on ? flags | Constants.O_NONBLOCK : flags & ~Constants.O_NONBLOCK;
        if (wanted != flags) check(fcntl(fd, Constants.F_SETFL, wanted), "fcntl(F_SETFL)", fd);
    }

    // Regular files (xiio.file). None of these is critical: on a regular file every one
    // may block on the disk (O_NONBLOCK means nothing to a regular file), and a critical
    // call holds off the garbage collector for as long as it runs. So they take native
    // segments only, and run on worker threads.
    private static final MethodHandle PREAD = Native.errnoCall("pread",
            FunctionDescriptor.of(JAVA_LONG, JAVA_INT, ADDRESS, JAVA_LONG, JAVA_LONG), false);
    private static final MethodHandle PWRITE = Native.errnoCall("pwrite",
            FunctionDescriptor.of(JAVA_LONG, JAVA_INT, ADDRESS, JAVA_LONG, JAVA_LONG), false);
    private static final MethodHandle WRITE_BLOCKING = Native.errnoCall("write",
            FunctionDescriptor.of(JAVA_LONG, JAVA_INT, ADDRESS, JAVA_LONG), false);
    private static final MethodHandle FSYNC = Native.errnoCall("fsync",
            FunctionDescriptor.of(JAVA_INT, JAVA_INT), false);
    private static final MethodHandle FDATASYNC = Native.errnoCall("fdatasync",
            FunctionDescriptor.of(JAVA_INT, JAVA_INT), false);
    private static final MethodHandle FTRUNCATE = Native.errnoCall("ftruncate",
            FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_LONG), false);
    private static final MethodHandle STATX = Native.errnoCall("statx",
            FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS, JAVA_INT, JAVA_INT, ADDRESS), false);

    /** pread(2) into a native segment at {@code offset}: bytes read, 0 at end of file, or {@code -errno}. */
    public long pread(int fd, MemorySegment buf, long len, long offset) {
        try {
            MemorySegment capture = Native.capture();
            long n = (long) PREAD.invokeExact(capture, fd, buf, len, offset);
            return n >= 0 ? n : -Native.errno(capture);
        } catch (Throwable t) {
            throw Native.unexpected(t);
        }
    }

    /**
     * pwrite(2) from a native segment at {@code offset}: bytes written or {@code -errno}.
     * On Linux a file opened with {@code O_APPEND} is appended to whatever the offset
     * (man pwrite(2), BUGS); use {@link #writeBlocking} to append.
     */
    public long pwrite(int fd, MemorySegment buf, long len, long offset) {
        try {
            MemorySegment capture = Native.capture();
            long n = (long) PWRITE.invokeExact(capture, fd, buf, len, offset);
            return n >= 0 ? n : -Native.errno(capture);
        } catch (Throwable t) {
            throw Native.unexpected(t);
        }
    }

    private static final MethodHandle PREADV2 = Native.errnoCall("preadv2",
            FunctionDescriptor.of(JAVA_LONG, JAVA_INT, ADDRESS, JAVA_INT, JAVA_LONG, JAVA_INT), false);
    /** One struct iovec per thread, for {@link #preadNoWait} (no suspension between filling and the call). */
    private static final ThreadLocal<MemorySegment> IOVEC =
            ThreadLocal.withInitial(() -> Arena.ofAuto().allocate(16, 8));

    /**
     * preadv2(fd, {buf, len}, 1, offset, RWF_NOWAIT): what the page cache holds now, never
     * waiting for the disk. Bytes read, 0 at end of file, or {@code -errno}: EAGAIN when
     * the data is not cached (or a lock is held), EOPNOTSUPP where the file system has no
     * non-blocking reads.
     */
    public long preadNoWait(int fd, MemorySegment buf, long len, long offset) {
        try {
            MemorySegment iov = IOVEC.get();
            iov.set(ADDRESS, 0, buf);
            iov.set(JAVA_LONG, 8, len);
            MemorySegment capture = Native.capture();
            long n = (long) PREADV2.invokeExact(capture, fd, iov, 1, offset, Constants.RWF_NOWAIT);
            return n >= 0 ? n : -Native.errno(capture);
        } catch (Throwable t) {
            throw Native.unexpected(t);
        }
    }

    /** write(2) from a native segment, not critical: for a regular file on a worker thread. */
    public long writeBlocking(int fd, MemorySegment buf, long len) {
        try {
            MemorySegment capture = Native.capture();
            long n = (long) WRITE_BLOCKING.invokeExact(capture, fd, buf, len);
            return n >= 0 ? n : -Native.errno(capture);
        } catch (Throwable t) {
            throw Native.unexpected(t);
        }
    }

    /** fsync(2), or fdatasync(2) when {@code dataOnly}: 0 or {@code -errno}. */
    public int fsync(int fd, boolean dataOnly) {
        try {
            MemorySegment capture = Native.capture();
            int r = dataOnly ? (int) FDATASYNC.invokeExact(capture, fd) : (int) FSYNC.invokeExact(capture, fd);
            return r == 0 ? 0 : -Native.errno(capture);
        } catch (Throwable t) {
            throw Native.unexpected(t);
        }
    }

    /** ftruncate(2): 0 or {@code -errno}. */
    public int ftruncate(int fd, long length) {
        try {
            MemorySegment capture = Native.capture();
            int r = (int) FTRUNCATE.invokeExact(capture, fd, length);
            return r == 0 ? 0 : -Native.errno(capture);
        } catch (Throwable t) {
            throw Native.unexpected(t);
        }
    }

    /**
     * The type bits ({@link Constants#S_IFMT}) and size of an open file, by
     * statx(fd, "", AT_EMPTY_PATH, STATX_TYPE | STATX_SIZE).
     *
     * @return {@code {type, size}}, or {@code {-errno, 0}}
     */
    public long[] typeAndSize(int fd) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment statx = arena.allocate(UringLayout.STATX_SIZE, 8);
            MemorySegment empty = arena.allocate(1);
            MemorySegment capture = Native.capture();
            int r = (int) STATX.invokeExact(capture, fd, empty, Constants.AT_EMPTY_PATH,
                    Constants.STATX_TYPE | Constants.STATX_SIZE, statx);
            if (r != 0) return new long[] {-Native.errno(capture), 0};
            int mode = statx.get(java.lang.foreign.ValueLayout.JAVA_SHORT_UNALIGNED, UringLayout.STATX_MODE);
            return new long[] {mode & Constants.S_IFMT, statx.get(JAVA_LONG, Constants.STATX_SIZE_OFFSET)};
        } catch (Throwable t) {
            throw Native.unexpected(t);
        }
    }

    /**
     * Returns {@code result} if it is not negative, else throws the
     * {@link ErrnoException} for {@code -result}, naming {@code call} and the fd.
     */
    public static long check(long result, String call, int fd) throws ErrnoException {
        if (result >= 0) return result;
        throw new ErrnoException(call + "(fd " + fd + ")", (int) -result);
    }
}
