package xiio.net;

import static java.lang.foreign.ValueLayout.JAVA_INT;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.net.SocketAddress;
import xiio.core.Condition;
import xiio.core.Xiio;
import xiio.unix.Constants;
import xiio.unix.Errno;
import xiio.unix.FileSyscalls;

/** The listening fd of a TCP or Unix listener, and its accept loop. */
final class Acceptor {
    final int fd;
    final SocketAddress local;
    private final String kind;
    private final Condition readable;
    // The kernel writes each peer's address here; reused, so accept allocates only the result.
    private final MemorySegment peer = Arena.ofAuto().allocate(Constants.SOCKADDR_STORAGE_SIZE + 8, 8);
    private final MemorySegment peerLen = peer.asSlice(Constants.SOCKADDR_STORAGE_SIZE, 4);
    private boolean closed;

    Acceptor(int fd, SocketAddress local, String kind) {
        this.fd = fd;
        this.local = local;
        this.kind = kind;
        this.readable = Condition.readable(fd);
    }

    /**
     * Waits for a connection and accepts it: the new non-blocking fd. Its peer's
     * address is {@link #peer()} until the next accept. Cancel-safe: a cancellation
     * arrives only while waiting, and the pending connection stays queued.
     */
    int accept() throws IOException {
        while (true) {
            if (closed) throw new IOException("cannot accept on " + this + ": the listener is closed");
            Xiio.await(readable);
            if (closed) throw new IOException("cannot accept on " + this + ": the listener is closed");
            peerLen.set(JAVA_INT, 0, Constants.SOCKADDR_STORAGE_SIZE);
            int r = xiio.unix.SocketSyscalls.get().accept(fd, peer, peerLen);
            if (r >= 0) return r;
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
                    IOException e = NetErrors.of("accept on", local, "(fd " + fd + ")", -r);
                    IOException explained = new IOException(e.getMessage() + ": out of fds or memory; the connection"
                            + " stays queued: close some connections (or raise `ulimit -n`) and back off before"
                            + " accepting again, or the next accept fails at once", e.getCause());
                    throw explained;
                }
                default -> throw NetErrors.of("accept on", local, "(fd " + fd + ")", -r);
            }
        }
    }

    /** The address of the connection last accepted. */
    SocketAddress peer() {
        return SockAddr.decode(peer, peerLen.get(JAVA_INT, 0));
    }

    boolean isClosed() {
        return closed;
    }

    void close() throws IOException {
        if (closed) return;
        closed = true;
        Xiio.closing(fd);
        int r = FileSyscalls.get().close(fd);
        if (r < 0 && r != -Errno.EINTR) throw NetErrors.of("close of", local, "(fd " + fd + ")", -r);
    }

    @Override
    public String toString() {
        return kind + " listener " + SockAddr.format(local) + " (fd " + fd + ")";
    }
}
