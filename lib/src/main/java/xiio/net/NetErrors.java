package xiio.net;

import java.io.IOException;
import java.net.BindException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.SocketAddress;
import java.net.SocketException;
import xiio.unix.Errno;
import xiio.unix.ErrnoException;

/**
 * Socket failures as the JDK's exception types, so code written against
 * {@code java.net} catches them as it always has: {@link ConnectException} for a
 * refused or timed-out connect, {@link NoRouteToHostException} for an unreachable
 * host or network, {@link BindException} for an address in use or not available,
 * {@link SocketException} for the rest (reset by peer, broken pipe, ...).
 *
 * <p>The message names the operation, the address and the errno, e.g.
 * {@code "connect to 127.0.0.1:9: ECONNREFUSED (Connection refused)"}; the cause
 * is an {@link ErrnoException} that carries the errno as a number.
 */
final class NetErrors {
    private NetErrors() {}

    /**
     * @param what    the operation and its preposition, e.g. {@code "connect to"}, {@code "recv from"}
     * @param address the address the operation was about, or null
     * @param detail  extra words after the address, e.g. {@code "(fd 7)"}, or empty
     */
    static IOException of(String what, SocketAddress address, String detail, int errno) {
        String subject = what + (address == null ? "" : " " + SockAddr.format(address)) + (detail.isEmpty() ? "" : " " + detail);
        ErrnoException cause = new ErrnoException(subject, errno);
        String message = cause.getMessage() + hint(errno);
        SocketException e = switch (errno) {
            case Errno.ECONNREFUSED, Errno.ETIMEDOUT -> what.startsWith("connect") ? new ConnectException(message) : new SocketException(message);
            case Errno.EHOSTUNREACH, Errno.ENETUNREACH, Errno.EHOSTDOWN, Errno.ENETDOWN -> new NoRouteToHostException(message);
            case Errno.EADDRINUSE, Errno.EADDRNOTAVAIL -> new BindException(message);
            default -> new SocketException(message);
        };
        e.initCause(cause);
        return e;
    }

    private static String hint(int errno) {
        return switch (errno) {
            case Errno.ECONNREFUSED -> ": nothing listens there";
            case Errno.ECONNRESET -> ": the peer closed the connection abruptly";
            case Errno.EPIPE -> ": the peer has closed the connection";
            case Errno.EADDRINUSE -> ": another socket is bound to it (or set SO_REUSEPORT on both)";
            case Errno.EADDRNOTAVAIL -> ": no local interface has that address";
            default -> "";
        };
    }

    /** The errno of a failure made here, or 0. */
    static int errno(Throwable t) {
        return t.getCause() instanceof ErrnoException e ? e.errno() : 0;
    }
}
