package xiio.file;

import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongConsumer;
import java.util.function.LongSupplier;
import xiio.thread.ThreadPool;
import xiio.unix.Errno;
import xiio.unix.sys.FileSyscalls;

/**
 * File calls on {@link ThreadPool} workers: where the run has no ring (epoll, the
 * virtual-thread backend, a virtual clock), or a pool was asked for. The loop only
 * waits for the worker's eventfd, so a slow disk stalls the coroutine that asked, not
 * the loop; a virtual clock never jumps past such a wait.
 *
 * <p>A call whose coroutine is cancelled while it runs cannot be stopped (a pread in
 * the kernel ignores interrupts): it finishes on its worker, its result is dropped,
 * and its fd reference is released there. A write cancelled that way may therefore
 * still land, fully or in part.
 */
final class PoolFileIo implements FileIo {
    private final ThreadPool pool;
    private final AtomicLong calls = new AtomicLong();

    PoolFileIo(ThreadPool pool) {
        this.pool = pool;
    }

    ThreadPool pool() {
        return pool;
    }

    /** How many calls this pool has been handed (tests check the ring path hands it none). */
    long calls() {
        return calls.get();
    }

    @Override
    public long read(SharedFd fd, MemorySegment buf, int len, long position) throws IOException {
        int n = fd.fd();
        return run(fd, () -> retryEintr(() -> FileSyscalls.get().pread(n, buf, len, position)));
    }

    @Override
    public long write(SharedFd fd, MemorySegment buf, int len, long position) throws IOException {
        int n = fd.fd();
        return run(fd, () -> retryEintr(() -> position == APPEND
                ? FileSyscalls.get().writeBlocking(n, buf, len)
                : FileSyscalls.get().pwrite(n, buf, len, position)));
    }

    @Override
    public long sync(SharedFd fd, boolean dataOnly) throws IOException {
        int n = fd.fd();
        return run(fd, () -> retryEintr(() -> FileSyscalls.get().fsync(n, dataOnly)));
    }

    /** Any other call on the fd (ftruncate, statx), with the same reference rules. */
    long call(SharedFd fd, LongSupplier syscall) throws IOException {
        return run(fd, syscall);
    }

    /** A call on no file yet (open): {@code orphan} receives its result if the caller gives up. */
    long call(LongSupplier syscall, LongConsumer orphan) throws IOException {
        calls.incrementAndGet();
        return BlockingCall.run(pool, syscall, orphan);
    }

    private long run(SharedFd fd, LongSupplier syscall) throws IOException {
        calls.incrementAndGet();
        LongConsumer orphan = ignored -> fd.release();
        long r = BlockingCall.run(pool, syscall, orphan);
        fd.release();
        return r;
    }

    /** A signal may interrupt a blocking call on a slow device (NFS); the call is simply made again. */
    static long retryEintr(LongSupplier syscall) {
        long r;
        do {
            r = syscall.getAsLong();
        } while (r == -Errno.EINTR);
        return r;
    }

    @Override
    public String mechanism() {
        return "thread pool";
    }
}
