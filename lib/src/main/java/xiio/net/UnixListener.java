package xiio.net;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Objects;
import xiio.unix.sys.Constants;

/**
 * A listening Unix domain stream socket, on a path or an abstract name.
 *
 * <p>Binding a path creates a socket file; {@link #close()} deletes it again (as Go
 * does), so a restarted server can bind the same path. A file left behind by a
 * crashed server makes {@link #bind} fail with "address in use": delete it first if
 * no server runs there. Abstract names need no cleanup: they vanish with the socket.
 *
 * {@snippet :
 * try (UnixListener listener = UnixListener.bind(UnixAddress.ofAbstract("my-app"))) {
 *     try (UnixStream conn = listener.accept()) {
 *         conn.writeAll("hi\n".getBytes(), 0, 3);
 *     }
 * }
 * }
 */
public final class UnixListener implements AutoCloseable {
    private final Acceptor acceptor;
    private final UnixAddress address;

    private UnixListener(Acceptor acceptor, UnixAddress address) {
        this.acceptor = acceptor;
        this.address = address;
    }

    /** Listens on {@code address} with a backlog of 4096. */
    public static UnixListener bind(UnixAddress address) throws IOException {
        return bind(address, 4096);
    }

    /**
     * Listens on {@code address}.
     *
     * @throws java.net.BindException if the path or name is taken (the message names it)
     */
    public static UnixListener bind(UnixAddress address, int backlog) throws IOException {
        Objects.requireNonNull(address, "address");
        if (address.isUnnamed()) throw new IllegalArgumentException("cannot listen on an unnamed Unix address");
        if (backlog < 1) throw new IllegalArgumentException("backlog must be at least 1, got " + backlog);
        int fd = Sockets.open(Constants.AF_UNIX, Constants.SOCK_STREAM, address);
        Sockets.orClose(fd, () -> {
            Sockets.bind(fd, Constants.AF_UNIX, address);
            int r = xiio.unix.sys.SocketSyscalls.get().listen(fd, backlog);
            if (r < 0) {
                deleteSocketFile(address);
                throw NetErrors.of("listen on", address, "", -r);
            }
        });
        return new UnixListener(new Acceptor(fd, address, "unix"), address);
    }

    /**
     * Waits for a connection and returns it; cancel-safe, and pausing while the process
     * is out of fds, like {@link TcpListener#accept()}.
     */
    public UnixStream accept() throws IOException {
        int fd = acceptor.accept();
        return new UnixStream(fd, (UnixAddress) acceptor.peer());
    }

    /** The address it listens on. */
    public UnixAddress localAddress() {
        return address;
    }

    /** The listening fd (stays owned by the listener). */
    public int fd() {
        return acceptor.fd;
    }

    /** Stops listening and deletes the socket file of a path address. Idempotent. */
    @Override
    public void close() throws IOException {
        if (acceptor.isClosed()) return;
        try {
            acceptor.close();
        } finally {
            deleteSocketFile(address);
        }
    }

    private static void deleteSocketFile(UnixAddress address) {
        Path path = address.path().orElse(null);
        if (path == null) return;
        try {
            Files.deleteIfExists(path);
        } catch (IOException ignored) {
            // a file we cannot delete is the next bind's (clear) EADDRINUSE
        }
    }

    @Override
    public String toString() {
        return "UnixListener[" + address + ", fd " + acceptor.fd + (acceptor.isClosed() ? ", closed" : "") + "]";
    }
}
