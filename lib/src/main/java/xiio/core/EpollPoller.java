package xiio.core;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import xiio.unix.Errno;
import xiio.unix.ErrnoException;
import xiio.unix.sys.Constants;
import xiio.unix.sys.EpollSyscalls;
import xiio.unix.sys.OwnedFd;

/** The default {@link Poller}: one level-triggered epoll instance per run. */
final class EpollPoller implements Poller {
    /** Benchmarks of other runtimes settle on batches of this order; more rarely helps. */
    private static final int MAX_EVENTS = 1024;
    /**
     * epoll_wait cannot be interrupted by {@link Thread#interrupt()}; blocking at most
     * this long bounds how late an interrupt of the driving thread is noticed.
     */
    private static final long MAX_BLOCK_NANOS = 250_000_000L;

    private final EpollSyscalls epoll = EpollSyscalls.get();
    private final Arena arena = Arena.ofShared();
    private final MemorySegment events = EpollSyscalls.allocateEvents(arena, MAX_EVENTS);
    private final MemorySegment ctlEvent = EpollSyscalls.allocateEvents(arena, 1);
    private final OwnedFd owned;
    private final int epfd;

    EpollPoller() throws IOException {
        try {
            epfd = epoll.create();
        } catch (IOException e) {
            arena.close();
            throw e;
        }
        owned = new OwnedFd(epfd, "epoll instance");
    }

    @Override
    public long nanoTime() {
        return System.nanoTime();
    }

    @Override
    public int watch(int fd, int oldMask, int newMask) {
        if (newMask == 0) {
            int r = ctl(Constants.EPOLL_CTL_DEL, fd, 0);
            return r == -Errno.ENOENT || r == -Errno.EBADF ? 0 : r;
        }
        int op = oldMask == 0 ? Constants.EPOLL_CTL_ADD : Constants.EPOLL_CTL_MOD;
        int r = ctl(op, fd, newMask);
        // Our cache can be stale: the fd was closed (the kernel dropped it) and its
        // number reused, or a dup kept an old registration alive. Retry the other op.
        if (r == -Errno.ENOENT && op == Constants.EPOLL_CTL_MOD) {
            r = ctl(Constants.EPOLL_CTL_ADD, fd, newMask);
        } else if (r == -Errno.EEXIST && op == Constants.EPOLL_CTL_ADD) {
            r = ctl(Constants.EPOLL_CTL_MOD, fd, newMask);
        }
        return r;
    }

    /**
     * epoll_ctl, retried on EINTR like every other call of the loop. Linux does not
     * list EINTR for epoll_ctl; should it come anyway, the call changed nothing, and
     * failing the waiter instead would surface an errno the caller cannot act on.
     */
    private int ctl(int op, int fd, int mask) {
        int r;
        do {
            r = epoll.ctl(epfd, op, fd, mask, ctlEvent);
        } while (r == -Errno.EINTR);
        return r;
    }

    @Override
    public int wait(long timeoutNanos, ReadySink sink) throws IOException {
        if (timeoutNanos < 0 || timeoutNanos > MAX_BLOCK_NANOS) timeoutNanos = MAX_BLOCK_NANOS;
        // round up, so a deadline 0.3 ms away does not become a busy 0 ms poll
        int millis = (int) ((timeoutNanos + 999_999) / 1_000_000);
        int n = epoll.wait(epfd, events, MAX_EVENTS, millis);
        if (n == -Errno.EINTR) return 0;
        if (n < 0) throw new ErrnoException("epoll_wait(epfd " + epfd + ")", -n);
        for (int i = 0; i < n; i++) {
            sink.ready(EpollSyscalls.fdAt(events, i), EpollSyscalls.eventsAt(events, i));
        }
        return n;
    }

    @Override
    public void close() {
        if (!owned.isOpen()) return;
        owned.close();
        arena.close();
    }
}
