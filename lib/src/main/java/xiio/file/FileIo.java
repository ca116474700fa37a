package xiio.file;

import java.io.IOException;
import java.lang.foreign.MemorySegment;

/**
 * How a file's data moves: on a worker thread ({@link PoolFileIo}) or as an operation
 * in the run's io_uring. Results follow the syscall table: bytes moved (0 at end of
 * file for a read), or {@code -errno}.
 *
 * <p>Each method is handed one reference of {@code fd} ({@link SharedFd#acquire}) and
 * releases it exactly once, however it ends. When a method returns, the kernel is done
 * with {@code buf}; when it throws (its coroutine was cancelled), {@code buf} may still
 * be written by a worker and must not be reused.
 */
interface FileIo {
    /** Where {@link #write} appends instead of writing at a position. */
    long APPEND = -1;

    /** pread of up to {@code len} bytes at {@code position} into {@code buf}. */
    long read(SharedFd fd, MemorySegment buf, int len, long position) throws IOException;

    /** pwrite of up to {@code len} bytes from {@code buf} at {@code position}, or a write(2) at the end for {@link #APPEND}. */
    long write(SharedFd fd, MemorySegment buf, int len, long position) throws IOException;

    /** fsync, or fdatasync when {@code dataOnly}: 0 or {@code -errno}. */
    long sync(SharedFd fd, boolean dataOnly) throws IOException;

    /** What carries the calls, for messages and tests: {@code "io_uring"} or the pool's name. */
    String mechanism();
}
