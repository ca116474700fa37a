package xiio.file;

import java.lang.foreign.MemorySegment;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import xiio.unix.sys.FileSyscalls;

/**
 * A disk that hangs: the real syscall table, except that nothing is in the page cache
 * (preadv2 with RWF_NOWAIT answers EAGAIN) and every pread waits until
 * {@link #release()} (at most ten seconds, so a broken test cannot hang the suite).
 * Installed until {@link #close()}. Only AsyncFile's thread-pool path calls pread, so
 * nothing else in the JVM is slowed.
 */
final class SlowDisk extends FileSyscalls implements AutoCloseable {
    private final FileSyscalls previous;
    private final CountDownLatch released = new CountDownLatch(1);
    final AtomicInteger started = new AtomicInteger();
    final AtomicInteger finished = new AtomicInteger();

    private SlowDisk() {
        previous = FileSyscalls.install(this);
    }

    static SlowDisk install() {
        return new SlowDisk();
    }

    /** Nothing is cached on a slow disk: every read goes to pread. */
    @Override
    public long preadNoWait(int fd, MemorySegment buf, long len, long offset) {
        return -xiio.unix.Errno.EAGAIN;
    }

    @Override
    public long pread(int fd, MemorySegment buf, long len, long offset) {
        started.incrementAndGet();
        try {
            if (!released.await(10, TimeUnit.SECONDS)) throw new IllegalStateException("the slow disk was never released");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        try {
            return super.pread(fd, buf, len, offset);
        } finally {
            finished.incrementAndGet();
        }
    }

    /** From now on preads go through, the waiting ones too. */
    void release() {
        released.countDown();
    }

    @Override
    public void close() {
        release();
        FileSyscalls.install(previous);
    }
}
