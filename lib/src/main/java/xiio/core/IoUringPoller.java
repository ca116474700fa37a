package xiio.core;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.Arrays;
import xiio.core.strand.Backends;
import xiio.unix.Errno;
import xiio.unix.ErrnoException;
import xiio.unix.sys.Constants;
import xiio.unix.sys.UringLayout;
import xiio.unix.sys.UringRing;
import xiio.unix.sys.UringSyscalls;

/**
 * A {@link Poller} on one io_uring instance per run: readiness through poll requests,
 * submitted in the same io_uring_enter that waits.
 *
 * <p>Facts about io_uring readiness this poller is built around:
 * <ul>
 * <li>A multishot POLL_ADD is edge-triggered: it posts a completion per wake-up of the
 *     file, not while the file is ready. {@code await(readable(fd))} after a read that
 *     left data behind would then sleep. A one-shot poll looks at the file when it is
 *     armed, so we re-arm one for every fd it reported, at the next wait, in the same
 *     io_uring_enter: the meaning is epoll's level-triggered one, and the price is one
 *     submission and one completion entry per event, no extra syscall.
 * <li>Arming is a write to shared memory; its errors come later, as completions. The
 *     poller SPI promises EBADF and EPERM at once, so {@link #add} asks statx what the
 *     fd is (one syscall per registration, as epoll_ctl is): a regular file,
 *     directory or block device cannot be waited for (epoll says EPERM, and so do we).
 *     A poll that fails later reports the fd ready in both directions, so its waiters
 *     learn the errno from the call they make next.
 * <li>A cancelled poll still completes (-ECANCELED). Each poll's user data carries a
 *     generation beside the fd, so a completion that is not the fd's current poll is
 *     dropped. Our own POLL_REMOVEs skip their completion on success; one that found
 *     nothing (the poll had just completed) carries the top bit and is dropped too.
 * <li>A pending poll holds a reference to the file, so the kernel closes a socket only
 *     once the poll is gone: {@link #delete} (called before every close through the
 *     syscall table) submits its POLL_REMOVE at once, not at the next wait.
 * <li>IORING_SETUP_SINGLE_ISSUER with DEFER_TASKRUN, the kernel authors' advice for a
 *     ring used by one thread: completions are processed only when we enter, with no
 *     interrupting task work. Both require that one OS thread submits, so they are used
 *     only on the continuation backend (the loop stays on its thread), with R_DISABLED
 *     so that the thread that first waits becomes the issuer. The virtual-thread
 *     backend's loop moves between carriers, and a poll's task work runs on the carrier
 *     that submitted it: COOP_TASKRUN would leave it there unannounced until that
 *     carrier next enters the kernel (waits then woke late, a suite run showed), so
 *     that backend gets the default, which signals the carrier at once. A kernel that
 *     refuses the flags gets the next set down.
 * </ul>
 */
final class IoUringPoller implements Poller {
    /** Submission entries; completions get twice as many, and NODROP keeps any overflow. */
    static final int ENTRIES = 4096;
    /** As epoll's: bounds how late an interrupt of the driving thread is noticed. */
    private static final long MAX_BLOCK_NANOS = 250_000_000L;
    /** The user data of our POLL_REMOVEs and ASYNC_CANCELs: their completions mean nothing to us. */
    static final long INTERNAL = 1L << 63;
    private static final int SUBMIT_ALL = Constants.IORING_SETUP_SUBMIT_ALL;
    private static final int[] ISSUER_FLAGS = {
        Constants.IORING_SETUP_SINGLE_ISSUER | Constants.IORING_SETUP_DEFER_TASKRUN
                | Constants.IORING_SETUP_R_DISABLED | SUBMIT_ALL,
        SUBMIT_ALL,
        0,
    };

    private final UringRing ring;
    private boolean disabled;
    private final Arena arena = Arena.ofShared();
    private final MemorySegment statx = arena.allocate(UringLayout.STATX_SIZE, 8);
    private final MemorySegment emptyPath = arena.allocate(1);
    /** Per fd: what is watched (bit 0 read, bit 1 write), and the user data of its pending poll (0: none). */
    private byte[] watched = new byte[1024];
    private long[] pending = new long[1024];
    /** The fds whose poll completed and may need arming again at the next wait. */
    private int[] rearm = new int[256];
    private int rearmCount;
    private boolean[] queued = new boolean[1024];
    private int generation;
    private ReadySink sink;
    private int reported;
    private final UringRing.CompletionSink onCompletion = this::complete;
    private final UringOperations ops;

    private IoUringPoller(UringRing ring) {
        this.ring = ring;
        this.ops = new UringOperations(this, ring);
        this.disabled = (ring.flags & Constants.IORING_SETUP_R_DISABLED) != 0;
    }

    /** A new ring with the best flags this kernel takes, or the reason there is none. */
    static IoUringPoller open() throws IOException {
        return open(ENTRIES);
    }

    /** A ring of {@code entries} submission entries (tests use tiny ones to fill it). */
    static IoUringPoller open(int entries) throws IOException {
        boolean oneThread = !Backends.get().needsVirtualDriver() && !Thread.currentThread().isVirtual();
        ErrnoException last = null;
        for (int i = oneThread ? 0 : 1; i < ISSUER_FLAGS.length; i++) {
            UringRing ring;
            try {
                ring = new UringRing(entries, ISSUER_FLAGS[i]);
            } catch (ErrnoException e) {
                if (e.errno() != Errno.EINVAL) throw e; // ENOSYS, EPERM, ENOMEM: no io_uring for us
                last = e;
                continue;
            }
            int needed = Constants.IORING_FEAT_NODROP | Constants.IORING_FEAT_EXT_ARG | Constants.IORING_FEAT_CQE_SKIP;
            if (!ring.has(needed)) {
                ring.close();
                throw new IOException("io_uring lacks NODROP, EXT_ARG or CQE_SKIP (features 0x"
                        + Integer.toHexString(ring.features) + "): kernel 5.17 or later is needed");
            }
            return new IoUringPoller(ring);
        }
        throw last;
    }

    /** The setup flags the kernel accepted (for tests and the fallback message). */
    int setupFlags() {
        return ring.flags;
    }

    @Override
    public RingOps ringOps() {
        return ops;
    }

    @Override
    public boolean awaitsKernel() {
        return ops.awaitsKernel();
    }

    @Override
    public long nanoTime() {
        return System.nanoTime();
    }

    @Override
    public int add(int fd, Readiness interest) {
        int type = UringSyscalls.get().fileType(fd, statx, emptyPath);
        if (type < 0) return type;
        if (type == Constants.S_IFREG || type == Constants.S_IFDIR || type == Constants.S_IFBLK) return -Errno.EPERM;
        grow(fd);
        return watch(fd, interest);
    }

    @Override
    public int modify(int fd, Readiness interest) {
        if (fd >= watched.length || watched[fd] == 0) return add(fd, interest);
        return watch(fd, interest);
    }

    private int watch(int fd, Readiness interest) {
        byte bits = bits(interest);
        if (watched[fd] == bits && pending[fd] != 0) return 0;
        watched[fd] = bits;
        if (pending[fd] != 0) {
            int r = cancel(fd); // a poll for other events: replace it at the next wait
            if (r < 0) return r;
        }
        queueRearm(fd);
        return 0;
    }

    @Override
    public void delete(int fd) {
        if (fd >= watched.length) return;
        watched[fd] = 0;
        if (pending[fd] != 0 && cancel(fd) == 0) submit(); // release the file before its close
    }

    private static byte bits(Readiness r) {
        return (byte) ((r.readable() ? 1 : 0) | (r.writable() ? 2 : 0));
    }

    private int cancel(int fd) {
        long target = pending[fd];
        pending[fd] = 0;
        long at = sqe();
        if (at < 0) return (int) at;
        ring.sqe(at, Constants.IORING_OP_POLL_REMOVE, Constants.IOSQE_CQE_SKIP_SUCCESS, -1, target, 0, 0, INTERNAL);
        return 0;
    }

    /** Whether {@code fd} is watched for reading (a receive queue reports it readable then). */
    boolean watchesRead(int fd) {
        return fd < watched.length && (watched[fd] & 1) != 0;
    }

    /** {@code fd}'s receive queue changed whether it receives: poll it again for what it needs now. */
    void refresh(int fd) {
        if (fd >= watched.length || watched[fd] == 0) return;
        if (pending[fd] != 0) cancel(fd);
        queueRearm(fd);
    }

    private void arm(int fd) throws IOException {
        // a socket read through a receive queue is readable when its queue says so: poll only for the rest
        int events = ((watched[fd] & 1) != 0 && !ops.receives(fd) ? Constants.POLLIN : 0)
                | ((watched[fd] & 2) != 0 ? Constants.POLLOUT : 0);
        if (events == 0) return;
        long at = sqe();
        if (at < 0) throw new ErrnoException("io_uring_enter(fd " + ring.fd + ") to make room for a poll", (int) -at);
        // 30 bits: bit 62 tags operations (UringOperations.TAG), bit 63 our cancellations
        generation = (generation + 1) & 0x3fffffff;
        long userData = ((long) (generation | 1) << 32) | fd;
        pending[fd] = userData;
        ring.sqe(at, Constants.IORING_OP_POLL_ADD, (byte) 0, fd, 0, 0, events, userData);
    }

    /** A free submission entry for an operation (see {@link #sqe}). */
    long freeSqe() {
        return sqe();
    }

    /** Submits what is queued now, without waiting (a cancellation that must reach the kernel before a close). */
    void submitNow() {
        submit();
    }

    /** A free submission entry, submitting what is queued when the ring is full; or {@code -errno}. */
    private long sqe() {
        long at = ring.nextSqe();
        if (at >= 0) return at;
        int r = submit();
        if (r < 0) return r;
        at = ring.nextSqe();
        return at >= 0 ? at : -Errno.EBUSY;
    }

    private int submit() {
        if (disabled) enable();
        int r;
        do {
            r = ring.enter(false, 0, -1);
        } while (r == -Errno.EINTR);
        return r;
    }

    /** The first thread to submit becomes the ring's one issuer (IORING_SETUP_R_DISABLED). */
    private void enable() {
        int r = ring.enable();
        if (r < 0) throw new IllegalStateException(new ErrnoException("io_uring_register(ENABLE_RINGS)", -r));
        disabled = false;
    }

    private void queueRearm(int fd) {
        if (queued[fd]) return;
        queued[fd] = true;
        if (rearmCount == rearm.length) rearm = Arrays.copyOf(rearm, rearmCount * 2);
        rearm[rearmCount++] = fd;
    }

    private void grow(int fd) {
        if (fd < watched.length) return;
        int n = Math.max(fd + 1, watched.length * 2);
        watched = Arrays.copyOf(watched, n);
        pending = Arrays.copyOf(pending, n);
        queued = Arrays.copyOf(queued, n);
    }

    @Override
    public int wait(long timeoutNanos, ReadySink sink) throws IOException {
        for (int i = 0; i < rearmCount; i++) {
            int fd = rearm[i];
            queued[fd] = false;
            if (watched[fd] != 0 && pending[fd] == 0) arm(fd);
        }
        rearmCount = 0;
        if (ops.beforeWait()) timeoutNanos = 0; // a watched receive queue is readable already
        if (disabled) enable();
        if (timeoutNanos < 0 || timeoutNanos > MAX_BLOCK_NANOS) timeoutNanos = MAX_BLOCK_NANOS;
        int r = timeoutNanos == 0 ? ring.enter(true, 0, -1) : ring.enter(true, 1, timeoutNanos);
        if (r < 0 && r != -Errno.EINTR && r != -Errno.ETIME && r != -Errno.EBUSY) {
            throw new ErrnoException("io_uring_enter(fd " + ring.fd + ")", -r);
        }
        this.sink = sink;
        reported = 0;
        try {
            ring.reap(onCompletion);
            // NODROP kept what did not fit; an enter with GETEVENTS moves it in now that there is room
            while (ring.overflowed()) {
                ring.enter(true, 0, -1);
                if (ring.reap(onCompletion) == 0) break;
            }
            reported += ops.report(sink);
        } finally {
            this.sink = null;
        }
        return reported;
    }

    private void complete(long userData, int res, int flags) {
        if ((userData & INTERNAL) != 0) return;
        if ((userData & UringOperations.TAG) != 0) {
            ops.complete(userData, res, flags);
            return;
        }
        int fd = (int) userData;
        if (fd >= pending.length || pending[fd] != userData) return; // cancelled, or replaced
        pending[fd] = 0;
        if (watched[fd] == 0) return;
        queueRearm(fd);
        Readiness ready = res < 0 ? Readiness.BOTH : readiness(res);
        if (ready.isEmpty() || sink == null) return;
        reported++;
        sink.ready(fd, ready);
    }

    private static Readiness readiness(int events) {
        if ((events & (Constants.POLLERR | Constants.POLLHUP)) != 0) return Readiness.BOTH;
        return Readiness.of((events & (Constants.POLLIN | Constants.POLLPRI | Constants.POLLRDHUP)) != 0,
                (events & Constants.POLLOUT) != 0);
    }

    /**
     * Closes the ring once the kernel has let go of our memory: receive queues keep
     * what they hold for a later run, what is in flight is cancelled, and the
     * completions are awaited (at most about a second) before the buffers are freed,
     * since a receive in flight writes into the buffer it picked.
     */
    @Override
    public void close() {
        ops.closeQueues();
        for (int tries = 0; ops.inFlight() && tries < 100; tries++) {
            if (disabled) break; // never entered: nothing was submitted
            ring.enter(true, 1, 10_000_000L);
            ring.reap(onCompletion);
        }
        if (!ops.inFlight()) ops.freeBuffers(); // else leave them to the process rather than to the kernel's writes
        ring.close();
        arena.close();
    }
}
