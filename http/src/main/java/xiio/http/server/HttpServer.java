package xiio.http.server;

import java.io.IOException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.Objects;
import java.util.Set;
import xiio.concurrent.Event;
import xiio.concurrent.Task;
import xiio.concurrent.TaskGroup;
import xiio.core.CancelScope;
import xiio.http.HttpDate;
import xiio.http.HttpHeadParser;
import xiio.io.ByteStream;
import xiio.net.TcpListener;
import xiio.net.TcpStream;
import xiio.tls.TlsConfig;
import xiio.tls.TlsStream;

/**
 * An HTTP/1.1 server on one loop: one coroutine per connection, each request handled
 * by a {@link Handler} in a cancel scope of its own (see {@link Handler} for what
 * cancels it). Persistent connections, pipelining (answers in order), Content-Length
 * and chunked bodies both ways, {@code Expect: 100-continue}, {@code HEAD}, HTTP/1.0
 * clients, and the limits of {@link ServerConfig}.
 *
 * {@snippet :
 * Router router = new Router().get("/hello/{name}", r -> Response.text(200, "hello " + r.param("name") + "\n"));
 * Xiio.run(() -> {
 *     HttpServer server = new HttpServer(router, ServerConfig.DEFAULT);
 *     server.serve(TcpListener.bind(8080));     // until server.shutdown() or cancellation
 *     return null;
 * });
 * }
 *
 * <p><b>Graceful shutdown.</b> {@link #shutdown()} stops accepting (the listener is
 * closed, so new clients are refused rather than left in the backlog), closes idle
 * keep-alive connections, and lets requests in flight finish within the grace
 * period; what still runs then is cancelled, and {@link #serve} returns. Cancelling
 * {@code serve} itself ends every connection at once. An instance belongs to the loop
 * that runs {@code serve}: call {@code shutdown} there (from another loop, hand it
 * over with {@link xiio.thread.LoopGroup.Loop#submit}).
 *
 * <p>For several cores, run one server per loop of a {@link xiio.thread.LoopGroup},
 * each with its own listener bound with SO_REUSEPORT.
 */
public final class HttpServer {
    private static final System.Logger LOG = System.getLogger("xiio.http.server");
    /** Connections accepted per wakeup of the acceptor at most, so a flood of them cannot hold the loop. */
    private static final int ACCEPT_BURST = 64;

    private final Handler handler;
    private final ServerConfig config;
    private final HttpHeadParser parser;
    private final HttpDate date = new HttpDate(Clock.systemUTC());
    private final Set<Connection> open = new LinkedHashSet<>();
    private final Event stop = new Event();
    private final Event allClosed = new Event();
    private AccessLog accessLog = AccessLog.NONE;
    private boolean serving, draining;

    /**
     * A server answering with {@code handler} within {@code config}'s limits.
     *
     * @param handler answers every request (a {@link Router}, say)
     * @param config  limits and timeouts
     */
    public HttpServer(Handler handler, ServerConfig config) {
        this.handler = Objects.requireNonNull(handler, "handler");
        this.config = Objects.requireNonNull(config, "config");
        this.parser = new HttpHeadParser(config.maxRequestLine(), config.maxHeaderBytes(), config.maxHeaderFields());
    }

    /**
     * Reports each request and dropped connection to {@code log}.
     *
     * @param log the access log
     * @return this
     */
    public HttpServer withAccessLog(AccessLog log) {
        this.accessLog = Objects.requireNonNull(log, "log");
        return this;
    }

    /**
     * Serves plain HTTP on {@code listener} until {@link #shutdown()} has finished or the
     * caller is cancelled; closes the listener.
     *
     * @param listener where connections come from; this method owns it
     * @return the number of requests still running when the grace period ran out (cancelled)
     * @throws IllegalStateException if this server serves already
     * @throws Exception if accepting fails
     */
    public int serve(TcpListener listener) throws Exception {
        return serve(listener, null);
    }

    /**
     * Serves on {@code listener}, HTTPS when {@code tls} is not null (its ALPN list should
     * offer {@code http/1.1}: {@code tls.withApplicationProtocols("http/1.1")}).
     *
     * @param listener where connections come from; this method owns it
     * @param tls      the TLS configuration, or null for plain HTTP
     * @return the number of requests cancelled at the end of the grace period
     * @throws IllegalStateException if this server serves already
     * @throws Exception if accepting fails
     */
    public int serve(TcpListener listener, TlsConfig tls) throws Exception {
        Objects.requireNonNull(listener, "listener");
        if (serving) throw new IllegalStateException("this HttpServer serves already: make one per listener");
        serving = true;
        DisconnectRehearsal.once(); // so the first client's reset cancels its handler as fast as the next
        int[] cancelled = {0};
        try {
            TaskGroup.scope(group -> {
                Task<Void> acceptor = group.spawn("http accept", () -> accept(listener, tls, group));
                stop.await();
                acceptor.cancel(); // its cleanup closes the listener
                draining = true;
                for (Connection c : new ArrayList<>(open)) c.stopIfIdle();
                Boolean finished = CancelScope.open(config.gracePeriod(), scope -> {
                    if (!open.isEmpty()) allClosed.await();
                    return true;
                });
                if (finished == null) cancelled[0] = open.size();
                group.cancel();
                return null;
            });
        } finally {
            listener.close();
            for (Connection c : open) c.closeLeftover();
            open.clear();
        }
        return cancelled[0];
    }

    /**
     * Starts a graceful shutdown; {@link #serve} returns once it is over. Idempotent.
     *
     * @return the number of connections open now (idle ones are closed at once)
     */
    public int shutdown() {
        int n = open.size();
        stop.set();
        return n;
    }

    /** @return the connections open now */
    public int openConnections() {
        return open.size();
    }

    private Void accept(TcpListener listener, TlsConfig tls, TaskGroup group) throws IOException {
        try (listener) {
            while (true) {
                TcpStream conn = listener.accept(); // out of fds, it waits and retries (xiio.net.Acceptor)
                // then the others already queued, up to a burst: one per wakeup, 256 clients that
                // connect at once waited 255 rounds of serving the others for the last one's turn
                for (int n = 1; conn != null; conn = n++ < ACCEPT_BURST ? listener.tryAccept() : null) {
                    conn.setNoDelay(true); // answers are written whole; Nagle would only delay them
                    ByteStream stream = tls == null ? conn : TlsStream.server(conn, tls);
                    new Connection(this, stream, conn.remoteAddress()).start(group);
                }
            }
        }
    }

    void opened(Connection c) {
        open.add(c);
    }

    void closed(Connection c) {
        open.remove(c);
        if (draining && open.isEmpty()) allClosed.set();
    }

    boolean draining() {
        return draining;
    }

    ServerConfig config() {
        return config;
    }

    HttpHeadParser parser() {
        return parser;
    }

    HttpDate date() {
        return date;
    }

    Handler handler() {
        return handler;
    }

    AccessLog accessLog() {
        return accessLog;
    }

    void logConnectionFailure(java.net.InetSocketAddress peer, Throwable e) {
        LOG.log(System.Logger.Level.WARNING, "the connection from " + peer + " failed", e);
    }

    void logFailure(Request request, Throwable e) {
        LOG.log(System.Logger.Level.WARNING, "handler failed on " + request, e);
    }
}
