package xiio.unix.sys;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static java.lang.foreign.ValueLayout.JAVA_SHORT;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.VarHandle;
import xiio.unix.ErrnoException;

/**
 * One io_uring instance: its fd, the mapped submission and completion rings, and the
 * entries in between. Not thread-safe: one ring per loop, as the kernel authors
 * recommend.
 *
 * <p>Facts about the rings this class is built around:
 * <ul>
 * <li>We own the SQ tail and the CQ head; the kernel owns the SQ head and the CQ tail.
 *     Reading the other side's index is an acquire, publishing ours a release, so an
 *     entry is fully written before the kernel can see it, and fully read before the
 *     kernel may overwrite it (liburing's smp_load_acquire / smp_store_release).
 * <li>The SQ array indirection is filled once with the identity: entry i is always at
 *     slot i, and the array never needs touching again.
 * <li>How many entries are still unsubmitted is tail minus the kernel's head, not what
 *     io_uring_enter returned: an enter interrupted by a signal may have consumed some.
 * <li>With IORING_FEAT_NODROP a full completion queue does not lose completions: they
 *     wait in the kernel, IORING_SQ_CQ_OVERFLOW says so, and the next enter with
 *     GETEVENTS moves them into the ring once we made room.
 * </ul>
 */
public final class UringRing implements AutoCloseable {
    private static final VarHandle INT = JAVA_INT.varHandle();

    private final UringSyscalls sys = UringSyscalls.get();
    private final Arena arena = Arena.ofShared();
    private final OwnedFd owned;
    /** The ring's fd. */
    public final int fd;
    /** The setup flags the kernel accepted, and the features it has. */
    public final int flags;
    public final int features;
    private final MemorySegment sqRing;
    private final MemorySegment cqRing;
    private final MemorySegment sqes;
    private final long sqHead, sqTail, sqFlags, cqHead, cqTail, cqes;
    private final int sqMask, sqEntries, cqMask;
    private int localSqTail;
    private int localCqHead;
    private final MemorySegment waitArg;
    private final MemorySegment timespec;

    /**
     * A new ring of {@code entries} submission entries (a power of two) and twice that
     * many completions, with {@code setupFlags}.
     *
     * @throws ErrnoException from io_uring_setup or mmap (ENOSYS, EPERM, EINVAL, ENOMEM)
     */
    public UringRing(int entries, int setupFlags) throws ErrnoException {
        MemorySegment params = arena.allocate(UringLayout.PARAMS_SIZE, 8);
        params.set(JAVA_INT, UringLayout.PARAMS_FLAGS, setupFlags | Constants.IORING_SETUP_CQSIZE);
        params.set(JAVA_INT, UringLayout.PARAMS_CQ_ENTRIES, entries * 2);
        int r = sys.setup(entries, params);
        if (r < 0) {
            arena.close();
            throw new ErrnoException("io_uring_setup(" + entries + " entries, flags 0x"
                    + Integer.toHexString(setupFlags) + ")", -r);
        }
        fd = r;
        owned = new OwnedFd(fd, "io_uring instance");
        flags = setupFlags;
        features = params.get(JAVA_INT, UringLayout.PARAMS_FEATURES);
        long sq = UringLayout.PARAMS_SQ_OFF, cq = UringLayout.PARAMS_CQ_OFF;
        sqEntries = params.get(JAVA_INT, UringLayout.PARAMS_SQ_ENTRIES);
        int cqEntries = params.get(JAVA_INT, UringLayout.PARAMS_CQ_ENTRIES);
        long sqArray = params.get(JAVA_INT, sq + UringLayout.SQ_ARRAY);
        long sqSize = sqArray + 4L * sqEntries;
        cqes = params.get(JAVA_INT, cq + UringLayout.CQ_CQES);
        long cqSize = cqes + UringLayout.CQE_SIZE * cqEntries;
        int[] errno = new int[1];
        MemorySegment sqMap = null, cqMap = null, sqeMap = null;
        try {
            if ((features & Constants.IORING_FEAT_SINGLE_MMAP) != 0) {
                sqMap = map(Math.max(sqSize, cqSize), Constants.IORING_OFF_SQ_RING, errno);
                cqMap = sqMap;
            } else {
                sqMap = map(sqSize, Constants.IORING_OFF_SQ_RING, errno);
                cqMap = map(cqSize, Constants.IORING_OFF_CQ_RING, errno);
            }
            sqeMap = map(UringLayout.SQE_SIZE * sqEntries, Constants.IORING_OFF_SQES, errno);
        } catch (ErrnoException e) {
            if (sqMap != null) sys.munmap(sqMap);
            if (cqMap != null && cqMap != sqMap) sys.munmap(cqMap);
            owned.close();
            arena.close();
            throw e;
        }
        sqRing = sqMap;
        cqRing = cqMap;
        sqes = sqeMap;
        sqHead = params.get(JAVA_INT, sq + UringLayout.SQ_HEAD);
        sqTail = params.get(JAVA_INT, sq + UringLayout.SQ_TAIL);
        sqFlags = params.get(JAVA_INT, sq + UringLayout.SQ_FLAGS);
        sqMask = sqRing.get(JAVA_INT, params.get(JAVA_INT, sq + UringLayout.SQ_RING_MASK));
        cqHead = params.get(JAVA_INT, cq + UringLayout.CQ_HEAD);
        cqTail = params.get(JAVA_INT, cq + UringLayout.CQ_TAIL);
        cqMask = cqRing.get(JAVA_INT, params.get(JAVA_INT, cq + UringLayout.CQ_RING_MASK));
        for (int i = 0; i < sqEntries; i++) sqRing.set(JAVA_INT, sqArray + 4L * i, i);
        localSqTail = (int) INT.getAcquire(sqRing, sqTail);
        localCqHead = (int) INT.getAcquire(cqRing, cqHead);
        waitArg = arena.allocate(UringLayout.GETEVENTS_ARG_SIZE + 16, 8);
        timespec = waitArg.asSlice(UringLayout.GETEVENTS_ARG_SIZE, 16);
        waitArg.set(JAVA_LONG, UringLayout.GETEVENTS_ARG_TS, timespec.address());
    }

    private MemorySegment map(long size, long offset, int[] errno) throws ErrnoException {
        MemorySegment m = sys.mmap(fd, size, offset, errno);
        if (m == null) throw new ErrnoException("mmap(io_uring fd " + fd + ", offset 0x" + Long.toHexString(offset) + ")", -errno[0]);
        return m;
    }

    /** Whether the kernel has this feature ({@code IORING_FEAT_*}). */
    public boolean has(int feature) {
        return (features & feature) == feature;
    }

    /** Entries written but not yet taken by the kernel. */
    public int unsubmitted() {
        return localSqTail - (int) INT.getAcquire(sqRing, sqHead);
    }

    /**
     * The next free submission entry, zeroed, or -1 when the queue is full (submit
     * first). Its offset goes to the {@code sqe*} setters; {@link #enter} publishes it.
     */
    public long nextSqe() {
        if (unsubmitted() >= sqEntries) return -1;
        long at = UringLayout.SQE_SIZE * (localSqTail & sqMask);
        sqes.asSlice(at, UringLayout.SQE_SIZE).fill((byte) 0);
        localSqTail++;
        return at;
    }

    /** Fills the common fields of the entry at {@code at}. */
    public void sqe(long at, byte opcode, byte sqeFlags, int fd, long addr, int len, int opFlags, long userData) {
        sqes.set(JAVA_BYTE, at + UringLayout.SQE_OPCODE, opcode);
        sqes.set(JAVA_BYTE, at + UringLayout.SQE_FLAGS, sqeFlags);
        sqes.set(JAVA_INT, at + UringLayout.SQE_FD, fd);
        sqes.set(JAVA_LONG, at + UringLayout.SQE_ADDR, addr);
        sqes.set(JAVA_INT, at + UringLayout.SQE_LEN, len);
        sqes.set(JAVA_INT, at + UringLayout.SQE_OP_FLAGS, opFlags);
        sqes.set(JAVA_LONG, at + UringLayout.SQE_USER_DATA, userData);
    }

    /** Sets the u16 {@code ioprio} of the entry at {@code at} (RECV's multishot bit). */
    public void sqeIoprio(long at, short ioprio) {
        sqes.set(JAVA_SHORT, at + UringLayout.SQE_IOPRIO, ioprio);
    }

    /** Sets the buffer group of an entry with IOSQE_BUFFER_SELECT. */
    public void sqeBufGroup(long at, short group) {
        sqes.set(JAVA_SHORT, at + UringLayout.SQE_BUF_GROUP, group);
    }

    /** Sets the 64-bit {@code off} of the entry at {@code at} (a file offset). */
    public void sqeOffset(long at, long offset) {
        sqes.set(JAVA_LONG, at + UringLayout.SQE_OFF, offset);
    }

    /** io_uring_register on this ring: 0 or more, or {@code -errno}. */
    public int register(int opcode, MemorySegment arg, int count) {
        return sys.register(fd, opcode, arg, count);
    }

    /**
     * Publishes the written entries and calls io_uring_enter: submits them all and, when
     * {@code getEvents}, waits for at least {@code minComplete} completions or
     * {@code timeoutNanos} (negative: no limit).
     *
     * @return what io_uring_enter returned ({@code -errno}: EINTR, ETIME, ...)
     */
    public int enter(boolean getEvents, int minComplete, long timeoutNanos) {
        INT.setRelease(sqRing, sqTail, localSqTail);
        int n = unsubmitted();
        if (!getEvents) return n == 0 ? 0 : sys.enter(fd, n, 0, 0, MemorySegment.NULL, 0);
        int enterFlags = Constants.IORING_ENTER_GETEVENTS;
        MemorySegment arg = MemorySegment.NULL;
        long argSize = 0;
        if (timeoutNanos >= 0) {
            timespec.set(JAVA_LONG, 0, timeoutNanos / 1_000_000_000L);
            timespec.set(JAVA_LONG, 8, timeoutNanos % 1_000_000_000L);
            enterFlags |= Constants.IORING_ENTER_EXT_ARG;
            arg = waitArg;
            argSize = UringLayout.GETEVENTS_ARG_SIZE;
        }
        return sys.enter(fd, n, minComplete, enterFlags, arg, argSize);
    }

    /** Enables a ring set up with IORING_SETUP_R_DISABLED: the calling thread becomes its one issuer. */
    public int enable() {
        return sys.register(fd, Constants.IORING_REGISTER_ENABLE_RINGS, MemorySegment.NULL, 0);
    }

    /** Whether completions wait in the kernel for room in the ring (NODROP overflow). */
    public boolean overflowed() {
        return ((int) INT.getAcquire(sqRing, sqFlags) & Constants.IORING_SQ_CQ_OVERFLOW) != 0;
    }

    /** Receives completions. */
    @FunctionalInterface
    public interface CompletionSink {
        /** One completion entry: its user data, result ({@code -errno} on failure) and flags. */
        void complete(long userData, int res, int flags);
    }

    /** Hands every completion in the ring to {@code sink}, oldest first, and frees their slots. */
    public int reap(CompletionSink sink) {
        int n = 0;
        while (true) {
            int tail = (int) INT.getAcquire(cqRing, cqTail);
            if (tail == localCqHead) return n;
            while (localCqHead != tail) {
                long at = cqes + UringLayout.CQE_SIZE * (localCqHead & cqMask);
                long userData = cqRing.get(JAVA_LONG, at + UringLayout.CQE_USER_DATA);
                int res = cqRing.get(JAVA_INT, at + UringLayout.CQE_RES);
                int cqeFlags = cqRing.get(JAVA_INT, at + UringLayout.CQE_FLAGS);
                localCqHead++;
                // free the slot before the sink runs: it may submit, and the kernel may post
                INT.setRelease(cqRing, cqHead, localCqHead);
                sink.complete(userData, res, cqeFlags);
                n++;
            }
        }
    }

    /** Unmaps the rings and closes the fd; the kernel cancels what is still in flight. */
    @Override
    public void close() {
        if (!owned.isOpen()) return;
        sys.munmap(sqes);
        if (cqRing != sqRing) sys.munmap(cqRing);
        sys.munmap(sqRing);
        owned.close();
        arena.close();
    }
}
