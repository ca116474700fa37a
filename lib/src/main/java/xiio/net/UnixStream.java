package xiio.net;

import java.io.IOException;
import java.util.Objects;
import xiio.io.FdStream;
import xiio.unix.sys.Constants;

/**
 * A Unix domain stream socket connection: a {@link FdStream} over {@code AF_UNIX},
 * {@code SOCK_STREAM}, to a path or a Linux abstract name ({@link UnixAddress}).
 * Errors name the address, as for {@link TcpStream}.
 *
 * {@snippet :
 * try (UnixStream conn = UnixStream.connect(UnixAddress.of(Path.of("/run/app.sock")))) {
 *     conn.writeAll(request, 0, request.length);
 *     conn.shutdownOutput();
 *     String reply = new StreamReader(conn).readLine(4096);
 * }
 * }
 *
 * <p>When the listener's backlog is full, a Unix connect answers EAGAIN and the kernel
 * offers no event for "room again": the connect then retries with a growing sleep
 * (0.5 ms up to 100 ms) until it succeeds or the surrounding scope cancels it.
 */
public final class UnixStream extends FdStream {
    private final UnixAddress remote;

    UnixStream(int fd, UnixAddress remote) {
        super(fd, Access.READ_WRITE, Transfer.SOCKET, "unix connection to " + remote);
        this.remote = remote;
    }

    /**
     * Connects to a listening socket at {@code address}.
     *
     * @throws java.net.ConnectException if nothing listens there (ECONNREFUSED) or
     *         the path does not exist (ENOENT, as a {@link java.net.SocketException})
     */
    public static UnixStream connect(UnixAddress address) throws IOException {
        Objects.requireNonNull(address, "address");
        if (address.isUnnamed()) throw new IllegalArgumentException("cannot connect to an unnamed Unix address");
        int fd = Sockets.open(Constants.AF_UNIX, Constants.SOCK_STREAM, address);
        Sockets.orClose(fd, () -> Sockets.connect(fd, Constants.AF_UNIX, address));
        return new UnixStream(fd, address);
    }

    /** The listener's address (for an accepted connection: the client's, usually unnamed). */
    public UnixAddress remoteAddress() {
        return remote;
    }

    /** This end's address (unnamed for a connecting socket). */
    public UnixAddress localAddress() throws IOException {
        return (UnixAddress) Sockets.address(fd(), false, remote);
    }

    @Override
    protected IOException failure(String call, int errno) {
        String what = switch (call) {
            case "recv" -> "recv from";
            case "send" -> "send to";
            default -> call + " of connection to";
        };
        return NetErrors.of(what, remote, "(fd " + fd() + ")", errno);
    }

    @Override
    public String toString() {
        return "UnixStream[" + remote + ", fd " + fd() + (isOpen() ? "" : ", closed") + "]";
    }
}
