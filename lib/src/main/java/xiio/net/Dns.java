package xiio.net;

import java.io.IOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;
import java.util.Objects;
import xiio.thread.ThreadPool;

/**
 * Host name resolution without blocking the loop: the JDK resolver
 * ({@link InetAddress#getAllByName}, which honours {@code /etc/hosts}, nsswitch and the
 * JDK's cache) runs on a worker of a {@link ThreadPool}, which wakes the loop through
 * an eventfd when it is done. IP literals are parsed in place, without a thread.
 *
 * <p>{@link #resolve(String)} uses a pool of its own, {@code xiio-dns}, of at most
 * {@link #POOL_WORKERS} workers, not {@link ThreadPool#common()}: a lookup cannot be
 * interrupted, so a resolver that stops answering holds a worker per lookup until
 * it times out (seconds to minutes); on their own pool, hung lookups delay only other
 * lookups, never a TLS handshake or a {@link ThreadPool#runInThread} call.
 *
 * <p>Cancelling the awaiting coroutine (e.g. by a timeout) returns at once; the
 * lookup cannot be interrupted, so it finishes on its worker, its result is dropped,
 * and the eventfd is closed by whichever side ends last: neither the thread nor the
 * fd leaks.
 *
 * {@snippet :
 * List<InetAddress> addresses = Timeout.withTimeout(Duration.ofSeconds(2), () -> Dns.resolve("localhost"));
 * }
 */
public final class Dns {
    /** The most lookups {@link #resolve(String)} runs at once: 4, or twice the CPUs if more. */
    public static final int POOL_WORKERS = Math.max(4, 2 * Runtime.getRuntime().availableProcessors());

    private static final class Pool {
        static final ThreadPool LOOKUPS = ThreadPool.daemon("xiio-dns", POOL_WORKERS);
    }

    private Dns() {}

    /** Resolves {@code host} on the lookups' own pool ({@code xiio-dns}); see {@link #resolve(String, ThreadPool)}. */
    public static List<InetAddress> resolve(String host) throws IOException {
        return resolve(host, Pool.LOOKUPS);
    }

    /**
     * Resolves {@code host} on {@code pool}: all its addresses, in the resolver's order.
     *
     * @throws UnknownHostException if the host has no address (the message names it)
     * @throws IllegalArgumentException if {@code host} is empty
     */
    public static List<InetAddress> resolve(String host, ThreadPool pool) throws IOException {
        Objects.requireNonNull(host, "host");
        Objects.requireNonNull(pool, "pool");
        if (host.isEmpty()) throw new IllegalArgumentException("host name must not be empty");
        InetAddress literal = literal(host);
        if (literal != null) return List.of(literal);
        InetAddress[] found;
        try {
            found = pool.call(() -> InetAddress.getAllByName(host));
        } catch (UnknownHostException e) {
            UnknownHostException clear = new UnknownHostException("cannot resolve host '" + host + "': " + e.getMessage());
            clear.initCause(e);
            throw clear;
        } catch (IOException | RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new IOException("resolving host '" + host + "' failed", e);
        }
        return List.of(found);
    }

    /** The address if {@code host} is an IPv4 or IPv6 literal (brackets allowed), else null. */
    static InetAddress literal(String host) {
        String h = host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
        try {
            return InetAddress.ofLiteral(h);
        } catch (IllegalArgumentException notALiteral) {
            return null;
        }
    }
}
