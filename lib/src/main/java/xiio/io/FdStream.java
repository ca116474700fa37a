package xiio.io;

import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.util.Objects;
import xiio.core.Condition;
import xiio.core.RingOps;
import xiio.core.RingReceiver;
import xiio.core.RingSender;
import xiio.core.Xiio;
import xiio.unix.Errno;
import xiio.unix.ErrnoException;
import xiio.unix.sys.Constants;
import xiio.unix.sys.FileSyscalls;
import xiio.unix.sys.HeapSegments;
import xiio.unix.sys.OwnedFd;
import xiio.unix.sys.SocketSyscalls;

/**
 * A {@link ByteStream} that owns one file descriptor: a pipe end, a tty, a file, a
 * socket. The base of every fd-backed stream of the project ({@code TcpStream},
 * {@code UnixStream}, pipes and stdio).
 *
 * <p>Reading waits until the fd is readable, then makes one read: in an echo loop
 * that is exactly one read syscall per message, and no syscall at all to re-arm
 * epoll (the loop's poller caches registrations). Writing tries the write first and
 * waits until writable only when the kernel answers EAGAIN. EAGAIN and EINTR never
 * reach the caller; end of stream is {@code -1}; every other failure is an
 * {@link IOException} naming the call, the fd and the errno.
 *
 * <p>The fd must be non-blocking or a regular file. A regular file cannot be watched
 * by epoll (it refuses with EPERM), so the loop treats it as always ready: reading
 * or writing one does the disk I/O in place, on the loop's thread.
 *
 * {@snippet :
 * try (Pipe pipe = Pipe.open()) {
 *     pipe.writer().writeAll("ping".getBytes(), 0, 4);
 *     byte[] buf = new byte[16];
 *     int n = pipe.reader().read(buf, 0, buf.length);   // 4
 * }
 * }
 *
 * <p>Not thread-safe: use a stream from the coroutines of one run. Two coroutines
 * may wait on the same stream (one reading, one writing).
 */
public class FdStream implements ByteStream {
    /** Which directions a stream supports. */
    public enum Access {
        /** Only {@link #read}: the read end of a pipe, stdin. */
        READ,
        /** Only {@link #write}: the write end of a pipe, stdout. */
        WRITE,
        /** Both: sockets, ttys opened read-write, files. */
        READ_WRITE
    }

    /** Which system calls move the data. */
    protected enum Transfer {
        /** read(2) and write(2): files, pipes, ttys. */
        FILE,
        /** recv(2) and send(2) with {@code MSG_NOSIGNAL}: our own non-blocking sockets. */
        SOCKET,
        /**
         * recv and send with {@code MSG_DONTWAIT} added: an inherited socket whose
         * shared {@code O_NONBLOCK} flag we must not change.
         */
        SOCKET_DONTWAIT
    }

    private final OwnedFd owned;
    /** {@code owned.fd()}, read on every call. */
    private final int fd;
    private final Access access;
    private final Transfer transfer;
    private final int sendFlags;
    private final int recvFlags;
    private final Condition readable;
    private final Condition writable;
    private boolean outputShut;
    // per stream, so a server with a buffer per connection allocates nothing per call
    private final HeapSegments readSegments = new HeapSegments();
    private final HeapSegments writeSegments = new HeapSegments();
    private Runnable beforeClose;
    // On io_uring a socket's bytes go through the ring: a receive queue (readQueued) and a sender (tryWrite).
    private RingReceiver receiver;
    /** The receive queue of a run that ended, with bytes it had taken from the socket. */
    private RingReceiver leftover;
    private RingSender sender;
    private boolean closing;

    /**
     * Takes ownership of {@code fd}: closing the stream closes it.
     *
     * @param description what the fd is, for error messages ({@code "pipe read end"})
     * @throws IllegalArgumentException if the fd is in blocking mode and is not a
     *         regular file (a blocking read would stall the whole loop; use
     *         {@link Stdio#inherit} for inherited fds)
     * @throws IOException if the fd is not open
     */
    public FdStream(int fd, Access access, String description) throws IOException {
        this(fd, access, Transfer.FILE, description);
        int flags = FileSyscalls.get().fcntl(fd, Constants.F_GETFL, 0);
        if (flags < 0) throw new ErrnoException("fcntl(F_GETFL)(fd " + fd + ", " + description + ")", -flags);
        if ((flags & Constants.O_NONBLOCK) == 0 && FdType.of(fd) != FdType.REGULAR_FILE) {
            throw new IllegalArgumentException("fd " + fd + " (" + description + ") is in blocking mode: a read"
                    + " would stall the loop; open it with O_NONBLOCK, or wrap an inherited fd with Stdio.inherit");
        }
    }

    /**
     * For subclasses that created the fd themselves with the right flags; takes
     * ownership of it without checking it.
     */
    protected FdStream(int fd, Access access, Transfer transfer, String description) {
        this.owned = new OwnedFd(fd, description);
        this.fd = fd;
        this.access = Objects.requireNonNull(access, "access");
        this.transfer = Objects.requireNonNull(transfer, "transfer");
        this.sendFlags = switch (transfer) {
            case FILE -> 0;
            case SOCKET -> Constants.MSG_NOSIGNAL;
            case SOCKET_DONTWAIT -> Constants.MSG_NOSIGNAL | Constants.MSG_DONTWAIT;
        };
        this.recvFlags = transfer == Transfer.SOCKET_DONTWAIT ? Constants.MSG_DONTWAIT : 0;
        this.readable = Condition.readable(fd);
        this.writable = Condition.writable(fd);
    }

    /** The fd, for waiting on it with {@link Condition}; it stays owned by this stream. */
    public final int fd() {
        return fd;
    }

    /** Which directions this stream supports. */
    public final Access access() {
        return access;
    }

    /** Whether {@link #close} has not been called yet. */
    public final boolean isOpen() {
        return owned.isOpen();
    }

    /**
     * Waits until the fd is readable, then reads at least one byte.
     * Cancel-safe: a cancellation can only arrive before the read, so nothing is lost.
     *
     * @return the number of bytes read, or -1 at end of stream
     */
    @Override
    public int read(byte[] buf, int off, int len) throws IOException {
        Objects.checkFromIndexSize(off, len, buf.length);
        if (!isOpen() || access == Access.WRITE) throw unusable("read from");
        if (len == 0) return 0;
        RingReceiver queue = receiver(); // first: it keeps what a run that ended had queued
        if (leftover != null) {
            int n = leftover.take(buf, off, len);
            if (n > 0) return n;
            leftover = null;
        }
        if (queue != null) return readQueued(queue, buf, off, len);
        while (true) {
            awaitOpen(readable, "read from");
            if (!isOpen()) throw unusable("read from");
            long n = readOnce(buf, off, len);
            if (n > 0) return (int) n;
            if (n == 0) return -1;
            if (n != -Errno.EAGAIN && n != -Errno.EINTR) {
                throw failure(transfer == Transfer.FILE ? "read" : "recv", (int) -n);
            }
        }
    }

    /**
     * A read through the run's receive queue: take what the multishot receive queued,
     * else wait until it queues something. Cancel-safe as the readiness path: taking
     * never suspends, so a cancelled read took nothing and the bytes stay queued.
     */
    private int readQueued(RingReceiver queue, byte[] buf, int off, int len) throws IOException {
        while (true) {
            int n = queue.take(buf, off, len);
            if (n > 0) return n;
            if (n == RingReceiver.END) return -1;
            if (n < 0) throw failure("recv", -n);
            if (!queue.receiving()) {
                // not armed yet, or the ring ran out of buffers: nothing is in flight, so
                // reading the socket here cannot overtake queued bytes
                long r = readOnce(buf, off, len);
                if (r > 0) return (int) r;
                if (r == 0) {
                    queue.endOfStream();
                    return -1;
                }
                if (r != -Errno.EAGAIN && r != -Errno.EINTR) throw failure("recv", (int) -r);
            }
            awaitOpen(readable, "read from");
            if (!isOpen()) throw unusable("read from");
        }
    }

    /**
     * The run's ring, when this stream's bytes go through it: one of our own sockets, a
     * run on io_uring, and the real syscall table (fault-injection tests replace it, and
     * the ring would bypass their faults).
     */
    private RingOps ring() {
        if (transfer != Transfer.SOCKET || closing || SocketSyscalls.get().getClass() != SocketSyscalls.class) return null;
        return RingOps.current();
    }

    /** This socket's receive queue in the current run, started on first use; null when not on a ring. */
    private RingReceiver receiver() {
        RingReceiver r = receiver;
        if (r != null) {
            // once started, the queue is the way in for the rest of the run (its receive is armed)
            if (r.isLive(RingOps.current())) return r;
            receiver = null;
            if (r.hasLeftover()) leftover = r; // the run it belonged to ended: what it had queued is read first
        }
        RingOps ring = ring();
        if (ring == null) return null;
        return receiver = ring.receiver(fd);
    }

    /** This socket's outbound side in the current run; null when not on a ring. */
    private RingSender sender() {
        RingSender s = sender;
        if (s != null && s.isLive(RingOps.current())) return s; // keeps the order of what it still sends
        RingOps ring = ring();
        return sender = ring == null ? null : ring.sender(fd, sendFlags);
    }

    /**
     * Writes at least one byte: tries at once, and waits until writable only when the
     * kernel has no room. Cancel-safe: a cancellation can only arrive while waiting,
     * before anything of this call was written.
     *
     * <p>On io_uring the bytes are copied to the stream's native buffer and sent by the
     * ring ({@link RingSender}); this returns once they are copied, and waits only while
     * an earlier send is still in flight. A failure of that send is thrown by the next
     * write, as a socket reports an error of bytes it had accepted.
     *
     * @return the number of bytes written (0 only when {@code len} is 0)
     */
    @Override
    public int write(byte[] buf, int off, int len) throws IOException {
        while (true) {
            int n = tryWrite(buf, off, len);
            if (n > 0 || len == 0) return n;
            RingSender out = sender;
            awaitOpen(out != null && out.isBusy() ? out.idle() : writable, "write to");
            if (!isOpen() || closing) throw closedWhileWriting();
        }
    }

    /**
     * Writes what the kernel takes now, without ever suspending: 0 when it has no
     * room. With one loop thread, a buffer shared by many coroutines may be written
     * from this way, because no other coroutine runs before it returns.
     *
     * @return the number of bytes written, 0 if the kernel had no room (or {@code len} is 0)
     */
    public int tryWrite(byte[] buf, int off, int len) throws IOException {
        Objects.checkFromIndexSize(off, len, buf.length);
        if (!isOpen() || access == Access.READ) throw unusable("write to");
        if (outputShut) throw new IOException("cannot write to " + this + ": its output was shut down");
        if (len == 0) return 0;
        RingSender out = sender();
        if (out != null) {
            int n = out.offer(buf, off, len);
            if (n < 0) throw failure("send", -n);
            return n;
        }
        while (true) {
            long n = writeOnce(buf, off, len);
            if (n >= 0) return (int) n;
            if (n == -Errno.EAGAIN) return 0;
            if (n != -Errno.EINTR) throw failure(transfer == Transfer.FILE ? "write" : "send", (int) -n);
        }
    }

    /**
     * Sends up to {@code count} bytes of the file {@code fileFd}, from {@code offset}, to
     * this stream with sendfile(2): the kernel moves them from the page cache to the
     * socket without a copy through Java memory (Netty's {@code FileRegion}, nginx's
     * {@code sendfile on}). Like {@link #write}, it sends at least one byte: it tries at
     * once and waits until writable only when the kernel has no room, so a loop that
     * adds up the results knows exactly what went out. The file's own position does not
     * move; {@code fileFd} stays the caller's.
     *
     * <p>Cancel-safe: a cancellation can only arrive while waiting, before anything of
     * this call was sent, so a cancelled loop has sent exactly the sum of what earlier
     * calls returned, and nothing twice.
     *
     * <p>On io_uring, bytes of earlier writes may still be in the ring's send: this first
     * waits until that send completed (the ring sender is idle), then calls sendfile
     * directly, so file bytes never overtake bytes written before them; what is written
     * after goes to the ring only once sendfile returned, after them too. That wait is
     * cancel-safe as well: nothing of the file was sent yet.
     *
     * <p>The disk: sendfile reads the file on the calling (loop) thread, so a part of the
     * file that is not in the page cache is read from the disk in the call, as a read of
     * an {@code FdStream} over a file is. Files served often are cached; for cold files
     * on slow disks, read them with {@code xiio.file.AsyncFile} instead.
     *
     * @param fileFd an open fd that can be mmap'ed: a regular file (or a block device)
     * @param offset where in the file to start, at least 0
     * @param count  the most bytes to send, at least 0 (Linux sends at most 0x7ffff000 per call)
     * @return the number of bytes sent (at least 1), 0 only when {@code count} is 0, or
     *     -1 when {@code offset} is at or past the end of the file
     * @throws IllegalArgumentException if {@code offset} or {@code count} is negative
     * @throws IOException if this stream is closed or read-only, its output was shut
     *     down, it is an inherited socket in blocking mode (sendfile has no
     *     {@code MSG_DONTWAIT} and would block the loop), or sendfile failed: EBADF for a
     *     closed {@code fileFd}, ESPIPE for a socket or pipe (no offsets), EINVAL for other fds that cannot be mmap'ed, EPIPE or ECONNRESET
     *     for a peer that went away
     */
    public long sendFile(int fileFd, long offset, long count) throws IOException {
        if (offset < 0) throw new IllegalArgumentException("offset must not be negative, got " + offset + " (sendFile to " + this + ")");
        if (count < 0) throw new IllegalArgumentException("count must not be negative, got " + count + " (sendFile to " + this + ")");
        if (!isOpen() || access == Access.READ) throw unusable("sendFile to");
        if (outputShut) throw new IOException("cannot sendFile to " + this + ": its output was shut down");
        if (transfer == Transfer.SOCKET_DONTWAIT) {
            throw new IOException("cannot sendFile to " + this + ": it is an inherited socket in blocking mode, and"
                    + " sendfile has no MSG_DONTWAIT (it would block the loop); write its bytes instead");
        }
        if (count == 0) return 0;
        awaitRingSent();
        while (true) {
            long n = SocketSyscalls.get().sendfile(fd, fileFd, offset, count);
            if (n > 0) return n;
            if (n == 0) return -1;
            if (n == -Errno.EAGAIN) {
                awaitOpen(writable, "sendFile to");
                if (!isOpen() || closing) throw closedWhileWriting();
            } else if (n != -Errno.EINTR) {
                throw failure("sendfile(from fd " + fileFd + ")", (int) -n); // EBADF or EINVAL may be the file's
            }
        }
    }

    /**
     * Waits until the ring, if this stream sends through one, has sent every byte handed
     * to it, and throws the failure of that send if it failed.
     */
    private void awaitRingSent() throws IOException {
        RingSender out = sender;
        if (out == null || !out.isLive(RingOps.current())) return;
        while (out.isBusy()) {
            awaitOpen(out.idle(), "sendFile to");
            if (!isOpen() || closing) throw closedWhileWriting();
        }
        int failed = out.offer(EMPTY, 0, 0); // takes nothing; reports a failure of the last send
        if (failed < 0) throw failure("send", -failed);
    }

    private static final byte[] EMPTY = new byte[0];

    /** One read(2) or recv(2), through this stream's cached segment of the buffer. */
    private long readOnce(byte[] buf, int off, int len) {
        MemorySegment segment = readSegments.of(buf, off);
        return transfer == Transfer.FILE
                ? FileSyscalls.get().read(fd, segment, len)
                : SocketSyscalls.get().recv(fd, segment, len, recvFlags);
    }

    /** One write(2) or send(2), through this stream's cached segment of the buffer. */
    private long writeOnce(byte[] buf, int off, int len) {
        MemorySegment segment = writeSegments.of(buf, off);
        return transfer == Transfer.FILE
                ? FileSyscalls.get().write(fd, segment, len)
                : SocketSyscalls.get().send(fd, segment, len, sendFlags);
    }

    /**
     * Half-close. On a socket the peer reads end of stream and reading goes on; on a
     * write-only fd (a pipe's write end) this closes the stream, which is the only
     * way to give the reader end of file. Idempotent.
     *
     * @throws IOException on a read-write fd that is not a socket (a tty or a file):
     *         such an fd cannot be half-closed
     */
    @Override
    public void shutdownOutput() throws IOException {
        if (!isOpen()) throw unusable("shut down output of");
        if (outputShut) return;
        if (access == Access.WRITE) {
            outputShut = true;
            close();
            return;
        }
        if (access == Access.READ) throw new IOException("cannot shut down output of " + this + ": it is read-only");
        if (transfer == Transfer.FILE) {
            throw new IOException("cannot half-close " + this + ": only sockets and write-only fds can be; close it instead");
        }
        RingSender out = sender;
        if (out != null) {
            // the FIN must follow the bytes the ring is still sending
            if (out.isBusy()) awaitOpen(out.idle(), "shut down output of");
            int failed = out.offer(new byte[0], 0, 0);
            if (failed < 0) throw failure("send", -failed);
        }
        int r = SocketSyscalls.get().shutdown(fd, Constants.SHUT_WR);
        if (r < 0 && r != -Errno.ENOTCONN) throw failure("shutdown(SHUT_WR)", -r);
        outputShut = true;
    }

    /**
     * Closes the fd; every coroutine that waits on it fails (the syscall table tells the
     * loop before the fd is closed). Idempotent; the fd is released even if close(2)
     * reports an error (Linux never keeps it), which is then thrown.
     */
    @Override
    public void close() throws IOException {
        if (!isOpen()) return;
        closing = true;
        Runnable before = beforeClose;
        beforeClose = null;
        if (before != null) before.run();
        RingReceiver in = receiver;
        RingSender out = sender;
        if (in != null) in.close();
        if (out != null) out.close();
        if (in != null && in.inFlight() || out != null && out.isBusy()) {
            // A receive or send in flight holds the socket in the kernel: its fd is closed
            // when the cancellation completes (the loop's next wait), so the socket really
            // closes then. Waiters fail now; close itself never suspends, as on epoll.
            OwnedFd later = owned.handOff();
            RingOps ring = in != null && in.inFlight() ? in.ring() : out.ring();
            ring.closeWhenReleased(in, out, later::close);
            return;
        }
        int r = owned.close();
        if (r < 0 && r != -Errno.EINTR) throw failure("close", -r);
    }

    /** Awaits {@code ready}; if this stream is closed meanwhile, fails naming the stream rather than the bare fd. */
    private void awaitOpen(Condition ready, String verb) throws IOException {
        try {
            Xiio.await(ready);
        } catch (IOException e) {
            if (isOpen()) throw e;
            throw new IOException(owned + " was closed while a coroutine waited to " + verb + " it", e);
        }
    }

    private IOException closedWhileWriting() {
        if (isOpen() && !closing) return unusable("write to");
        return new IOException(owned + " was closed while a coroutine waited to write to it",
                new IOException("fd " + fd + " was closed while a coroutine waited on it"));
    }

    /** Runs {@code action} once, right before the fd is closed (stdio restores shared flags this way). */
    final void beforeClose(Runnable action) {
        this.beforeClose = action;
    }

    /** What this stream is, as given to the constructor. */
    protected final String description() {
        return owned.description();
    }

    /**
     * The exception for a failed call. Subclasses refine it (sockets name the peer and
     * use the JDK's socket exception types).
     */
    protected IOException failure(String call, int errno) {
        return new ErrnoException(call + "(fd " + fd + ", " + owned.description() + ")", errno);
    }

    private IOException unusable(String verb) {
        if (!isOpen()) return new IOException("cannot " + verb + " " + this + ": it is closed");
        return new IOException("cannot " + verb + " " + this + ": it is "
                + (access == Access.READ ? "read-only" : "write-only"));
    }

    @Override
    public String toString() {
        return owned.toString();
    }
}
