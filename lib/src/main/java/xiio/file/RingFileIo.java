package xiio.file;

import java.io.IOException;
import java.lang.foreign.MemorySegment;
import xiio.core.RingOp;
import xiio.core.RingOps;
import xiio.unix.sys.Constants;

/**
 * File calls as operations in the run's io_uring: IORING_OP_READ and IORING_OP_WRITE at
 * an offset, IORING_OP_FSYNC. No thread is involved; the kernel completes a read from
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
