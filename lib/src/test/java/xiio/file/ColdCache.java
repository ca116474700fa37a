package xiio.file;

import java.lang.foreign.MemorySegment;
import java.util.concurrent.atomic.AtomicInteger;
import xiio.unix.Errno;
import xiio.unix.sys.FileSyscalls;

/**
 * A page cache that never holds what is asked: the real syscall table, except that
 * preadv2 with RWF_NOWAIT always answers EAGAIN, so every read takes the ring or the
 * pool (a test's freshly written file is otherwise always cached). Installed until
 * {@link #close()}.
 */
class ColdCache extends FileSyscalls implements AutoCloseable {
    private final FileSyscalls previous;
    final AtomicInteger misses = new AtomicInteger();

    ColdCache() {
        previous = FileSyscalls.install(this);
    }

    @Override
    public long preadNoWait(int fd, MemorySegment buf, long len, long offset) {
        misses.incrementAndGet();
        return -Errno.EAGAIN;
    }

    @Override
    public void close() {
        FileSyscalls.install(previous);
    }
}
