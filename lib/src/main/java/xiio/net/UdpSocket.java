package xiio.net;

import static java.lang.foreign.ValueLayout.JAVA_INT;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.net.Inet6Address;
import java.net.InetSocketAddress;
import java.net.PortUnreachableException;
import java.util.Objects;
import xiio.core.Condition;
import xiio.core.Xiio;
import xiio.unix.Errno;
import xiio.unix.ErrnoException;
import xiio.unix.sys.Constants;
import xiio.unix.sys.HeapSegments;
import xiio.unix.sys.OwnedFd;
import xiio.unix.sys.SocketSyscalls;

/**
 * A UDP socket: datagrams to and from any address, or, once {@link #connect}ed, to
 * and from one peer only.
 *
 * <p>A socket bound to {@code ::} is dual-stack: it exchanges datagrams with IPv4
 * peers too (they show as plain IPv4 addresses). Receiving waits until readable,
 * then reads one datagram; sending tries at once and waits only if the kernel has
 * no room. A datagram larger than the receive buffer is truncated (and says so).
 * On a connected socket, an ICMP "port unreachable" from the peer makes the next
 * receive or send fail with {@link PortUnreachableException}.
 *
 * {@snippet :
 * try (UdpSocket socket = UdpSocket.bind(new InetSocketAddress("127.0.0.1", 0))) {
 *     socket.send(query, 0, query.length, new InetSocketAddress("127.0.0.1", 5353));
 *     byte[] buf = new byte[1500];
 *     UdpSocket.Received reply = socket.receiveFrom(buf, 0, buf.length);
 *     System.out.println(reply.length() + " bytes from " + reply.sender());
 * }
 * }
 */
public final class UdpSocket implements AutoCloseable {
    /**
     * One received datagram.
     *
     * @param length    the bytes stored in the buffer
     * @param sender    where it came from
     * @param truncated whether the datagram was longer than the buffer (the rest is lost)
     */
    public record Received(int length, InetSocketAddress sender, boolean truncated) {}

    private final OwnedFd owned;
    private final int fd;
    private final int family;
    private final InetSocketAddress local;
    private final Condition readable;
    private final Condition writable;
    // sockaddr scratch for send and receive: reused, never held across a suspension
    private final MemorySegment addr = Arena.ofAuto().allocate(Constants.SOCKADDR_STORAGE_SIZE + 8, 8);
    private final MemorySegment addrLen = addr.asSlice(Constants.SOCKADDR_STORAGE_SIZE, 4);
    // per socket, so a datagram allocates no segment of its buffer
    private final HeapSegments sendSegments = new HeapSegments();
    private final HeapSegments receiveSegments = new HeapSegments();
    private InetSocketAddress remote;

    private UdpSocket(int fd, int family, InetSocketAddress local) {
        this.owned = new OwnedFd(fd, "udp socket " + SockAddr.format(local));
        this.fd = fd;
        this.family = family;
        this.local = local;
        this.readable = Condition.readable(fd);
        this.writable = Condition.writable(fd);
    }

    /**
     * A socket bound to {@code local} (port 0 picks a free port; {@code ::} is dual-stack).
     *
     * @throws java.net.BindException if the address is in use or not local
     */
    public static UdpSocket bind(InetSocketAddress local) throws IOException {
        Objects.requireNonNull(local, "local");
        SockAddr.inet(local);
        int family = SockAddr.family(local);
        int fd = Sockets.open(family, Constants.SOCK_DGRAM, local);
        InetSocketAddress[] bound = new InetSocketAddress[1];
        Sockets.orClose(fd, () -> {
            if (local.getAddress() instanceof Inet6Address) {
                Sockets.setOption(fd, Constants.IPPROTO_IPV6, Constants.IPV6_V6ONLY, 0, "IPV6_V6ONLY", local);
            }
            Sockets.bind(fd, family, local);
            bound[0] = (InetSocketAddress) Sockets.address(fd, false, local);
        });
        return new UdpSocket(fd, family, bound[0]);
    }

    /**
     * Makes {@code remote} the default destination and the only source datagrams are
     * accepted from. Does not send anything.
     */
    public void connect(InetSocketAddress remote) throws IOException {
        Objects.requireNonNull(remote, "remote");
        ensureOpen();
        int len = SockAddr.encode(remote, family, addr);
        int r = SocketSyscalls.get().connect(fd, addr, len);
        if (r < 0) throw failure("connect to", remote, -r);
        this.remote = remote;
    }

    /**
     * Sends {@code b[off, off+len)} as one datagram to {@code to}.
     *
     * @return the bytes sent (all of them: a datagram is never split)
     */
    public int send(byte[] b, int off, int len, InetSocketAddress to) throws IOException {
        Objects.checkFromIndexSize(off, len, b.length);
        Objects.requireNonNull(to, "to");
        while (true) {
            ensureOpen();
            int alen = SockAddr.encode(to, family, addr);
            long n = SocketSyscalls.get().sendto(fd, sendSegments.of(b, off), len, Constants.MSG_NOSIGNAL, addr, alen);
            if (n >= 0) return (int) n;
            if (n == -Errno.EAGAIN) Xiio.await(writable);
            else if (n != -Errno.EINTR) throw failure("send to", to, (int) -n, len);
        }
    }

    /** Sends one datagram to the connected peer. */
    public int send(byte[] b, int off, int len) throws IOException {
        Objects.checkFromIndexSize(off, len, b.length);
        if (remote == null) throw new IllegalStateException("this UDP socket is not connected: pass a destination address");
        while (true) {
            ensureOpen();
            long n = SocketSyscalls.get().send(fd, sendSegments.of(b, off), len, Constants.MSG_NOSIGNAL);
            if (n >= 0) return (int) n;
            if (n == -Errno.EAGAIN) Xiio.await(writable);
            else if (n != -Errno.EINTR) throw failure("send to", remote, (int) -n, len);
        }
    }

    /** Waits for one datagram, stores it in {@code b[off, off+len)} and says who sent it. */
    public Received receiveFrom(byte[] b, int off, int len) throws IOException {
        Objects.checkFromIndexSize(off, len, b.length);
        long n = receive0(b, off, len);
        InetSocketAddress sender = (InetSocketAddress) SockAddr.decode(addr, addrLen.get(JAVA_INT, 0));
        return new Received((int) Math.min(n, len), sender, n > len);
    }

    /**
     * Waits for one datagram and stores it in {@code b[off, off+len)}, dropping what
     * does not fit.
     *
     * @return the number of bytes stored
     */
    public int receive(byte[] b, int off, int len) throws IOException {
        Objects.checkFromIndexSize(off, len, b.length);
        return (int) Math.min(receive0(b, off, len), len);
    }

    /** The datagram's full length (MSG_TRUNC), which may exceed {@code len}. */
    private long receive0(byte[] b, int off, int len) throws IOException {
        while (true) {
            ensureOpen();
            Xiio.await(readable);
            ensureOpen();
            addrLen.set(JAVA_INT, 0, Constants.SOCKADDR_STORAGE_SIZE);
            long n = SocketSyscalls.get().recvfrom(fd, receiveSegments.of(b, off), len, Constants.MSG_TRUNC, addr, addrLen);
            if (n >= 0) return n;
            if (n != -Errno.EAGAIN && n != -Errno.EINTR) throw failure("recv from", remote != null ? remote : local, (int) -n);
        }
    }

    /** The address it is bound to. */
    public InetSocketAddress localAddress() {
        return local;
    }

    /** The connected peer, or null. */
    public InetSocketAddress remoteAddress() {
        return remote;
    }

    /** The fd (stays owned by this socket). */
    public int fd() {
        return fd;
    }

    /** Closes the socket; coroutines waiting on it fail. Idempotent. */
    @Override
    public void close() throws IOException {
        int r = owned.close();
        if (r < 0 && r != -Errno.EINTR) throw failure("close of", local, -r);
    }

    private void ensureOpen() throws IOException {
        if (!owned.isOpen()) throw new IOException("cannot use " + this + ": it is closed");
    }

    private IOException failure(String what, InetSocketAddress address, int errno) {
        return failure(what, address, errno, -1);
    }

    private IOException failure(String what, InetSocketAddress address, int errno, int size) {
        if (errno == Errno.ECONNREFUSED) {
            PortUnreachableException e = new PortUnreachableException(what + " " + SockAddr.format(address)
                    + ": ECONNREFUSED (the peer answered \"port unreachable\": nothing listens there)");
            e.initCause(new ErrnoException(what + " " + SockAddr.format(address), errno));
            return e;
        }
        if (errno == Errno.EMSGSIZE && size >= 0) {
            IOException e = NetErrors.of(what, address, "(a datagram of " + size + " bytes is too large)", errno);
            return e;
        }
        return NetErrors.of(what, address, "(fd " + fd + ")", errno);
    }

    @Override
    public String toString() {
        return "UdpSocket[" + SockAddr.format(local) + (remote == null ? "" : " -> " + SockAddr.format(remote))
                + ", fd " + fd + (owned.isOpen() ? "" : ", closed") + "]";
    }
}
