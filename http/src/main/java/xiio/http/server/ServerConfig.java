package xiio.http.server;

import java.time.Duration;
import java.util.Objects;

/**
 * The limits and timeouts of an {@link HttpServer}. Each limit, when breached, is
 * answered with its 4xx status and the connection is closed.
 *
 * <table class="striped">
 * <caption>Defaults</caption>
 * <tr><th>limit</th><th>default</th><th>on breach</th></tr>
 * <tr><td>{@code maxRequestLine}</td><td>8 KiB</td><td>414</td></tr>
 * <tr><td>{@code maxHeaderBytes}</td><td>16 KiB</td><td>431</td></tr>
 * <tr><td>{@code maxHeaderFields}</td><td>100</td><td>431</td></tr>
 * <tr><td>{@code maxBodyBytes}</td><td>1 MiB</td><td>413 (before reading it when the length is declared)</td></tr>
 * <tr><td>{@code headTimeout}</td><td>10 s</td><td>408: the head's first byte to its last (slowloris)</td></tr>
 * <tr><td>{@code idleTimeout}</td><td>30 s</td><td>closed quietly: waiting for the first byte of the next request</td></tr>
 * <tr><td>{@code bodyTimeout}</td><td>30 s</td><td>408: a request body read that gets no byte for this long</td></tr>
 * <tr><td>{@code maxBodyDuration}</td><td>2 min</td><td>408: the handler's reads of one request body waited this long in all</td></tr>
 * <tr><td>{@code writeTimeout}</td><td>30 s</td><td>closed: the client took no response byte for this long</td></tr>
 * <tr><td>{@code gracePeriod}</td><td>10 s</td><td>requests still running at a graceful shutdown are cancelled</td></tr>
 * </table>
 *
 * {@snippet :
 * ServerConfig config = ServerConfig.DEFAULT.withMaxBodyBytes(64 << 20).withIdleTimeout(Duration.ofSeconds(5));
 * }
 *
 * <p>{@code bodyTimeout} alone does not bound a body: a client that sends one byte
 * a little more often than that keeps every read alive and holds its handler (and a
 * graceful shutdown) for as long as it likes. {@code maxBodyDuration} caps the time
 * the handler's reads spend waiting for the body in all; the time the handler spends
 * between reads (writing what it read to a slow disk, say) is its own and does not
 * count. Its default takes the default largest body, 1 MiB, at 8.5 KiB/s, slower
 * than a poor mobile uplink; raise it with {@code maxBodyBytes} for large uploads.
 * nginx's {@code client_body_timeout} and Jetty's idle timeout are per-read limits
 * like {@code bodyTimeout}; Kestrel bounds the whole body by a minimum data rate
 * (240 B/s after 5 s) instead, and Jetty offers one ({@code minRequestDataRate}, off
 * by default).
 *
 * @param maxRequestLine  the longest request line, in bytes without its CRLF
 * @param maxHeaderBytes  the largest header section, in bytes
 * @param maxHeaderFields the most header fields
 * @param maxBodyBytes    the largest request body, in bytes
 * @param headTimeout     how long a request head may take from its first byte
 * @param idleTimeout     how long a kept-alive connection may wait for its next request
 * @param bodyTimeout     how long one read of a request body may wait for a byte
 * @param maxBodyDuration how long the reads of one request body may wait in all
 * @param writeTimeout    how long a client may take no bytes of a response
 * @param gracePeriod     how long in-flight requests may take to finish at a graceful shutdown
 * @param serverName      the {@code Server} header's value, or null to send none
 */
public record ServerConfig(int maxRequestLine, int maxHeaderBytes, int maxHeaderFields, long maxBodyBytes,
        Duration headTimeout, Duration idleTimeout, Duration bodyTimeout, Duration maxBodyDuration, Duration writeTimeout,
        Duration gracePeriod, String serverName) {
    /** The defaults of the table above, with {@code Server: xiio}. */
    public static final ServerConfig DEFAULT = new ServerConfig(8192, 16 * 1024, 100, 1 << 20, Duration.ofSeconds(10),
            Duration.ofSeconds(30), Duration.ofSeconds(30), Duration.ofMinutes(2), Duration.ofSeconds(30), Duration.ofSeconds(10), "xiio");

    /** Checks every value; a mistake names the component. */
    public ServerConfig {
        if (maxRequestLine < 16) throw new IllegalArgumentException("maxRequestLine must be at least 16, got " + maxRequestLine);
        if (maxHeaderBytes < 64) throw new IllegalArgumentException("maxHeaderBytes must be at least 64, got " + maxHeaderBytes);
        if (maxHeaderFields < 1) throw new IllegalArgumentException("maxHeaderFields must be at least 1, got " + maxHeaderFields);
        if (maxBodyBytes < 0) throw new IllegalArgumentException("maxBodyBytes must be >= 0, got " + maxBodyBytes);
        positive("headTimeout", headTimeout);
        positive("idleTimeout", idleTimeout);
        positive("bodyTimeout", bodyTimeout);
        positive("maxBodyDuration", maxBodyDuration);
        positive("writeTimeout", writeTimeout);
        Objects.requireNonNull(gracePeriod, "gracePeriod");
        if (gracePeriod.isNegative()) throw new IllegalArgumentException("gracePeriod must not be negative, got " + gracePeriod);
        if (serverName != null && serverName.chars().anyMatch(c -> c < 0x20 || c > 0x7e)) {
            throw new IllegalArgumentException("serverName must be printable ASCII, got \"" + serverName + "\"");
        }
    }

    private static void positive(String name, Duration d) {
        Objects.requireNonNull(d, name);
        if (d.isNegative() || d.isZero()) throw new IllegalArgumentException(name + " must be positive, got " + d);
    }

    /** @param v the new value @return a copy with {@code maxRequestLine} = v */
    public ServerConfig withMaxRequestLine(int v) {
        return new ServerConfig(v, maxHeaderBytes, maxHeaderFields, maxBodyBytes, headTimeout, idleTimeout, bodyTimeout, maxBodyDuration, writeTimeout, gracePeriod, serverName);
    }

    /** @param v the new value @return a copy with {@code maxHeaderBytes} = v */
    public ServerConfig withMaxHeaderBytes(int v) {
        return new ServerConfig(maxRequestLine, v, maxHeaderFields, maxBodyBytes, headTimeout, idleTimeout, bodyTimeout, maxBodyDuration, writeTimeout, gracePeriod, serverName);
    }

    /** @param v the new value @return a copy with {@code maxHeaderFields} = v */
    public ServerConfig withMaxHeaderFields(int v) {
        return new ServerConfig(maxRequestLine, maxHeaderBytes, v, maxBodyBytes, headTimeout, idleTimeout, bodyTimeout, maxBodyDuration, writeTimeout, gracePeriod, serverName);
    }

    /** @param v the new value @return a copy with {@code maxBodyBytes} = v */
    public ServerConfig withMaxBodyBytes(long v) {
        return new ServerConfig(maxRequestLine, maxHeaderBytes, maxHeaderFields, v, headTimeout, idleTimeout, bodyTimeout, maxBodyDuration, writeTimeout, gracePeriod, serverName);
    }

    /** @param v the new value @return a copy with {@code headTimeout} = v */
    public ServerConfig withHeadTimeout(Duration v) {
        return new ServerConfig(maxRequestLine, maxHeaderBytes, maxHeaderFields, maxBodyBytes, v, idleTimeout, bodyTimeout, maxBodyDuration, writeTimeout, gracePeriod, serverName);
    }

    /** @param v the new value @return a copy with {@code idleTimeout} = v */
    public ServerConfig withIdleTimeout(Duration v) {
        return new ServerConfig(maxRequestLine, maxHeaderBytes, maxHeaderFields, maxBodyBytes, headTimeout, v, bodyTimeout, maxBodyDuration, writeTimeout, gracePeriod, serverName);
    }

    /** @param v the new value @return a copy with {@code bodyTimeout} = v */
    public ServerConfig withBodyTimeout(Duration v) {
        return new ServerConfig(maxRequestLine, maxHeaderBytes, maxHeaderFields, maxBodyBytes, headTimeout, idleTimeout, v, maxBodyDuration, writeTimeout, gracePeriod, serverName);
    }

    /** @param v the new value @return a copy with {@code maxBodyDuration} = v */
    public ServerConfig withMaxBodyDuration(Duration v) {
        return new ServerConfig(maxRequestLine, maxHeaderBytes, maxHeaderFields, maxBodyBytes, headTimeout, idleTimeout, bodyTimeout, v, writeTimeout, gracePeriod, serverName);
    }

    /** @param v the new value @return a copy with {@code writeTimeout} = v */
    public ServerConfig withWriteTimeout(Duration v) {
        return new ServerConfig(maxRequestLine, maxHeaderBytes, maxHeaderFields, maxBodyBytes, headTimeout, idleTimeout, bodyTimeout, maxBodyDuration, v, gracePeriod, serverName);
    }

    /** @param v the new value @return a copy with {@code gracePeriod} = v */
    public ServerConfig withGracePeriod(Duration v) {
        return new ServerConfig(maxRequestLine, maxHeaderBytes, maxHeaderFields, maxBodyBytes, headTimeout, idleTimeout, bodyTimeout, maxBodyDuration, writeTimeout, v, serverName);
    }

    /** @param v the new value, or null for no {@code Server} header @return a copy with {@code serverName} = v */
    public ServerConfig withServerName(String v) {
        return new ServerConfig(maxRequestLine, maxHeaderBytes, maxHeaderFields, maxBodyBytes, headTimeout, idleTimeout, bodyTimeout, maxBodyDuration, writeTimeout, gracePeriod, v);
    }
}
