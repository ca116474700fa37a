package xiio.core;

import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.util.Arrays;
import xiio.unix.Errno;
import xiio.unix.ErrnoException;
import xiio.unix.sys.Constants;
import xiio.unix.sys.UringBufferRing;
import xiio.unix.sys.UringRing;

/**
 * The {@link RingOps} of an {@link IoUringPoller}: which completion belongs to which
 * operation or receive queue, the provided buffers, and which queues must be re-armed.
 *
 * <p>User data of an operation is {@link #TAG} | generation &lt;&lt; 32 | slot. A slot is
 * reused only after its last completion (one without {@code IORING_CQE_F_MORE}), and
 * its generation moves on then, so a stale completion can never reach a newer owner.
 * Polls' user data never has the tag bit, cancellations' ({@link IoUringPoller#INTERNAL})
 * the bit above it.
 */
final class UringOperations implements RingOps {
    static final long TAG = 1L << 62;
    /** Provided buffers: 1024 of 4 KiB, allocated at the first receive of the run. */
    static final int BUFFERS = 1024;
    static final int BUFFER_SIZE = 4096;
    private static final short GROUP = 0;

    private final IoUringPoller poller;
    private final UringRing ring;
    UringBufferRing buffers;
    private boolean noBuffers;
    private Object[] handlers = new Object[64];
    private int[] generations = new int[64];
    private int[] free = new int[64];
    private int freeCount;
    private int used;
    /** Pending operations the kernel answers by itself (what holds a virtual clock back). */
    private int answeredByKernel;
    private int completed;
    private RingReceiver[] receivers = new RingReceiver[1024];
    /** Receive queues not receiving (stopped at the limit, or out of buffers): re-armed at a wait when they may. */
    private RingReceiver[] idle = new RingReceiver[16];
    private int idleCount;
    /** Receive queues with something queued: readable, reported at every wait while watched. */
    private RingReceiver[] ready = new RingReceiver[64];
    private int readyCount;

    UringOperations(IoUringPoller poller, UringRing ring) {
        this.poller = poller;
        this.ring = ring;
    }

    @Override
    public RingOp submit(byte opcode, int fd, MemorySegment buffer, long offset, int opFlags, boolean byKernel)
            throws IOException {
        if (!buffer.isNative()) {
            throw new IllegalArgumentException("the buffer of a ring operation must be native memory (a heap array"
                    + " may move while the kernel uses it): copy it into an Arena's segment");
        }
        if (buffer.byteSize() > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("a ring operation moves at most 2 GiB, got " + buffer.byteSize() + " bytes");
        }
        long at = poller.freeSqe();
        if (at < 0) throw new ErrnoException("io_uring_enter(fd " + ring.fd + ") to make room for an operation", (int) -at);
        int slot = slot();
        long userData = userData(slot);
        RingOp op = new RingOp(this, userData, buffer, byKernel);
        handlers[slot] = op;
        if (byKernel) answeredByKernel++;
        ring.sqe(at, opcode, (byte) 0, fd, buffer.address(), (int) buffer.byteSize(), opFlags, userData);
        if (offset != 0) ring.sqeOffset(at, offset);
        return op;
    }

    @Override
    public RingReceiver receiver(int fd) {
        if (noBuffers) return null;
        if (buffers == null) {
            try {
                buffers = new UringBufferRing(ring, GROUP, BUFFERS, BUFFER_SIZE);
            } catch (ErrnoException e) {
                noBuffers = true; // a kernel before 5.19: sockets read through readiness
                return null;
            }
        }
        if (fd >= receivers.length) receivers = Arrays.copyOf(receivers, Math.max(fd + 1, receivers.length * 2));
        RingReceiver r = receivers[fd];
        if (r != null && !r.closed) return r;
        r = new RingReceiver(this, fd);
        receivers[fd] = r;
        idle(r); // armed at the next wait, with the rest of its submissions
        return r;
    }

    /** Submits ASYNC_CANCEL for the request with {@code userData}; its completion is dropped. */
    void cancel(long userData) {
        long at = poller.freeSqe();
        if (at < 0) return; // the ring is broken; the run's next wait reports it
        ring.sqe(at, Constants.IORING_OP_ASYNC_CANCEL, Constants.IOSQE_CQE_SKIP_SUCCESS, -1, userData, 0, 0,
                IoUringPoller.INTERNAL);
    }

    /** {@code r} is not receiving: arm it at a wait once it may. */
    void idle(RingReceiver r) {
        if (r.inIdleList || r.closed) return;
        r.inIdleList = true;
        if (idleCount == idle.length) idle = Arrays.copyOf(idle, idleCount * 2);
        idle[idleCount++] = r;
    }

    private void markReady(RingReceiver r) {
        if (r.inReadyList) return;
        r.inReadyList = true;
        if (readyCount == ready.length) ready = Arrays.copyOf(ready, readyCount * 2);
        ready[readyCount++] = r;
    }

    /** The owning stream closes: stop receiving now (the cancel is submitted at once) and free the queue. */
    void abandon(RingReceiver r) {
        if (r.closed) return;
        r.closed = true;
        if (r.userData != 0 && !r.cancelling) {
            r.cancelling = true;
            cancel(r.userData);
            poller.submitNow();
        }
        r.drain(false);
        if (receivers[r.fd] == r) receivers[r.fd] = null;
    }

    /** The fd is being closed by other means than its stream: forget its queue. */
    void closing(int fd) {
        if (fd < receivers.length && receivers[fd] != null) abandon(receivers[fd]);
    }

    /** Whether {@code fd} is read through a receive queue now (so a poll need not watch it for reading). */
    boolean receives(int fd) {
        if (fd >= receivers.length) return false;
        RingReceiver r = receivers[fd];
        return r != null && (r.userData != 0 || r.hasNews());
    }

    /** Whether an operation the kernel answers by itself is pending. */
    boolean awaitsKernel() {
        return answeredByKernel > 0;
    }

    /** Before a wait: arms the receive queues that may receive again. Returns whether one is readable and watched. */
    boolean beforeWait() {
        int kept = 0;
        for (int i = 0; i < idleCount; i++) {
            RingReceiver r = idle[i];
            if (r.closed || r.userData != 0 || r.ended) {
                r.inIdleList = false;
            } else if (r.queued() <= RingReceiver.LIMIT / 2 && buffers.available() > 0 && arm(r)) {
                r.inIdleList = false;
            } else {
                idle[kept++] = r;
            }
        }
        Arrays.fill(idle, kept, idleCount, null);
        idleCount = kept;
        for (int i = 0; i < readyCount; i++) {
            if (poller.watchesRead(ready[i].fd) && ready[i].hasNews() && !ready[i].closed) return true;
        }
        return false;
    }

    private boolean arm(RingReceiver r) {
        long at = poller.freeSqe();
        if (at < 0) return false;
        int slot = slot();
        r.userData = userData(slot);
        handlers[slot] = r;
        ring.sqe(at, Constants.IORING_OP_RECV, Constants.IOSQE_BUFFER_SELECT, r.fd, 0, 0, 0, r.userData);
        ring.sqeIoprio(at, Constants.IORING_RECV_MULTISHOT);
        ring.sqeBufGroup(at, GROUP);
        return true;
    }

    /** A completion with the tag bit. */
    void complete(long userData, int res, int flags) {
        int slot = (int) userData;
        if (slot < 0 || slot >= used || handlers[slot] == null || userData(slot) != userData) return;
        Object h = handlers[slot];
        boolean last = (flags & Constants.IORING_CQE_F_MORE) == 0;
        if (last) release(slot);
        if (h instanceof RingOp op) {
            if (op.answeredByKernel) answeredByKernel--;
            completed++;
            op.complete(res, flags);
        } else {
            received((RingReceiver) h, res, flags, last);
        }
    }

    private void received(RingReceiver r, int res, int flags, boolean last) {
        if ((flags & Constants.IORING_CQE_F_BUFFER) != 0) {
            int bid = flags >>> Constants.IORING_CQE_BUFFER_SHIFT;
            buffers.taken();
            if (res > 0 && r.detached) {
                r.push(bid, res); // in flight when the run ended: kept for a later run's read
                r.drain(true);
            } else if (r.closed || res <= 0) {
                buffers.recycle(bid);
            } else {
                r.push(bid, res);
                if (r.queued() >= RingReceiver.LIMIT && !last && !r.cancelling) {
                    r.cancelling = true; // the reader is behind: leave the rest in the socket
                    cancel(r.userData);
                }
            }
        }
        if (last) {
            r.ended();
            if (r.closed) return;
            if (res == 0) r.ended = true;
            else if (res < 0 && res != -Errno.ENOBUFS && res != -Errno.ECANCELED) r.errno = -res;
            if (!r.ended && r.errno == 0) {
                idle(r);
                if (!r.hasNews()) poller.refresh(r.fd); // out of buffers: readiness must watch the socket again
            }
        }
        if (r.hasNews()) {
            completed++;
            markReady(r);
        }
    }

    /** After reaping: reports every readable queue whose fd is watched, level-triggered. */
    int report(Poller.ReadySink sink) {
        int n = completed;
        completed = 0;
        int kept = 0;
        for (int i = 0; i < readyCount; i++) {
            RingReceiver r = ready[i];
            if (r.closed && !r.hasNews() || !r.hasNews()) {
                r.inReadyList = false;
                continue;
            }
            ready[kept++] = r;
            if (sink != null && !r.closed && poller.watchesRead(r.fd)) {
                sink.ready(r.fd, Readiness.READ);
                n++;
            }
        }
        Arrays.fill(ready, kept, readyCount, null);
        readyCount = kept;
        return n;
    }

    private int slot() {
        if (freeCount > 0) return free[--freeCount];
        if (used == handlers.length) {
            handlers = Arrays.copyOf(handlers, used * 2);
            generations = Arrays.copyOf(generations, used * 2);
            free = Arrays.copyOf(free, used * 2);
        }
        return used++;
    }

    private void release(int slot) {
        handlers[slot] = null;
        generations[slot] = (generations[slot] + 1) & 0x3fffffff;
        free[freeCount++] = slot;
    }

    private long userData(int slot) {
        return TAG | (long) generations[slot] << 32 | slot;
    }

    /** Whether anything is still in flight (the ring closes once it is not). */
    boolean inFlight() {
        return freeCount != used;
    }

    /**
     * The run ends: queued bytes move to their queues' leftovers (a later run's read
     * returns them first), everything in flight is cancelled, and the buffers are
     * freed once the kernel has let go of them (the caller drains the ring).
     */
    void closeQueues() {
        for (RingReceiver r : receivers) {
            if (r == null || r.closed) continue;
            r.closed = true;
            r.detached = true;
            r.drain(true);
        }
        Arrays.fill(receivers, null);
        if (inFlight()) {
            long at = poller.freeSqe();
            if (at >= 0) {
                ring.sqe(at, Constants.IORING_OP_ASYNC_CANCEL, Constants.IOSQE_CQE_SKIP_SUCCESS, -1, 0, 0,
                        Constants.IORING_ASYNC_CANCEL_ANY | Constants.IORING_ASYNC_CANCEL_ALL, IoUringPoller.INTERNAL);
            }
        }
    }

    /** After the drain: frees the buffers. */
    void freeBuffers() {
        if (buffers != null) buffers.close();
    }
}
