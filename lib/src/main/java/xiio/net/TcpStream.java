package xiio.net;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import xiio.io.FdStream;
import xiio.unix.sys.Constants;
import xiio.unix.sys.SocketSyscalls;

/**
 * A TCP connection: a {@link FdStream} over a non-blocking socket, with the peer's
 * address in every error message.
 *
 * <p>{@link #connect(String, int)} resolves the host on a worker thread
 * ({@link Dns}), then tries the addresses happy-eyeballs style (RFC 8305: families
 * interleaved, a new attempt every 250 ms while earlier ones are still pending, the
 * first to succeed wins). There is no timeout parameter: the limit comes from the
 * surrounding cancel scope, and a cancelled connect closes every socket it opened.
 *
 * {@snippet :
 * String reply = Timeout.withTimeout(Duration.ofSeconds(5), () -> {
 *     try (TcpStream conn = TcpStream.connect("example.com", 80)) {
 *         conn.setNoDelay(true);
 *         byte[] request = "HEAD / HTTP/1.0\r\n\r\n".getBytes(StandardCharsets.US_ASCII);
 *         conn.writeAll(request, 0, request.length);
 *         conn.shutdownOutput();
 *         return new StreamReader(conn).readLine(8192);
 *     }
 * });
 * }
 *
 * <p>Failures use the JDK's types: {@link java.net.ConnectException} (refused),
 * {@link java.net.NoRouteToHostException} (unreachable), {@link java.net.SocketException}
 * (reset by peer, broken pipe), each naming the address, with an
 * {@link xiio.unix.ErrnoException} as the cause. Writes use {@code MSG_NOSIGNAL}, so a
 * closed peer is an exception, never a SIGPIPE.
 */
public final class TcpStream extends FdStream {
    private final InetSocketAddress remote;
    private InetSocketAddress local;

    TcpStream(int fd, InetSocketAddress remote) {
        super(fd, Access.READ_WRITE, Transfer.SOCKET, "tcp connection to " + SockAddr.format(remote));
        this.remote = remote;
    }

    /**
     * Resolves {@code host} (an IP literal needs no lookup) and connects to the first
     * address that accepts, happy-eyeballs style.
     *
     * @throws java.net.UnknownHostException if the host has no address
     * @throws java.net.ConnectException if every address failed (each failure is suppressed in it)
     */
    public static TcpStream connect(String host, int port) throws IOException {
        checkPort(port);
        return connect(host, port, Dns.resolve(host));
    }

    /**
     * Connects to {@code host}'s {@code addresses}, found by a resolver of the caller's
     * own (a test's, a service registry's), happy-eyeballs style as
     * {@link #connect(String, int)} does with the system resolver's: in their order,
     * families interleaved, the next attempt on a failure or after 250 ms.
     *
     * @param host      the name the addresses belong to, for the error messages
     * @param port      the port, 0 to 65535
     * @param addresses where to connect, at least one
     * @throws java.net.ConnectException if every address failed; its message names
     *         {@code host} and each address with its error, each failure suppressed in it
     * @throws IllegalArgumentException if {@code addresses} is empty or the port is out of range
     */
    public static TcpStream connect(String host, int port, List<InetAddress> addresses) throws IOException {
        Objects.requireNonNull(host, "host");
        Objects.requireNonNull(addresses, "addresses");
        checkPort(port);
        if (addresses.isEmpty()) throw new IllegalArgumentException("no addresses to connect to " + host + " at");
        List<InetSocketAddress> candidates = new ArrayList<>(addresses.size());
        for (InetAddress a : addresses) candidates.add(new InetSocketAddress(Objects.requireNonNull(a, "address"), port));
        return HappyEyeballs.connect(host + ":" + port, candidates);
    }

    /**
     * Connects to one address; an unresolved one is resolved first, as by
     * {@link #connect(String, int)}.
     */
    public static TcpStream connect(InetSocketAddress address) throws IOException {
        Objects.requireNonNull(address, "address");
        if (address.isUnresolved()) return connect(address.getHostString(), address.getPort());
        return connectOne(address);
    }

    /**
     * Tries {@code candidates} happy-eyeballs style: families interleaved, the next
     * attempt started when the previous one failed or after {@code attemptDelay}.
     *
     * @throws java.net.ConnectException if every address failed
     */
    public static TcpStream connect(List<InetSocketAddress> candidates, Duration attemptDelay) throws IOException {
        Objects.requireNonNull(candidates, "candidates");
        if (candidates.isEmpty()) throw new IllegalArgumentException("no addresses to connect to");
        return HappyEyeballs.connect(SockAddr.format(candidates.getFirst()), candidates, attemptDelay);
    }

    static TcpStream connectOne(InetSocketAddress address) throws IOException {
        int family = SockAddr.family(address);
        int fd = Sockets.open(family, Constants.SOCK_STREAM, address);
        Sockets.orClose(fd, () -> Sockets.connect(fd, family, address));
        return new TcpStream(fd, address);
    }

    static void checkPort(int port) {
        if (port < 0 || port > 65535) throw new IllegalArgumentException("port " + port + " is out of range 0..65535");
    }

    /** The peer's address (IPv4-mapped IPv6 peers of a dual-stack listener show as IPv4). */
    public InetSocketAddress remoteAddress() {
        return remote;
    }

    /** This end's address (the kernel picks the port of a connecting socket). */
    public InetSocketAddress localAddress() throws IOException {
        if (local == null) local = (InetSocketAddress) Sockets.address(fd(), false, remote);
        return local;
    }

    /** TCP_NODELAY: send small writes at once instead of coalescing them (Nagle's algorithm). */
    public void setNoDelay(boolean on) throws IOException {
        Sockets.setOption(fd(), Constants.IPPROTO_TCP, Constants.TCP_NODELAY, on ? 1 : 0, "TCP_NODELAY", remote);
    }

    /** Whether TCP_NODELAY is set. */
    public boolean noDelay() throws IOException {
        return Sockets.getOption(fd(), Constants.IPPROTO_TCP, Constants.TCP_NODELAY, "TCP_NODELAY", remote) != 0;
    }

    /** SO_KEEPALIVE with the system's timings (Linux: first probe after 2 hours idle). */
    public void setKeepAlive(boolean on) throws IOException {
        Sockets.setOption(fd(), Constants.SOL_SOCKET, Constants.SO_KEEPALIVE, on ? 1 : 0, "SO_KEEPALIVE", remote);
    }

    /**
     * SO_KEEPALIVE with explicit timings: the first probe after {@code idle} without
     * traffic, then one every {@code interval}; the connection fails with ETIMEDOUT
     * after {@code probes} unanswered ones. Durations are rounded up to whole seconds.
     */
    public void setKeepAlive(Duration idle, Duration interval, int probes) throws IOException {
        if (probes < 1) throw new IllegalArgumentException("probes must be at least 1, got " + probes);
        setKeepAlive(true);
        Sockets.setOption(fd(), Constants.IPPROTO_TCP, Constants.TCP_KEEPIDLE, seconds(idle, "idle"), "TCP_KEEPIDLE", remote);
        Sockets.setOption(fd(), Constants.IPPROTO_TCP, Constants.TCP_KEEPINTVL, seconds(interval, "interval"), "TCP_KEEPINTVL", remote);
        Sockets.setOption(fd(), Constants.IPPROTO_TCP, Constants.TCP_KEEPCNT, probes, "TCP_KEEPCNT", remote);
    }

    private static int seconds(Duration d, String what) {
        if (d.isNegative() || d.isZero()) throw new IllegalArgumentException(what + " must be positive, got " + d);
        long s = d.plusNanos(999_999_999).getSeconds();
        if (s > 32767) throw new IllegalArgumentException(what + " must be at most 32767 seconds, got " + d);
        return (int) s;
    }

    /** Whether SO_KEEPALIVE is set. */
    public boolean keepAlive() throws IOException {
        return Sockets.getOption(fd(), Constants.SOL_SOCKET, Constants.SO_KEEPALIVE, "SO_KEEPALIVE", remote) != 0;
    }

    /**
     * Closes abruptly: unsent data is dropped and the peer gets a RST, so its next
     * read or write fails with "connection reset by peer" (SO_LINGER 0, then close).
     */
    public void reset() throws IOException {
        if (!isOpen()) return;
        SocketSyscalls.get().setLinger(fd(), 0);
        close();
    }

    @Override
    protected IOException failure(String call, int errno) {
        String what = switch (call) {
            case "recv" -> "recv from";
            case "send" -> "send to";
            case "shutdown(SHUT_WR)" -> "shutdown(SHUT_WR) of connection to";
            default -> call + " of connection to";
        };
        return NetErrors.of(what, remote, "(fd " + fd() + ")", errno);
    }

    @Override
    public String toString() {
        return "TcpStream[" + SockAddr.format(remote) + ", fd " + fd() + (isOpen() ? "" : ", closed") + "]";
    }
}
