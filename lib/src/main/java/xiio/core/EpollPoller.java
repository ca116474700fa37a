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
    public int add(int fd, Readiness interest) {
        int r = ctl(Constants.EPOLL_CTL_ADD, fd, mask(interest));
        // Our cache can be stale: a dup kept an old registration of this number alive.
        return r == -Errno.EEXIST ? ctl(Constants.EPOLL_CTL_MOD, fd, mask(interest)) : r;
    }

    @Override
    public int modify(int fd, Readiness interest) {
        int r = ctl(Constants.EPOLL_CTL_MOD, fd, mask(interest));
        // Our cache can be stale: the fd was closed (the kernel dropped it) and its number reused.
        return r == -Errno.ENOENT ? ctl(Constants.EPOLL_CTL_ADD, fd, mask(interest)) : r;
    }

    @Override
    public void delete(int fd) {
        ctl(Constants.EPOLL_CTL_DEL, fd, 0); // ENOENT, EBADF: not watched any more, as asked
    }

    private static int mask(Readiness interest) {
        return (interest.readable() ? Constants.EPOLLIN : 0) | (interest.writable() ? Constants.EPOLLOUT : 0);
    }

    /**
     * What an event mask means to waiters. EPOLLERR and EPOLLHUP come even for an empty
     * interest and wake both directions; EPOLLRDHUP and EPOLLPRI are news for readers.
     */
    private static Readiness readiness(int events) {
        if ((events & (Constants.EPOLLERR | Constants.EPOLLHUP)) != 0) return Readiness.BOTH;
        return Readiness.of((events & (Constants.EPOLLIN | Constants.EPOLLPRI | Constants.EPOLLRDHUP)) != 0,
                (events & Constants.EPOLLOUT) != 0);
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
            Readiness ready = readiness(EpollSyscalls.eventsAt(events, i));
            if (!ready.isEmpty()) sink.ready(EpollSyscalls.fdAt(events, i), ready);
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
