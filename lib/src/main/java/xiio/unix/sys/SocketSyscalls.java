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
 * The socket calls: socket, bind, listen, accept4, connect, shutdown, the socket
 * options, the address queries, send/recv with and without addresses, and sendfile
 * from a file to a socket.
 *
 * <p>Results follow {@link FileSyscalls}: what the kernel returns, with failures as
 * {@code -errno}, so the hot path allocates nothing; {@link FileSyscalls#check} turns
 * a negative result into an {@link ErrnoException}. Addresses are raw
 * {@code struct sockaddr} memory; {@code xiio.net} encodes and decodes them.
 *
 * <p>SIGPIPE: HotSpot installs a handler for SIGPIPE that ignores it (even with
 * {@code -Xrs}; see {@code SigCgt} bit 13 in {@code /proc/self/status}), so a write
 * to a broken pipe or socket returns EPIPE instead of killing the JVM. A process that
 * embeds the JVM, or a native library, may restore {@code SIG_DFL}; sockets are
 * therefore always written with {@code MSG_NOSIGNAL}, which makes the kernel skip the
 * signal whatever the disposition. Pipes have no such flag and rely on the JVM's
 * handler.
 *
 * <p>Tests may {@link #install} a subclass that injects faults.
 */
public class SocketSyscalls {
    private static volatile SocketSyscalls current = new SocketSyscalls();

    /** The table in use. */
    public static SocketSyscalls get() {
        return current;
    }

    /** Replaces the table (for fault-injection tests); returns the previous one. */
    public static SocketSyscalls install(SocketSyscalls table) {
        SocketSyscalls previous = current;
        current = table;
        return previous;
    }

    protected SocketSyscalls() {}

    private static final MethodHandle SOCKET = Native.errnoCall("socket",
            FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT), false);
    private static final MethodHandle BIND = Native.errnoCall("bind",
            FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS, JAVA_INT), false);
    private static final MethodHandle LISTEN = Native.errnoCall("listen",
            FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT), false);
    private static final MethodHandle ACCEPT4 = Native.errnoCall("accept4",
            FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS, ADDRESS, JAVA_INT), false);
    // connect on a non-blocking socket returns at once (EINPROGRESS for TCP).
    private static final MethodHandle CONNECT = Native.errnoCall("connect",
            FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS, JAVA_INT), false);
    private static final MethodHandle SHUTDOWN = Native.errnoCall("shutdown",
            FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT), false);
    private static final MethodHandle GETSOCKNAME = Native.errnoCall("getsockname",
            FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS, ADDRESS), false);
    private static final MethodHandle GETPEERNAME = Native.errnoCall("getpeername",
            FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS, ADDRESS), false);
    private static final MethodHandle SETSOCKOPT = Native.errnoCall("setsockopt",
            FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT, ADDRESS, JAVA_INT), false);
    private static final MethodHandle GETSOCKOPT = Native.errnoCall("getsockopt",
            FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT, ADDRESS, ADDRESS), false);
    // The data calls are critical: they take heap arrays without a copy, which is only
    // allowed because every socket we use is non-blocking (or the call has MSG_DONTWAIT).
    private static final MethodHandle SEND = Native.errnoCall("send",
            FunctionDescriptor.of(JAVA_LONG, JAVA_INT, ADDRESS, JAVA_LONG, JAVA_INT), true);
    private static final MethodHandle RECV = Native.errnoCall("recv",
            FunctionDescriptor.of(JAVA_LONG, JAVA_INT, ADDRESS, JAVA_LONG, JAVA_INT), true);
    private static final MethodHandle SENDTO = Native.errnoCall("sendto",
            FunctionDescriptor.of(JAVA_LONG, JAVA_INT, ADDRESS, JAVA_LONG, JAVA_INT, ADDRESS, JAVA_INT), true);
    private static final MethodHandle RECVFROM = Native.errnoCall("recvfrom",
            FunctionDescriptor.of(JAVA_LONG, JAVA_INT, ADDRESS, JAVA_LONG, JAVA_INT, ADDRESS, ADDRESS), true);

    /** A few bytes per thread for option values and lengths; never held across a suspension. */
    private static final ThreadLocal<MemorySegment> SCRATCH =
            ThreadLocal.withInitial(() -> Arena.ofAuto().allocate(16, 8));

    /** socket(2) with {@code SOCK_NONBLOCK | SOCK_CLOEXEC} added: the new fd or {@code -errno}. */
    public int socket(int domain, int type, int protocol) {
        try {
            MemorySegment capture = Native.capture();
            int fd = (int) SOCKET.invokeExact(capture, domain,
                    type | Constants.SOCK_NONBLOCK | Constants.SOCK_CLOEXEC, protocol);
            return fd >= 0 ? fd : -Native.errno(capture);
        } catch (Throwable t) {
            throw Native.unexpected(t);
        }
    }

    /** bind(2): 0 or {@code -errno}. */
    public int bind(int fd, MemorySegment addr, int addrLen) {
        try {
            MemorySegment capture = Native.capture();
            int r = (int) BIND.invokeExact(capture, fd, addr, addrLen);
            return r == 0 ? 0 : -Native.errno(capture);
        } catch (Throwable t) {
            throw Native.unexpected(t);
        }
    }

    /** listen(2): 0 or {@code -errno}. Linux silently caps the backlog at {@code net.core.somaxconn}. */
    public int listen(int fd, int backlog) {
        try {
            MemorySegment capture = Native.capture();
            int r = (int) LISTEN.invokeExact(capture, fd, backlog);
            return r == 0 ? 0 : -Native.errno(capture);
        } catch (Throwable t) {
            throw Native.unexpected(t);
        }
    }

    /**
     * accept4(2) with {@code SOCK_NONBLOCK | SOCK_CLOEXEC}: the new fd or {@code -errno}.
     * {@code addr} may be {@link MemorySegment#NULL} (then {@code addrLen} must be too);
     * otherwise {@code addrLen} holds its size and receives the peer address's length.
     */
    public int accept(int fd, MemorySegment addr, MemorySegment addrLen) {
        try {
            MemorySegment capture = Native.capture();
            int r = (int) ACCEPT4.invokeExact(capture, fd, addr, addrLen,
                    Constants.SOCK_NONBLOCK | Constants.SOCK_CLOEXEC);
            return r >= 0 ? r : -Native.errno(capture);
        } catch (Throwable t) {
            throw Native.unexpected(t);
        }
    }

    /**
     * connect(2): 0, or {@code -errno}; {@code -EINPROGRESS} means "wait until writable,
     * then read {@code SO_ERROR}".
     */
    public int connect(int fd, MemorySegment addr, int addrLen) {
        try {
            MemorySegment capture = Native.capture();
            int r = (int) CONNECT.invokeExact(capture, fd, addr, addrLen);
            return r == 0 ? 0 : -Native.errno(capture);
        } catch (Throwable t) {
            throw Native.unexpected(t);
        }
    }

    /** shutdown(2) with {@link Constants#SHUT_RD}, {@code SHUT_WR} or {@code SHUT_RDWR}: 0 or {@code -errno}. */
    public int shutdown(int fd, int how) {
        try {
            MemorySegment capture = Native.capture();
            int r = (int) SHUTDOWN.invokeExact(capture, fd, how);
            return r == 0 ? 0 : -Native.errno(capture);
        } catch (Throwable t) {
            throw Native.unexpected(t);
        }
    }

    /** getsockname(2) into {@code addr}; {@code addrLen} holds its size and receives the length used. */
    public int getsockname(int fd, MemorySegment addr, MemorySegment addrLen) {
        try {
            MemorySegment capture = Native.capture();
            int r = (int) GETSOCKNAME.invokeExact(capture, fd, addr, addrLen);
            return r == 0 ? 0 : -Native.errno(capture);
        } catch (Throwable t) {
            throw Native.unexpected(t);
        }
    }

    /** getpeername(2), like {@link #getsockname}; {@code -ENOTCONN} when there is no peer. */
    public int getpeername(int fd, MemorySegment addr, MemorySegment addrLen) {
        try {
            MemorySegment capture = Native.capture();
            int r = (int) GETPEERNAME.invokeExact(capture, fd, addr, addrLen);
            return r == 0 ? 0 : -Native.errno(capture);
        } catch (Throwable t) {
            throw Native.unexpected(t);
        }
    }

    /** setsockopt(2) with a value of {@code len} bytes: 0 or {@code -errno}. */
    public int setsockopt(int fd, int level, int name, MemorySegment value, int len) {
        try {
            MemorySegment capture = Native.capture();
            int r = (int) SETSOCKOPT.invokeExact(capture, fd, level, name, value, len);
            return r == 0 ? 0 : -Native.errno(capture);
        } catch (Throwable t) {
            throw Native.unexpected(t);
        }
    }

    /** getsockopt(2); {@code len} holds the value's size and receives the length used. */
    public int getsockopt(int fd, int level, int name, MemorySegment value, MemorySegment len) {
        try {
            MemorySegment capture = Native.capture();
            int r = (int) GETSOCKOPT.invokeExact(capture, fd, level, name, value, len);
            return r == 0 ? 0 : -Native.errno(capture);
        } catch (Throwable t) {
            throw Native.unexpected(t);
        }
    }

    /** Sets an {@code int} option: 0 or {@code -errno}. */
    public int setIntOption(int fd, int level, int name, int value) {
        MemorySegment scratch = SCRATCH.get();
        scratch.set(JAVA_INT, 0, value);
        return setsockopt(fd, level, name, scratch, 4);
    }

    /**
     * Reads an {@code int} option. Every int option this project reads (flags,
     * buffer sizes, {@code SO_ERROR}) is non-negative, so a negative result is {@code -errno}.
     */
    public int getIntOption(int fd, int level, int name) {
        MemorySegment scratch = SCRATCH.get();
        scratch.set(JAVA_INT, 0, 0);
        scratch.set(JAVA_INT, 8, 4);
        int r = getsockopt(fd, level, name, scratch, scratch.asSlice(8, 4));
        return r < 0 ? r : scratch.get(JAVA_INT, 0);
    }

    /**
     * Sets {@code SO_LINGER}: {@code seconds < 0} turns lingering off; {@code 0} makes
     * close(2) discard unsent data and send RST ("connection reset by peer").
     */
    public int setLinger(int fd, int seconds) {
        MemorySegment scratch = SCRATCH.get();
        scratch.set(JAVA_INT, 0, seconds < 0 ? 0 : 1);
        scratch.set(JAVA_INT, 4, Math.max(0, seconds));
        return setsockopt(fd, Constants.SOL_SOCKET, Constants.SO_LINGER, scratch, 8);
    }

    /** send(2) of {@code buf[off, off+len)}: bytes sent or {@code -errno}. */
    public long send(int fd, byte[] buf, int off, int len, int flags) {
        java.util.Objects.checkFromIndexSize(off, len, buf.length);
        try {
            MemorySegment capture = Native.capture();
            long n = (long) SEND.invokeExact(capture, fd, Native.heap(buf, off), (long) len, flags);
            return n >= 0 ? n : -Native.errno(capture);
        } catch (Throwable t) {
            throw Native.unexpected(t);
        }
    }

    /** send(2) from a segment: bytes sent or {@code -errno}. */
    public long send(int fd, MemorySegment buf, long len, int flags) {
        try {
            MemorySegment capture = Native.capture();
            long n = (long) SEND.invokeExact(capture, fd, buf, len, flags);
            return n >= 0 ? n : -Native.errno(capture);
        } catch (Throwable t) {
            throw Native.unexpected(t);
        }
    }

    /** recv(2) into {@code buf[off, off+len)}: bytes received, 0 at end of stream, or {@code -errno}. */
    public long recv(int fd, byte[] buf, int off, int len, int flags) {
        java.util.Objects.checkFromIndexSize(off, len, buf.length);
        try {
            MemorySegment capture = Native.capture();
            long n = (long) RECV.invokeExact(capture, fd, Native.heap(buf, off), (long) len, flags);
            return n >= 0 ? n : -Native.errno(capture);
        } catch (Throwable t) {
            throw Native.unexpected(t);
        }
    }

    /** recv(2) into a segment: bytes received, 0 at end of stream, or {@code -errno}. */
    public long recv(int fd, MemorySegment buf, long len, int flags) {
        try {
            MemorySegment capture = Native.capture();
            long n = (long) RECV.invokeExact(capture, fd, buf, len, flags);
            return n >= 0 ? n : -Native.errno(capture);
        } catch (Throwable t) {
            throw Native.unexpected(t);
        }
    }

    /** sendto(2): a datagram of {@code len} bytes from {@code buf} to {@code addr}; bytes sent or {@code -errno}. */
    public long sendto(int fd, MemorySegment buf, long len, int flags, MemorySegment addr, int addrLen) {
        try {
            MemorySegment capture = Native.capture();
            long n = (long) SENDTO.invokeExact(capture, fd, buf, len, flags, addr, addrLen);
            return n >= 0 ? n : -Native.errno(capture);
        } catch (Throwable t) {
            throw Native.unexpected(t);
        }
    }

    /**
     * recvfrom(2): one datagram into {@code len} bytes of {@code buf}, its sender into
     * {@code addr} ({@code addrLen} holds the size and receives the length used).
     * With {@link Constants#MSG_TRUNC} the result is the datagram's full length even
     * when it did not fit.
     */
    public long recvfrom(int fd, MemorySegment buf, long len, int flags, MemorySegment addr, MemorySegment addrLen) {
        try {
            MemorySegment capture = Native.capture();
            long n = (long) RECVFROM.invokeExact(capture, fd, buf, len, flags, addr, addrLen);
            return n >= 0 ? n : -Native.errno(capture);
        } catch (Throwable t) {
            throw Native.unexpected(t);
        }
    }

    // sendfile is NOT critical: the socket side never blocks (it is non-blocking), but the
    // file side reads the page cache, and a page that is not there is read from the disk
    // in the call (O_NONBLOCK means nothing to a regular file). A critical call holds off
    // the collector for as long as it runs; a slow disk must not stop every thread's GC.
    private static final MethodHandle SENDFILE = Native.errnoCall("sendfile",
            FunctionDescriptor.of(JAVA_LONG, JAVA_INT, JAVA_INT, ADDRESS, JAVA_LONG), false);
    /** The {@code off_t} sendfile reads and advances; per thread, never held across a suspension. */
    private static final ThreadLocal<MemorySegment> SENDFILE_OFFSET =
            ThreadLocal.withInitial(() -> Arena.ofAuto().allocate(JAVA_LONG));

    /**
     * sendfile(2): copies up to {@code count} bytes of {@code inFd} from {@code offset}
     * to {@code outFd} inside the kernel. Bytes sent, 0 at (or past) the end of the file,
     * or {@code -errno}; {@code -EAGAIN} when a non-blocking {@code outFd} has no room.
     * The offset is passed by pointer, so the file's own position does not move and
     * other users of the file see none of it. Linux moves at most 0x7ffff000 bytes per
     * call. There is no {@code MSG_NOSIGNAL} for sendfile: a broken connection answers
     * EPIPE only because the JVM ignores SIGPIPE (see the class comment).
     */
    public long sendfile(int outFd, int inFd, long offset, long count) {
        try {
            MemorySegment off = SENDFILE_OFFSET.get();
            off.set(JAVA_LONG, 0, offset);
            MemorySegment capture = Native.capture();
            long n = (long) SENDFILE.invokeExact(capture, outFd, inFd, off, count);
            return n >= 0 ? n : -Native.errno(capture);
        } catch (Throwable t) {
            throw Native.unexpected(t);
        }
    }
}
