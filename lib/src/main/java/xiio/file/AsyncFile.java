package xiio.file;

import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.nio.file.attribute.FileAttribute;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Objects;
import java.util.Set;
import xiio.core.RingOps;
import xiio.core.Xiio;
import xiio.io.FdStream;
import xiio.thread.ThreadPool;
import xiio.unix.Errno;
import xiio.unix.sys.FileSyscalls;
import xiio.unix.sys.OwnedFd;

/**
 * A regular file, read and written at positions without ever stalling the loop.
 *
 * <p>epoll cannot wait for a regular file (it is "always ready", and a read of it
 * blocks on the disk), so an {@link xiio.io.FdStream} over a file does its I/O in
 * place, on the loop's thread. An {@code AsyncFile} does not: each transfer runs as
 * an operation in the run's io_uring when the run's poller has one, and otherwise as a
 * blocking pread/pwrite on a worker of a {@link ThreadPool} (by default
 * {@link #defaultPool()}; see {@link #open(Path, Set, ThreadPool, FileAttribute...)}).
 * Either way the calling coroutine suspends and every other coroutine keeps running;
 * opening, {@link #size}, {@link #truncate} and {@link #force} take the same way.
 * A read first asks the page cache, on the loop thread and without waiting for the
 * disk (preadv2 with RWF_NOWAIT, after a checkpoint that lets the other coroutines
 * run): only a miss costs the ring's or the pool's round trip. Writes always take it.
 *
 * <p>Positional, like {@link java.nio.channels.FileChannel}'s {@code read(dst, position)}:
 * {@link #read} and {@link #write} take the position and keep none, so any number of
 * coroutines may read and write one file at once, at different places. {@link #stream()}
 * is a sequential {@link xiio.io.ByteStream} view with a position of its own, for
 * {@link xiio.io.StreamReader} and anything else that takes a stream.
 *
 * {@snippet :
 * try (AsyncFile file = AsyncFile.open(path, StandardOpenOption.READ)) {
 *     byte[] header = new byte[16];
 *     int n = file.readNBytes(0, header, 0, header.length); // 16, or fewer at end of file
 *     long size = file.size();
 * }
 * }
 *
 * <p><b>Cancellation.</b> A read cancelled while it is pending has not touched the
 * caller's array: the data, if it arrived anyway, is dropped, and since reads take a
 * position the caller just reads again. A write cancelled while pending may still
 * land, fully or in part (a pread or pwrite on a worker cannot be stopped; the ring's
 * cancel may come too late); a positional write can simply be repeated, an
 * {@link #append} cannot, so do not cancel appends you cannot afford to repeat.
 *
 * <p><b>Closing</b> while operations are in flight: they finish normally, later calls
 * fail, and the fd itself is closed when the last of them is over, so a pending read
 * never sees its fd number reused by another file.
 *
 * <p>Use one file from the coroutines of one run at a time; {@link #close()} alone may
 * also be called from any other thread (a shutdown hook): reads and writes then fail
 * as for a file closed in the run. Bad input fails at once
 * and names the file: a negative position, a closed file, a write to a file opened
 * read-only, a directory, a FIFO or a device (refused when opened), a missing file
 * ({@link java.nio.file.NoSuchFileException}).
 */
public final class AsyncFile implements AutoCloseable {
    /**
     * The most bytes one {@link #read} or {@link #write} moves (1 MiB): each transfer
     * copies through native memory of this size at most, so a huge array costs no huge
     * buffer; {@link #readNBytes} and {@link #writeAll} loop.
     */
    public static final int MAX_TRANSFER = 1 << 20;

    private final Path path;
    private final SharedFd fd;
    private final OpenFlags how;
    /** The pool the file was opened with, or null: the run's ring if it has one, else the default pool. */
    private final PoolFileIo pool;
    private final NativeBuffers buffers = new NativeBuffers();
    /** Whether reads try the page cache on the loop thread first (cleared where RWF_NOWAIT is not supported). */
    private boolean pageCacheFirst = true;
    /** Reads served from the page cache without the ring or a pool (tests count them). */
    long cachedReads;
    private static final int NOT_CACHED = Integer.MIN_VALUE;
    /** The ring of the run that used this file last. */
    private RingFileIo ring;

    /** A file {@link FileOpener} opened; {@code ring} is the ring it was opened on, if any. */
    AsyncFile(Path path, SharedFd fd, OpenFlags how, PoolFileIo pool, RingFileIo ring) {
        this.path = path;
        this.fd = fd;
        this.how = how;
        this.pool = pool;
        this.ring = ring;
    }

    /**
     * The pool that runs file calls where the run has no io_uring: {@code xiio-files},
     * daemon workers (at least 16), shared by every run, kept apart from
     * {@link ThreadPool#common()} so that a slow disk delays only file calls.
     */
    public static ThreadPool defaultPool() {
        return DefaultFilePool.POOL;
    }

    /**
     * Opens {@code path} as {@code FileChannel.open} does: {@code READ}, {@code WRITE},
     * {@code APPEND}, {@code CREATE}, {@code CREATE_NEW}, {@code TRUNCATE_EXISTING},
     * {@code SYNC}, {@code DSYNC}, {@code NOFOLLOW_LINKS} ({@code SPARSE} is ignored);
     * no option means {@code READ}. New files get {@code rw-rw-rw-} less the umask.
     *
     * @throws java.nio.file.NoSuchFileException if the file does not exist (and is not to be created)
     * @throws java.nio.file.FileSystemException if it is not a regular file, or open(2) failed otherwise
     * @throws UnsupportedOperationException for {@code DELETE_ON_CLOSE} or an unknown option
     * @throws IllegalArgumentException for {@code READ} with {@code APPEND}, or {@code APPEND} with {@code TRUNCATE_EXISTING}
     */
    public static AsyncFile open(Path path, OpenOption... options) throws IOException {
        return open(path, new HashSet<>(Arrays.asList(options)));
    }

    /**
     * Opens {@code path} with {@code options}, as {@link #open(Path, OpenOption...)};
     * {@code attrs} may hold {@code PosixFilePermissions.asFileAttribute(...)}, the mode
     * of a file this call creates (less the umask).
     */
    public static AsyncFile open(Path path, Set<? extends OpenOption> options, FileAttribute<?>... attrs)
            throws IOException {
        return FileOpener.open(path, OpenFlags.of(options, attrs), null);
    }

    /**
     * Opens {@code path} as {@link #open(Path, Set, FileAttribute...)} does, and runs
     * every call of this file on {@code pool}, even where the run has an io_uring: for
     * file work bounded by a pool of its own (a slow network file system that must not
     * hold the default pool's workers), and for comparisons.
     */
    public static AsyncFile open(Path path, Set<? extends OpenOption> options, ThreadPool pool,
            FileAttribute<?>... attrs) throws IOException {
        return FileOpener.open(path, OpenFlags.of(options, attrs), new PoolFileIo(Objects.requireNonNull(pool, "pool")));
    }

    /**
     * A file over an fd the caller opened, without the checks of open (tests use a
     * pipe's read end: a read on the ring that stays pending until they write).
     */
    static AsyncFile over(OwnedFd fd, Path label, Set<? extends OpenOption> options, ThreadPool poolOrNull) {
        AsyncFile f = new AsyncFile(label, new SharedFd(fd), OpenFlags.of(options),
                poolOrNull == null ? null : new PoolFileIo(poolOrNull), null);
        f.pageCacheFirst = false; // a pipe has no page cache, and preadv2 at an offset of one is ESPIPE
        return f;
    }

    /**
     * The whole contents of {@code path}, as {@code Files.readAllBytes}: sized by statx,
     * then read to the end of the file (one that grew meanwhile is read on, one that
     * shrank gives what is left).
     *
     * @throws OutOfMemoryError if the file is larger than an array can be
     */
    public static byte[] readAllBytes(Path path) throws IOException {
        return WholeFiles.readAllBytes(path);
    }

    /**
     * Writes {@code bytes} to {@code path}, as {@code Files.write}: with no option, the
     * file is created or truncated ({@code CREATE, TRUNCATE_EXISTING}); {@code WRITE} is
     * always implied; with {@code APPEND}, the bytes go to the end.
     */
    public static void write(Path path, byte[] bytes, OpenOption... options) throws IOException {
        WholeFiles.write(path, bytes, options);
    }

    /** The path this file was opened with. */
    public Path path() {
        return path;
    }

    /** Whether {@link #close()} has not been called. */
    public boolean isOpen() {
        return fd.isOpen();
    }

    /**
     * Reads up to {@code len} bytes (at most {@link #MAX_TRANSFER}) at {@code position}
     * into {@code buf[off, off+len)}, suspending until they arrive. The file's own
     * position does not exist: nothing moves.
     *
     * @return the number of bytes read (fewer than asked near the end of the file), or
     *     -1 if {@code position} is at or past the end of the file (0 only when {@code len} is 0)
     * @throws IllegalArgumentException if {@code position} is negative
     * @throws IOException if the file is closed or was opened without {@code READ}, or pread failed
     */
    public int read(long position, byte[] buf, int off, int len) throws IOException {
        Objects.checkFromIndexSize(off, len, buf.length);
        checkPosition(position, "read");
        if (!how.read()) throw new IOException("cannot read " + path + ": it was opened for " + how.describe() + " only");
        if (len == 0) return 0;
        int n = Math.min(len, MAX_TRANSFER);
        if (pageCacheFirst) {
            int cached = readCached(position, buf, off, n);
            if (cached != NOT_CACHED) return cached;
        }
        MemorySegment native_ = buffers.take(n);
        acquire("read");
        long r = io().read(fd, native_, n, position); // on a throw the buffer may still be written: not given back
        if (r > 0) MemorySegment.copy(native_, ValueLayout.JAVA_BYTE, 0, buf, off, (int) r);
        buffers.give(native_);
        if (r < 0) throw FileErrors.call("pread", path, position, r);
        return r == 0 ? -1 : (int) r;
    }

    /**
     * The page cache first: preadv2 with RWF_NOWAIT on the loop thread returns what is
     * cached without ever waiting for the disk, at the cost of one syscall (io_uring makes
     * the same attempt inline before it punts a read to its workers). A hit saves the
     * ring's or the pool's round trip; a miss (EAGAIN) goes on to them. The checkpoint
     * before it keeps a loop of cached reads from starving the run, and a cancellation
     * arrives there, before anything is read.
     *
     * @return the result of {@link #read}, or {@link #NOT_CACHED}
     */
    private int readCached(long position, byte[] buf, int off, int n) throws IOException {
        Xiio.yieldNow();
        MemorySegment native_ = buffers.take(n);
        acquire("read"); // a close on another thread must not free the number under the call
        long r;
        try {
            r = FileSyscalls.get().preadNoWait(fd.fd(), native_, n, position);
        } finally {
            fd.release();
        }
        if (r > 0) MemorySegment.copy(native_, ValueLayout.JAVA_BYTE, 0, buf, off, (int) r);
        buffers.give(native_);
        if (r >= 0) {
            cachedReads++;
            return r == 0 ? -1 : (int) r;
        }
        if (r == -Errno.EOPNOTSUPP || r == -Errno.EINVAL) pageCacheFirst = false; // no RWF_NOWAIT here: stop asking
        else if (r != -Errno.EAGAIN) throw FileErrors.call("preadv2", path, position, r);
        return NOT_CACHED;
    }

    /**
     * Sends up to {@code count} bytes of this file, from {@code position}, to {@code out}
     * with sendfile(2), without copying them through Java memory: see
     * {@link FdStream#sendFile}, which this calls with the file's fd, for the waiting,
     * the order with bytes written before, cancellation and the errors. The fd is held
     * for the call, so a {@link #close()} meanwhile (from another thread) cannot free its
     * number under it. Unlike {@link #read}, this runs neither in the ring nor on a pool:
     * a part of the file that is not in the page cache is read from the disk by the
     * calling loop thread.
     *
     * @param out      the stream to send to: a socket (or a pipe)
     * @param position where in the file to start, at least 0
     * @param count    the most bytes to send, at least 0
     * @return the number of bytes sent (at least 1), 0 only when {@code count} is 0, or
     *     -1 when {@code position} is at or past the end of the file
     * @throws IllegalArgumentException if {@code position} or {@code count} is negative
     * @throws IOException if this file is closed or was opened without {@code READ}, or
     *     as {@link FdStream#sendFile}
     */
    public long sendTo(FdStream out, long position, long count) throws IOException {
        Objects.requireNonNull(out, "out");
        checkPosition(position, "send");
        if (count < 0) throw new IllegalArgumentException("count must not be negative, got " + count + " (send " + path + ")");
        if (!how.read()) throw new IOException("cannot send " + path + ": it was opened for " + how.describe() + " only");
        acquire("send");
        try {
            return out.sendFile(fd.fd(), position, count);
        } finally {
            fd.release();
        }
    }

    /**
     * Reads {@code len} bytes at {@code position}, or as many as there are before the end
     * of the file, as {@code InputStream.readNBytes} does.
     *
     * @return how many were read: {@code len}, or fewer only at the end of the file (0 past it)
     */
    public int readNBytes(long position, byte[] buf, int off, int len) throws IOException {
        Objects.checkFromIndexSize(off, len, buf.length);
        checkPosition(position, "read");
        int done = 0;
        while (done < len) {
            int n = read(position + done, buf, off + done, len - done);
            if (n < 0) break;
            done += n;
        }
        return done;
    }

    /**
     * Writes up to {@code len} bytes (at most {@link #MAX_TRANSFER}) of
     * {@code buf[off, off+len)} at {@code position}; a position past the end leaves a
     * hole that reads as zeros.
     *
     * @return the number of bytes written (at least 1 unless {@code len} is 0)
     * @throws IOException if the file is closed, was opened without {@code WRITE}, or with
     *     {@code APPEND} (which writes at the end whatever the position: use {@link #append}), or pwrite failed
     */
    public int write(long position, byte[] buf, int off, int len) throws IOException {
        Objects.checkFromIndexSize(off, len, buf.length);
        checkPosition(position, "write");
        checkWritable("write at a position to");
        if (how.append()) {
            throw new IOException("cannot write at a position to " + path + ": it was opened with APPEND, where"
                    + " every write goes to the end; use append()");
        }
        return (int) transfer(position, buf, off, len);
    }

    /** Writes all of {@code buf[off, off+len)} at {@code position}, in as many transfers as it takes. */
    public void writeAll(long position, byte[] buf, int off, int len) throws IOException {
        Objects.checkFromIndexSize(off, len, buf.length);
        checkPosition(position, "write");
        int done = 0;
        while (done < len) done += write(position + done, buf, off + done, len - done);
    }

    /**
     * Writes all of {@code buf[off, off+len)} at the end of a file opened with
     * {@code APPEND}. Each transfer (up to {@link #MAX_TRANSFER}) lands at the end as
     * one piece, even with other writers: O_APPEND moves to the end and writes in one
     * step.
     *
     * @throws IOException if the file was not opened with {@code APPEND}, or is closed, or the write failed
     */
    public void append(byte[] buf, int off, int len) throws IOException {
        Objects.checkFromIndexSize(off, len, buf.length);
        checkWritable("append to");
        if (!how.append()) throw new IOException("cannot append to " + path + ": it was not opened with APPEND");
        int done = 0;
        while (done < len) done += (int) transfer(FileIo.APPEND, buf, off + done, len - done);
    }

    /** One write of at most MAX_TRANSFER bytes, copied into native memory first. */
    private long transfer(long position, byte[] buf, int off, int len) throws IOException {
        if (len == 0) return 0;
        int n = Math.min(len, MAX_TRANSFER);
        MemorySegment native_ = buffers.take(n);
        MemorySegment.copy(buf, off, native_, ValueLayout.JAVA_BYTE, 0, n);
        acquire(position == FileIo.APPEND ? "append to" : "write");
        long r = io().write(fd, native_, n, position);
        buffers.give(native_);
        if (r < 0) throw FileErrors.call(position == FileIo.APPEND ? "write" : "pwrite", path, position, r);
        if (r == 0) throw FileErrors.call("pwrite", path, position, -Errno.EIO); // never for a regular file
        return r;
    }

    /** The file's current size in bytes (statx). */
    public long size() throws IOException {
        if (io() instanceof RingFileIo ring) {
            acquire("size");
            long[] stat = ring.typeAndSize(fd);
            if (stat[0] < 0) throw FileErrors.call("statx", path, -1, stat[0]);
            return stat[1];
        }
        long[] stat = new long[2];
        int n = fdFor("size");
        long r = poolIo().call(fd, () -> {
            long[] s = FileSyscalls.get().typeAndSize(n);
            stat[1] = s[1];
            return s[0];
        });
        if (r < 0) throw FileErrors.call("statx", path, -1, r);
        return stat[1];
    }

    /**
     * Sets the file's size, as ftruncate(2) and {@code RandomAccessFile.setLength} do:
     * bytes past {@code size} are dropped; a larger size extends the file with zeros
     * (unlike {@code FileChannel.truncate}, which never grows a file).
     *
     * @throws IllegalArgumentException if {@code size} is negative
     */
    public void truncate(long size) throws IOException {
        if (size < 0) throw new IllegalArgumentException("size must not be negative, got " + size + " (truncating " + path + ")");
        checkWritable("truncate");
        long r = -Errno.EINVAL;
        if (io() instanceof RingFileIo ring) {
            acquire("truncate");
            r = ring.truncate(fd, size);
        }
        // no ring, or a kernel before 6.9 (EINVAL for an unknown opcode; the pool gives the true answer)
        if (r == -Errno.EINVAL) {
            int n = fdFor("truncate");
            r = poolIo().call(fd, () -> PoolFileIo.retryEintr(() -> FileSyscalls.get().ftruncate(n, size)));
        }
        if (r < 0) throw FileErrors.call("ftruncate", path, size, r);
    }

    /**
     * Waits until what was written is on the storage device, as {@code FileChannel.force}:
     * fsync(2), or fdatasync(2) (data, and only the metadata needed to read it back)
     * when {@code metaData} is false.
     */
    public void force(boolean metaData) throws IOException {
        acquire("force");
        long r = io().sync(fd, !metaData);
        if (r < 0) throw FileErrors.call(metaData ? "fsync" : "fdatasync", path, -1, r);
    }

    /**
     * A sequential stream over this file from position 0 (or, for a file opened with
     * {@code APPEND}, writing at the end): see {@link FileStream}.
     */
    public FileStream stream() {
        return new FileStream(this, 0);
    }

    /** A sequential stream over this file from {@code position}: see {@link FileStream}. */
    public FileStream stream(long position) {
        checkPosition(position, "stream");
        return new FileStream(this, position);
    }

    /**
     * Closes the file; operations in flight finish first, and the fd is closed when the
     * last of them is over. Idempotent.
     */
    @Override
    public void close() {
        fd.close();
    }

    boolean appends() {
        return how.append();
    }

    /** Which mechanism the next transfer of the calling coroutine uses (tests, messages). */
    String mechanism() {
        return io().mechanism();
    }

    /** The fd's state, for tests: whether it is closed already (no operation holds it). */
    boolean fdClosed() {
        return fd.fdClosed();
    }

    /** The run's ring when the file has no pool of its own and the run's poller has one; else the pool. */
    private FileIo io() {
        if (pool != null) return pool;
        RingOps current = RingOps.current();
        if (current == null) return DefaultFilePool.IO;
        RingFileIo r = ring;
        if (r == null || !r.serves(current)) ring = r = new RingFileIo(current);
        return r;
    }

    private PoolFileIo poolIo() {
        return pool != null ? pool : DefaultFilePool.IO;
    }

    /** The default pool's mechanism, for tests that count its calls. */
    static PoolFileIo defaultPoolIo() {
        return DefaultFilePool.IO;
    }

    private void acquire(String verb) throws IOException {
        if (!fd.acquire()) throw new IOException("cannot " + verb + " " + path + ": the file is closed");
    }

    /** Acquires a reference and returns the number, for a call made with {@link PoolFileIo#call}. */
    private int fdFor(String verb) throws IOException {
        acquire(verb);
        return fd.fd();
    }

    private void checkWritable(String verb) throws IOException {
        if (!fd.isOpen()) throw new IOException("cannot " + verb + " " + path + ": the file is closed");
        if (!how.write()) throw new IOException("cannot " + verb + " " + path + ": it was opened for " + how.describe() + " only");
    }

    private void checkPosition(long position, String verb) {
        if (position < 0) {
            throw new IllegalArgumentException("position must not be negative, got " + position + " (" + verb + " " + path + ")");
        }
    }

    @Override
    public String toString() {
        return "AsyncFile[" + path + (fd.isOpen() ? ", " + how.describe() : ", closed") + "]";
    }
}
