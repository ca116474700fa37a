package xiio.net;

import java.io.IOException;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.Objects;
import xiio.unix.Errno;
import xiio.unix.sys.Constants;

/**
 * A listening TCP socket. {@link #accept()} waits for a connection and returns it as
 * a {@link TcpStream}.
 *
 * <p>Binding {@code ::} (the default of {@link #bind(int)}) is dual-stack: IPv4
 * clients arrive as IPv4-mapped addresses, reported as plain IPv4. Set
 * {@link Options#ipv6Only()} to listen on IPv6 alone.
 *
 * {@snippet :
 * try (TcpListener listener = TcpListener.bind(new InetSocketAddress("127.0.0.1", 0))) {
 *     int port = listener.localAddress().getPort();
 *     TaskGroup.scope(group -> {
 *         while (true) {
 *             TcpStream conn = listener.accept();
 *             group.spawn(() -> {
 *                 try (conn) {
 *                     byte[] buf = new byte[4096];
 *                     for (int n; (n = conn.read(buf, 0, buf.length)) > 0; ) conn.writeAll(buf, 0, n);
 *                 }
 *                 return null;
 *             });
 *         }
 *     });
 * }
 * }
 */
public final class TcpListener implements AutoCloseable {
    /**
     * How to listen.
     *
     * @param backlog      pending connections the kernel queues (Linux caps it at {@code net.core.somaxconn})
     * @param reuseAddress SO_REUSEADDR: rebind a port at once while old connections are in TIME_WAIT
     * @param reusePort    SO_REUSEPORT: several listeners (one run per core) share the port; the kernel spreads connections
     * @param ipv6Only     IPV6_V6ONLY on an IPv6 address: no IPv4-mapped clients
     */
    public record Options(int backlog, boolean reuseAddress, boolean reusePort, boolean ipv6Only) {
        /** Backlog 4096, SO_REUSEADDR on (as the JDK does on Unix), SO_REUSEPORT off, dual-stack. */
        public static final Options DEFAULT = new Options(4096, true, false, false);

        public Options {
            if (backlog < 1) throw new IllegalArgumentException("backlog must be at least 1, got " + backlog);
        }

        /** A copy with another backlog. */
        public Options withBacklog(int backlog) {
            return new Options(backlog, reuseAddress, reusePort, ipv6Only);
        }

        /** A copy with SO_REUSEADDR set or not. */
        public Options withReuseAddress(boolean on) {
            return new Options(backlog, on, reusePort, ipv6Only);
        }

        /** A copy with SO_REUSEPORT set or not. */
        public Options withReusePort(boolean on) {
            return new Options(backlog, reuseAddress, on, ipv6Only);
        }

        /** A copy with IPV6_V6ONLY set or not. */
        public Options withIpv6Only(boolean on) {
            return new Options(backlog, reuseAddress, reusePort, on);
        }
    }

    private final Acceptor acceptor;

    private TcpListener(Acceptor acceptor) {
        this.acceptor = acceptor;
    }

    /**
     * Listens on {@code port} of every interface, IPv6 and IPv4 (dual-stack {@code ::});
     * on a host without IPv6, on {@code 0.0.0.0}. Port 0 picks a free port.
     */
    public static TcpListener bind(int port) throws IOException {
        TcpStream.checkPort(port);
        try {
            return bind(new InetSocketAddress(InetAddress.ofLiteral("::"), port), Options.DEFAULT);
        } catch (IOException e) {
            if (NetErrors.errno(e) != Errno.EAFNOSUPPORT) throw e;
            return bind(new InetSocketAddress(InetAddress.ofLiteral("0.0.0.0"), port), Options.DEFAULT);
        }
    }

    /** Listens on {@code address} with {@link Options#DEFAULT}. */
    public static TcpListener bind(InetSocketAddress address) throws IOException {
        return bind(address, Options.DEFAULT);
    }

    /**
     * Listens on {@code address} with {@code options}.
     *
     * @throws java.net.BindException if the address is in use or not local (the message names it)
     */
    public static TcpListener bind(InetSocketAddress address, Options options) throws IOException {
        Objects.requireNonNull(address, "address");
        Objects.requireNonNull(options, "options");
        SockAddr.inet(address); // fails clearly on an unresolved address
        int family = SockAddr.family(address);
        int fd = Sockets.open(family, Constants.SOCK_STREAM, address);
        InetSocketAddress[] local = new InetSocketAddress[1];
        Sockets.orClose(fd, () -> {
            if (options.reuseAddress()) Sockets.setOption(fd, Constants.SOL_SOCKET, Constants.SO_REUSEADDR, 1, "SO_REUSEADDR", address);
            if (options.reusePort()) Sockets.setOption(fd, Constants.SOL_SOCKET, Constants.SO_REUSEPORT, 1, "SO_REUSEPORT", address);
            if (address.getAddress() instanceof Inet6Address) {
                Sockets.setOption(fd, Constants.IPPROTO_IPV6, Constants.IPV6_V6ONLY, options.ipv6Only() ? 1 : 0, "IPV6_V6ONLY", address);
            }
            Sockets.bind(fd, family, address);
            int r = xiio.unix.sys.SocketSyscalls.get().listen(fd, options.backlog());
            if (r < 0) throw NetErrors.of("listen on", address, "", -r);
            local[0] = (InetSocketAddress) Sockets.address(fd, false, address);
        });
        return new TcpListener(new Acceptor(fd, local[0], "tcp"));
    }

    /**
     * Waits for a connection and returns it. Cancel-safe: a cancelled accept leaves the
     * pending connection queued for the next one.
     *
     * <p>Running out of fds (EMFILE, ENFILE) or socket memory is not an error here: it
     * passes when connections close, so accept logs a warning (logger
     * {@code xiio.net}), pauses (5 ms, doubling up to 1 s) and tries again, and a
     * server's accept loop keeps serving once fds are free. Close the listener or
     * cancel the accept to stop waiting.
     *
     * @throws IOException if the listener is closed (also while waiting or pausing), or
     *         accept fails otherwise
     */
    public TcpStream accept() throws IOException {
        int fd = acceptor.accept();
        return new TcpStream(fd, (InetSocketAddress) acceptor.peer());
    }

    /**
     * A connection that is already waiting to be accepted, without suspending: for a
     * server that takes a burst of clients at once (after an {@link #accept()} returned)
     * rather than one per wakeup of its loop. Not a suspension point, so it is never
     * cancelled; bound the burst yourself (a flood of connections would otherwise keep
     * the loop in your accept loop).
     *
     * {@snippet :
     * TcpStream first = listener.accept();              // waits
     * List<TcpStream> burst = new ArrayList<>(List.of(first));
     * for (TcpStream more; burst.size() < 64 && (more = listener.tryAccept()) != null; ) burst.add(more);
     * }
     *
     * @return the connection, or null if none is waiting (or taking it failed in a way
     *         {@link #accept()} waits out, such as running out of fds)
     * @throws IOException if the listener is closed, or accept fails otherwise
     */
    public TcpStream tryAccept() throws IOException {
        int fd = acceptor.tryAccept();
        return fd < 0 ? null : new TcpStream(fd, (InetSocketAddress) acceptor.peer());
    }

    /** The address it listens on, with the port the kernel picked for port 0. */
    public InetSocketAddress localAddress() {
        return (InetSocketAddress) acceptor.local;
    }

    /** The listening fd (stays owned by the listener). */
    public int fd() {
        return acceptor.fd;
    }

    /** Stops listening; coroutines waiting in {@link #accept()} fail. Idempotent. */
    @Override
    public void close() throws IOException {
        acceptor.close();
    }

    @Override
    public String toString() {
        return "TcpListener[" + SockAddr.format(acceptor.local) + ", fd " + acceptor.fd + (acceptor.isClosed() ? ", closed" : "") + "]";
    }
}
