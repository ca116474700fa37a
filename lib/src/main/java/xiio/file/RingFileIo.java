package xiio.file;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import xiio.core.RingOp;
import xiio.core.RingOps;
import xiio.unix.sys.Constants;
import xiio.unix.sys.FileSyscalls;
import xiio.unix.sys.UringLayout;

/**
 * File calls as operations in the run's io_uring: IORING_OP_READ and IORING_OP_WRITE at
 * an offset, FSYNC, and OPENAT, STATX and FTRUNCATE. No thread is involved; the kernel completes a read from
 * the page cache during the loop's next io_uring_enter, and one that needs the disk
 * later, from its own workers.
 *
 * <p>A cancelled operation is cancelled in the kernel (ASYNC_CANCEL) and waited for,
 * shielded ({@link RingOp#await()}), before the cancellation reaches the caller, so the
 * buffer and the fd reference are free when it does. A read that completed anyway is
 * dropped: the caller sees the cancellation, as on the thread pool. A write may have
 * landed. Should the kernel hold on past RingOp's limit, the fd reference is kept (the
 * fd then stays open): closing it could let the number be reused under the operation.
 */
final class RingFileIo implements FileIo {
    private final RingOps ring;

    RingFileIo(RingOps ring) {
        this.ring = ring;
    }

    /** Whether this carries the calls of the ring {@code current}. */
    boolean serves(RingOps current) {
        return ring == current;
    }

    @Override
    public long read(SharedFd fd, MemorySegment buf, int len, long position) throws IOException {
        return run(fd, Constants.IORING_OP_READ, buf.asSlice(0, len), position, 0);
    }

    /** With {@link #APPEND}, the offset -1: "the file position, like write(2)", which O_APPEND puts at the end. */
    @Override
    public long write(SharedFd fd, MemorySegment buf, int len, long position) throws IOException {
        return run(fd, Constants.IORING_OP_WRITE, buf.asSlice(0, len), position, 0);
    }

    @Override
    public long sync(SharedFd fd, boolean dataOnly) throws IOException {
        return run(fd, Constants.IORING_OP_FSYNC, MemorySegment.NULL, 0, dataOnly ? Constants.IORING_FSYNC_DATASYNC : 0);
    }

    /**
     * openat(AT_FDCWD, path, flags, mode) as a ring operation: the new fd, or {@code -errno}.
     * The entry's {@code len} is the mode, and RingOps takes it from the buffer's size, so
     * the path is passed as a slice of {@code mode} bytes of a segment that holds the whole
     * NUL-terminated string (the kernel reads the string, whatever {@code len} says). An
     * open whose caller was cancelled after the kernel opened the file closes that fd.
     */
    long open(String path, int flags, int mode) throws IOException {
        byte[] name = path.getBytes(java.nio.charset.StandardCharsets.UTF_8);
        MemorySegment whole = Arena.ofAuto().allocate(Math.max(name.length + 1, mode), 1);
        MemorySegment.copy(name, 0, whole, ValueLayout.JAVA_BYTE, 0, name.length);
        RingOp op = ring.submit(Constants.IORING_OP_OPENAT, Constants.AT_FDCWD, whole.asSlice(0, mode), 0, flags, true);
        try {
            return op.await();
        } catch (Throwable cancelled) {
            if (op.isDone() && op.result() >= 0) FileSyscalls.get().close(op.result()); // opened anyway: not ours to keep
            throw cancelled;
        }
    }

    /**
     * statx(fd, "", AT_EMPTY_PATH, STATX_TYPE | STATX_SIZE) as a ring operation. As for
     * open, {@code len} is the mask: the buffer is a slice of that many bytes whose first
     * is the empty path's NUL, cut from one segment that also holds the struct statx
     * (passed in {@code addr2}, the entry's {@code off}), so the operation keeps both alive.
     *
     * @return {@code {type, size}}, or {@code {-errno, 0}}
     */
    long[] typeAndSize(SharedFd fd) throws IOException {
        int mask = Constants.STATX_TYPE | Constants.STATX_SIZE;
        long statxAt = (mask + 7) & ~7L;
        MemorySegment whole = Arena.ofAuto().allocate(statxAt + UringLayout.STATX_SIZE, 8);
        long r = run(fd, Constants.IORING_OP_STATX, whole.asSlice(0, mask), whole.address() + statxAt,
                Constants.AT_EMPTY_PATH);
        if (r < 0) return new long[] {r, 0};
        int mode = whole.get(ValueLayout.JAVA_SHORT_UNALIGNED, statxAt + UringLayout.STATX_MODE);
        return new long[] {mode & Constants.S_IFMT, whole.get(ValueLayout.JAVA_LONG, statxAt + Constants.STATX_SIZE_OFFSET)};
    }

    /** ftruncate as a ring operation (Linux 6.9): 0 or {@code -errno}; EINVAL from an older kernel. */
    long truncate(SharedFd fd, long length) throws IOException {
        return run(fd, Constants.IORING_OP_FTRUNCATE, MemorySegment.NULL, length, 0);
    }

    private long run(SharedFd fd, byte opcode, MemorySegment buf, long offset, int flags) throws IOException {
        RingOp op;
        try {
            op = ring.submit(opcode, fd.fd(), buf, offset, flags, true);
        } catch (Throwable t) {
            fd.release();
            throw t;
        }
        try {
            return op.await();
        } finally {
            if (op.isDone()) fd.release();
        }
    }

    @Override
    public String mechanism() {
        return "io_uring";
    }
}
