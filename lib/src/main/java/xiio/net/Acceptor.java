package xiio.net;

import static java.lang.foreign.ValueLayout.JAVA_INT;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.net.SocketAddress;
import java.time.Duration;
import xiio.core.Condition;
import xiio.core.Promise;
import xiio.core.Xiio;
import xiio.unix.Errno;
import xiio.unix.sys.Constants;
import xiio.unix.sys.OwnedFd;

/**
 * The listening fd of a TCP or Unix listener, and its accept loop.
 *
 * <p>Running out of fds (EMFILE, ENFILE) or socket memory (ENOBUFS, ENOMEM) is
 * transient for a server: connections close and free them. So accept does not throw
 * then; it pauses (5 ms, doubling up to 1 s, as Go's net/http does; Netty pauses
 * 1 s) and tries again, and the pending connection stays queued meanwhile. Retrying
 * at once would spin: the listening fd stays readable, and every accept fails the
 * same way until something is closed. {@link AcceptLog} says so once per shortage,
 * without needing an fd to say it.
 */
final class Acceptor {
    private static final long FIRST_PAUSE_NANOS = 5_000_000L;
    private static final long MAX_PAUSE_NANOS = 1_000_000_000L;

    private final OwnedFd owned;
    final int fd;
    final SocketAddress local;
    private final String kind;
    private final Condition readable;
    // The kernel writes each peer's address here; reused, so accept allocates only the result.
    private final MemorySegment peer = Arena.ofAuto().allocate(Constants.SOCKADDR_STORAGE_SIZE + 8, 8);
    private final MemorySegment peerLen = peer.asSlice(Constants.SOCKADDR_STORAGE_SIZE, 4);
    /** Completed by close(), to end the pauses of accepts that ran out of fds. */
    private Promise<Void> closeSignal;
    private int pausing;
    /** tryAccept failed for want of fds (or socket memory) since the last accept. */
    private boolean tryRanShort;

    Acceptor(int fd, SocketAddress local, String kind) {
        this.owned = new OwnedFd(fd, kind + " listener " + SockAddr.format(local));
        this.fd = fd;
        this.local = local;
        this.kind = kind;
        this.readable = Condition.readable(fd);
        AcceptLog.prime(); // now, while fds are free: the first warning must not need one
    }

    /**
     * Waits for a connection and accepts it: the new non-blocking fd. Its peer's
     * address is {@link #peer()} until the next accept. Cancel-safe: a cancellation
     * arrives only while waiting, and the pending connection stays queued.
     */
    int accept() throws IOException {
        if (tryRanShort) {
            // tryAccept just ran out of fds: give connections the first pause to close some
            // before trying, or every burst would begin (and log) a shortage of its own
            tryRanShort = false;
            pause(FIRST_PAUSE_NANOS);
        }
        long pause = 0;
        int failures = 0;
        long shortageStart = 0;
        while (true) {
            if (isClosed()) throw new IOException("cannot accept on " + this + ": the listener is closed");
            try {
                Xiio.await(readable);
            } catch (IOException e) {
                // closed by another coroutine while this one waited: say so, not just "fd N was closed"
                if (isClosed()) throw new IOException("cannot accept on " + this + ": the listener is closed", e);
                throw e;
            }
            if (isClosed()) throw new IOException("cannot accept on " + this + ": the listener is closed");
            peerLen.set(JAVA_INT, 0, Constants.SOCKADDR_STORAGE_SIZE);
            int r = xiio.unix.sys.SocketSyscalls.get().accept(fd, peer, peerLen);
            if (r >= 0) {
                if (failures > 0) AcceptLog.shortageEnds(this, failures, Xiio.nanoTime() - shortageStart);
                return r;
            }
            switch (-r) {
                // EAGAIN: another acceptor took it. ECONNABORTED: the client gave up while
                // queued. accept(2) also passes on network errors pending on the new
                // connection; the man page says to treat them like EAGAIN.
                case Errno.EAGAIN, Errno.EINTR, Errno.ECONNABORTED, Errno.EPERM,
                        Errno.ENETDOWN, Errno.ENOPROTOOPT, Errno.EHOSTDOWN, Errno.EHOSTUNREACH,
                        Errno.EOPNOTSUPP, Errno.ENETUNREACH, 71 /* EPROTO */, 64 /* ENONET */ -> {
                    continue;
                }
                case Errno.EMFILE, Errno.ENFILE, Errno.ENOBUFS, Errno.ENOMEM -> {
                    pause = pause == 0 ? FIRST_PAUSE_NANOS : Math.min(2 * pause, MAX_PAUSE_NANOS);
                    if (failures++ == 0) {
                        shortageStart = Xiio.nanoTime();
                        AcceptLog.shortageBegins(NetErrors.of("accept on", local, "(fd " + fd + ")", -r).getMessage(), shortage(-r));
                    }
                    pause(pause);
                }
                default -> throw NetErrors.of("accept on", local, "(fd " + fd + ")", -r);
            }
        }
    }

    /**
     * A connection the kernel has queued, taken without waiting: its fd, or -1 if none is
     * queued now (or accepting it failed in a way {@link #accept} waits out: out of fds,
     * a connection aborted while queued). A server takes a burst of new clients this way
     * in one step instead of one per wakeup.
     */
    int tryAccept() throws IOException {
        if (isClosed()) throw new IOException("cannot accept on " + this + ": the listener is closed");
        while (true) {
            peerLen.set(JAVA_INT, 0, Constants.SOCKADDR_STORAGE_SIZE);
            int r = xiio.unix.sys.SocketSyscalls.get().accept(fd, peer, peerLen);
            if (r >= 0) return r;
            if (r == -Errno.EINTR) continue;
            switch (-r) {
                case Errno.EAGAIN, Errno.ECONNABORTED, Errno.EPERM, Errno.ENETDOWN, Errno.ENOPROTOOPT, Errno.EHOSTDOWN,
                        Errno.EHOSTUNREACH, Errno.EOPNOTSUPP, Errno.ENETUNREACH, 71 /* EPROTO */, 64 /* ENONET */ -> {
                    return -1;
                }
                case Errno.EMFILE, Errno.ENFILE, Errno.ENOBUFS, Errno.ENOMEM -> {
                    tryRanShort = true;
                    return -1;
                }
                default -> throw NetErrors.of("accept on", local, "(fd " + fd + ")", -r);
            }
        }
    }

    private static String shortage(int errno) {
        return switch (errno) {
            case Errno.EMFILE -> "this process is out of file descriptors (close idle connections, or raise `ulimit -n`)";
            case Errno.ENFILE -> "the system is out of file descriptors (raise fs.file-max)";
            default -> "the kernel is out of socket memory";
        };
    }

    /** Waits {@code nanos}, or until the listener is closed; cancel-safe. */
    private void pause(long nanos) throws IOException {
        if (closeSignal == null) closeSignal = new Promise<>();
        pausing++;
        try {
            Xiio.await(Condition.after(Duration.ofNanos(nanos)).or(closeSignal.condition()));
        } finally {
            // the last one out drops it, so no promise outlives the run it belongs to
            if (--pausing == 0) closeSignal = null;
        }
    }

    /** The address of the connection last accepted. */
    SocketAddress peer() {
        return SockAddr.decode(peer, peerLen.get(JAVA_INT, 0));
    }

    boolean isClosed() {
        return !owned.isOpen();
    }

    void close() throws IOException {
        if (isClosed()) return;
        if (closeSignal != null) closeSignal.tryComplete(null);
        int r = owned.close();
        if (r < 0 && r != -Errno.EINTR) throw NetErrors.of("close of", local, "(fd " + fd + ")", -r);
    }

    @Override
    public String toString() {
        return owned.toString();
    }
}
