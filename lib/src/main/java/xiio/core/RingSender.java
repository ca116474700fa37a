package xiio.core;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import xiio.unix.Errno;
import xiio.unix.sys.Constants;

/**
 * The outbound side of one stream socket on the run's io_uring ({@link RingOps#sender}):
 * bytes are copied into native memory of its own and sent by one SEND in flight at a
 * time, which continues a short send by itself. Not thread-safe; used by the socket's
 * one owning stream.
 *
 * <p>Why this shape: a heap array cannot be handed to an operation that completes
 * later (the collector may move it), so the bytes are copied, and once copied they
 * are as good as in the kernel's send buffer: {@link #offer} never suspends, returns
 * what it took, and a failure of the send (the peer reset) is reported by the next
 * offer, as a socket reports an error of bytes it had accepted at the next call.
 * Backpressure stays the kernel's: while a send is in flight nothing more is taken,
 * and a send to a peer that does not read stays in flight.
 */
public final class RingSender {
    /** The most a sender holds: its buffer grows to this, from 4 KiB. */
    static final int MAX_BUFFER = 64 * 1024;

    private final UringOperations owner;
    private final int fd;
    private final int msgFlags;
    private MemorySegment buffer;
    /** What the send in flight still has to send: {@code buffer[sent, end)}. */
    private int sent;
    private int end;
    private long userData;
    private int failure;
    private boolean closed;
    private boolean cancelling;
    private Promise<Void> idle;
    /** The close that waits for this send's completion, if any. */
    UringOperations.PendingClose released;

    RingSender(UringOperations owner, int fd, int msgFlags) {
        this.owner = owner;
        this.fd = fd;
        this.msgFlags = msgFlags;
    }

    /**
     * Takes up to {@code len} bytes of {@code buf[off, ...)} to send, without suspending.
     *
     * @return how many bytes it took (0 while a send is in flight), or {@code -errno}
     *     of a send that failed since the last call (reported once; nothing is taken)
     */
    public int offer(byte[] buf, int off, int len) {
        if (failure != 0) {
            int e = failure;
            failure = 0;
            return -e;
        }
        if (userData != 0 || closed || len == 0) return 0;
        int n = Math.min(len, MAX_BUFFER);
        if (buffer == null || buffer.byteSize() < n) {
            buffer = Arena.ofAuto().allocate(Math.max(4096, Integer.highestOneBit(n - 1) << 1), 8);
        }
        MemorySegment.copy(buf, off, buffer, ValueLayout.JAVA_BYTE, 0, n);
        sent = 0;
        end = n;
        if (!send()) return 0;
        return n;
    }

    private boolean send() {
        long u = owner.submitFor(this, Constants.IORING_OP_SEND, fd, buffer.address() + sent, end - sent, msgFlags);
        if (u == 0) {
            failure = Errno.EBUSY;
            return false;
        }
        userData = u;
        return true;
    }

    /** Whether this belongs to {@code ops} and is not closed. */
    public boolean isLive(RingOps ops) {
        return owner == ops && !closed && owner.isOpen();
    }

    /** Whether a send is in flight: {@link #offer} takes nothing until {@link #idle()} is fulfilled. */
    public boolean isBusy() {
        return userData != 0;
    }

    /** Fulfilled once no send is in flight (at once if none is). */
    public Condition idle() {
        if (idle == null || idle.isDone()) {
            idle = new Promise<>();
            if (userData == 0) idle.complete(null);
        }
        return idle.condition();
    }

    /**
     * The stream closes: cancels the send in flight (submitted at once). Bytes not sent
     * yet are dropped, as a close drops what a socket did not send; the kernel lets go
     * of the socket when the send has completed ({@link #isBusy()}; see
     * {@link RingOps#closeWhenReleased}).
     */
    public void close() {
        if (closed) return;
        closed = true;
        if (userData == 0 || cancelling) return;
        cancelling = true;
        owner.cancel(userData);
        owner.submitNow();
    }

    /** The ring this sender belongs to. */
    public RingOps ring() {
        return owner;
    }

    /** The completion of the send in flight. */
    void completed(int res) {
        userData = 0;
        if (res > 0 && !closed) {
            sent += res;
            if (sent < end && send()) return; // a short send: the rest goes next, before anything else
        } else if (res == 0 || res == -Errno.EAGAIN || res == -Errno.EINTR) {
            if (!closed && send()) return;
        } else if (res < 0 && res != -Errno.ECANCELED && !closed) {
            failure = -res;
        }
        cancelling = false;
        if (idle != null) idle.tryComplete(null);
        if (released != null) {
            UringOperations.PendingClose c = released;
            released = null;
            c.done();
        }
    }

    @Override
    public String toString() {
        return "RingSender[fd " + fd + (isBusy() ? ", " + (end - sent) + " bytes in flight" : "") + "]";
    }
}
