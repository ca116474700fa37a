package xiio.core;

import java.lang.foreign.MemorySegment;
import java.util.Arrays;
import xiio.unix.sys.UringBufferRing;

/**
 * The receive queue of one stream socket on the run's io_uring ({@link RingOps#receiver}):
 * a multishot receive fills it with provided buffers, the owning stream's reads take
 * from it. Not thread-safe; used by the socket's one owning stream.
 *
 * <p>What keeps it honest:
 * <ul>
 * <li><em>Bounded.</em> Past {@link #LIMIT} queued buffers the multishot is cancelled,
 *     so a reader that does not read leaves the rest in the socket and TCP's window
 *     pushes back on the peer; it is re-armed once the queue is down to half.
 * <li><em>Out of buffers.</em> ENOBUFS ends a multishot without losing data (nothing
 *     was taken from the socket); it is re-armed at a wait once buffers are back.
 *     Meanwhile {@link #receiving()} is false, and the stream reads the socket itself
 *     once readiness says so, so a run whose buffers all sit in unread queues cannot
 *     deadlock.
 * <li><em>Cancel-safe by construction.</em> Data is taken from the queue only by
 *     {@link #take}, which never suspends: a read cancelled while it waits has taken
 *     nothing, and whatever arrived meanwhile stays queued for the next read.
 * </ul>
 */
public final class RingReceiver {
    /** {@link #take} found nothing queued. */
    public static final int EMPTY = 0;
    /** {@link #take} reached the end of the stream. */
    public static final int END = Integer.MIN_VALUE;
    /** Queued buffers past which the multishot is stopped. */
    static final int LIMIT = 16;

    final UringOperations owner;
    final int fd;
    /** The user data of the multishot in flight, 0 when none. */
    long userData;
    boolean cancelling;
    boolean ended;
    int errno;
    boolean closed;
    /** Closed because the run ended, not the stream: what still arrives is kept for a later run. */
    boolean detached;
    boolean inIdleList;
    boolean inReadyList;
    /** Queued buffers: ids and lengths, a circular queue; the head's first {@code headOffset} bytes are taken. */
    private int[] bids = new int[LIMIT * 2];
    private int[] lens = new int[LIMIT * 2];
    private int head;
    private int size;
    private int headOffset;
    /** What was queued when the ring closed under it (the run ended): read before anything else. */
    private byte[] leftover;
    private int leftoverOffset;
    private Promise<Void> settled;

    RingReceiver(UringOperations owner, int fd) {
        this.owner = owner;
        this.fd = fd;
    }

    /**
     * Copies queued bytes into {@code buf[off, off+len)} (len &gt; 0) and returns the
     * buffers it emptied to the ring. Never suspends.
     *
     * @return bytes copied (&gt; 0), {@link #EMPTY}, {@link #END}, or {@code -errno} of
     *     a failure the receive reported after all the data before it
     */
    public int take(byte[] buf, int off, int len) {
        if (leftover != null) return takeLeftover(buf, off, len);
        int copied = 0;
        UringBufferRing buffers = owner.buffers;
        while (copied < len && size > 0) {
            int bid = bids[head];
            int n = Math.min(len - copied, lens[head] - headOffset);
            MemorySegment.copy(buffers.buffer(bid), java.lang.foreign.ValueLayout.JAVA_BYTE, headOffset, buf, off + copied, n);
            copied += n;
            headOffset += n;
            if (headOffset == lens[head]) {
                buffers.recycle(bid);
                head = (head + 1) % bids.length;
                size--;
                headOffset = 0;
            }
        }
        if (copied > 0) {
            if (userData == 0 && size <= LIMIT / 2) owner.idle(this);
            return copied;
        }
        if (errno != 0) {
            int e = errno;
            errno = 0;
            ended = true; // as recv(2): after a reset, end of stream
            return -e;
        }
        return ended ? END : EMPTY;
    }

    private int takeLeftover(byte[] buf, int off, int len) {
        int n = Math.min(len, leftover.length - leftoverOffset);
        System.arraycopy(leftover, leftoverOffset, buf, off, n);
        leftoverOffset += n;
        if (leftoverOffset == leftover.length) leftover = null;
        return n;
    }

    /**
     * Whether a multishot receive is in flight, so data will arrive in this queue. When
     * false and {@link #take} is {@link #EMPTY}, the owner reads the socket itself (the
     * ring was out of buffers, or the run that owned this queue ended).
     */
    public boolean receiving() {
        return userData != 0 && !closed;
    }

    /** Whether this queue belongs to {@code ops} and can still fill. */
    public boolean isLive(RingOps ops) {
        return owner == ops && !closed;
    }

    /** The owner read end of stream itself: {@link #take} says so from now on. */
    public void endOfStream() {
        ended = true;
    }

    /**
     * Stops receiving and returns every queued buffer: the stream is closing. When in
     * a coroutine of the ring's run, waits (shielded, at most 5 s) until the kernel has
     * ended the receive, so the socket is released before it is closed.
     */
    public void close() {
        if (closed) return;
        owner.abandon(this);
        if (userData == 0 || Coroutine.currentOrNull() == null
                || Coroutine.currentOrNull().engine.poller.ringOps() != owner) {
            return;
        }
        settled = new Promise<>();
        try {
            CancelScope.shielded(RingOp.SETTLE, scope -> {
                settled.await();
                return null;
            });
        } catch (Exception e) {
            // only a cancellation, which the shield holds back
        }
    }

    /** Whether data, an end or an error is queued: the fd is readable. */
    boolean hasNews() {
        return size > 0 || ended || errno != 0 || leftover != null;
    }

    int queued() {
        return size;
    }

    void push(int bid, int len) {
        if (size == bids.length) {
            int[] b = new int[size * 2], l = new int[size * 2];
            for (int i = 0; i < size; i++) {
                b[i] = bids[(head + i) % bids.length];
                l[i] = lens[(head + i) % bids.length];
            }
            bids = b;
            lens = l;
            head = 0;
        }
        int at = (head + size) % bids.length;
        bids[at] = bid;
        lens[at] = len;
        size++;
    }

    /** Hands every queued buffer back to the ring, keeping their bytes in {@code leftover} if asked. */
    void drain(boolean keep) {
        UringBufferRing buffers = owner.buffers;
        byte[] kept = keep ? new byte[queuedBytes()] : null;
        int at = 0;
        while (size > 0) {
            int bid = bids[head];
            int n = lens[head] - headOffset;
            if (kept != null) {
                MemorySegment.copy(buffers.buffer(bid), java.lang.foreign.ValueLayout.JAVA_BYTE, headOffset, kept, at, n);
                at += n;
            }
            buffers.recycle(bid);
            head = (head + 1) % bids.length;
            size--;
            headOffset = 0;
        }
        if (kept != null && kept.length > 0) {
            leftover = leftover == null ? kept : concat(leftover, leftoverOffset, kept);
            leftoverOffset = 0;
        }
    }

    private int queuedBytes() {
        int n = -headOffset;
        for (int i = 0; i < size; i++) n += lens[(head + i) % bids.length];
        return n;
    }

    private static byte[] concat(byte[] a, int from, byte[] b) {
        byte[] c = Arrays.copyOfRange(a, from, a.length + b.length - from);
        System.arraycopy(b, 0, c, a.length - from, b.length);
        return c;
    }

    /** The multishot ended (its last completion arrived). */
    void ended() {
        userData = 0;
        cancelling = false;
        if (settled != null) settled.tryComplete(null);
    }

    @Override
    public String toString() {
        return "RingReceiver[fd " + fd + ", " + size + " buffers queued" + (receiving() ? ", receiving" : "")
                + (ended ? ", ended" : "") + (closed ? ", closed" : "") + "]";
    }
}
