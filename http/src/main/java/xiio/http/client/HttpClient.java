package xiio.http.client;

import java.io.IOException;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import xiio.http.HttpHeadParser;
import xiio.http.HttpResponseHead;
import xiio.io.ByteStream;
import xiio.net.TcpStream;
import xiio.tls.TlsConfig;
import xiio.tls.TlsStream;

/**
 * An HTTP/1.1 client with a connection pool: keep-alive per origin, within limits
 * per origin and in total, idle connections closed after {@code idleTimeout}; https
 * with SNI and hostname verification ({@link TlsStream}); the host's addresses, from
 * the system's resolver or {@link Builder#resolver your own}, raced by happy eyeballs
 * ({@link TcpStream#connect(String, int, List)}: a refused or unreachable address
 * costs nothing, a silent one 250 ms before the next is tried); redirects only when asked for,
 * and bounded ({@link RedirectPolicy}). One request per connection at a time: no
 * pipelining.
 *
 * <p><b>No timeouts here.</b> Every call runs in the caller's coroutine, so the
 * caller's cancel scope is the limit of everything it does (waiting for a pooled
 * connection, resolving, connecting, the handshake, sending, every read of the
 * body), and a deadline set around a handler flows into every request it makes.
 * A cancelled exchange closes its connection unless the response was read to its
 * end.
 *
 * <p>A client belongs to one run: its connections are fds that run waits on. Close
 * it (try-with-resources) before the run ends; it closes its idle connections.
 *
 * {@snippet :
 * try (HttpClient client = HttpClient.builder().maxConnectionsPerOrigin(4).build()) {
 *     ClientResponse r = Timeout.withTimeout(Duration.ofSeconds(5),
 *             () -> client.send(ClientRequest.get("http://127.0.0.1:8080/")));
 *     System.out.println(r.status() + " " + r.body().text());
 * }
 * }
 */
public final class HttpClient implements AutoCloseable {
    private final Builder config;
    private final ConnectionPool pool;
    private TlsConfig tls;

    private HttpClient(Builder b) {
        this.config = b.copy();
        this.pool = new ConnectionPool(b.maxPerOrigin, b.maxTotal, b.idleTimeout.toNanos());
        this.tls = b.tls;
    }

    /** A client with the defaults of {@link Builder}. */
    public static HttpClient create() {
        return builder().build();
    }

    /** A builder of a client, with the defaults its methods name. */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Sends {@code request} and reads the whole response, body included, into memory
     * (at most {@link Builder#maxBufferedBody} bytes); the connection is back in the
     * pool when this returns.
     *
     * @throws IOException if connecting fails, the server breaks the protocol (a lying
     *         Content-Length, a malformed chunk, a close mid-body), or the body is too large
     * @throws TooManyRedirectsException if the redirect policy's bound is exceeded
     */
    public ClientResponse send(ClientRequest request) throws IOException {
        try {
            return exchange(request, r -> r.withBody(ResponseBody.of(r.body().readAllBytes())));
        } catch (IOException | RuntimeException | Error e) {
            throw e;
        } catch (Exception impossible) {
            throw new IllegalStateException(impossible);
        }
    }

    /** {@link #send} of a GET of {@code uri}. */
    public ClientResponse get(String uri) throws IOException {
        return send(ClientRequest.get(URI.create(uri)));
    }

    /**
     * Sends {@code request} and hands the response to {@code handler} while its body is
     * still arriving: the way to stream a large body. When the handler returns or
     * throws (or is cancelled), the connection goes back to the pool if the body was
     * read to its end, else it is closed.
     *
     * @return what the handler returned
     * @throws IOException as {@link #send} does
     * @throws Exception whatever the handler throws
     */
    public <T> T exchange(ClientRequest request, ResponseHandler<T> handler) throws Exception {
        Objects.requireNonNull(request, "request");
        Objects.requireNonNull(handler, "handler");
        List<URI> chain = new ArrayList<>();
        chain.add(request.uri());
        while (true) {
            Exchange x = start(request);
            boolean reusable = false;
            try {
                ClientRequest next = config.redirects.next(request, x.response);
                if (next == null) {
                    try {
                        return handler.handle(x.response);
                    } finally {
                        reusable = x.reusable();
                    }
                }
                chain.add(next.uri());
                if (chain.size() - 1 > config.redirects.maxRedirects()) {
                    throw new TooManyRedirectsException(chain, config.redirects.maxRedirects());
                }
                x.drainSmallBody();
                reusable = x.reusable();
                request = next;
            } finally {
                pool.release(x.connection, reusable);
            }
        }
    }

    /** Sends the request on a pooled connection and reads the response head; once more on a fresh one if a reused one was dead. */
    private Exchange start(ClientRequest request) throws IOException {
        boolean fresh = false;
        while (true) {
            PooledConnection c = pool.acquire(request.origin(), fresh, this::connect);
            boolean leased = false;
            try {
                IOException sendFailure = null;
                try {
                    RequestWriter.write(c.out, request, config.userAgent);
                } catch (RequestWriter.BodyWriterException e) {
                    throw e; // the caller's body failed: nothing to read
                } catch (IOException e) {
                    sendFailure = e; // the server may have answered before it stopped reading (a 413, say)
                }
                HttpResponseHead head;
                try {
                    head = ResponseHead.read(c, config.parser);
                } catch (ResponseHead.NoResponseException e) {
                    if (c.isReused() && !fresh && request.isIdempotent() && request.body().isReplayable()) {
                        fresh = true; // the server had closed the idle connection: try once on a new one
                        continue;
                    }
                    if (sendFailure != null) {
                        sendFailure.addSuppressed(e);
                        throw sendFailure;
                    }
                    throw e;
                }
                Exchange x = Exchange.of(c, request, head, sendFailure == null, config.maxBufferedBody);
                leased = true;
                return x;
            } finally {
                if (!leased) pool.release(c, false);
            }
        }
    }

    private PooledConnection connect(Origin origin) throws IOException {
        TcpStream tcp = TcpStream.connect(origin.host(), origin.port(), addresses(origin.host()));
        try {
            tcp.setNoDelay(true);
            ByteStream stream = tcp;
            if (origin.isHttps()) {
                if (tls == null) tls = TlsConfig.defaults();
                TlsStream session = TlsStream.client(tcp, origin.host(), tls);
                session.handshake();
                stream = session;
            }
            return new PooledConnection(origin, stream);
        } catch (IOException | RuntimeException | Error e) { // Error includes CancelledError
            tcp.close();
            throw e;
        }
    }

    /** An IP literal as it is; a name by the resolver, which must find at least one address. */
    private List<InetAddress> addresses(String host) throws IOException {
        try {
            return List.of(InetAddress.ofLiteral(host));
        } catch (IllegalArgumentException aName) {
            // resolved below
        }
        List<InetAddress> found = config.resolver.resolve(host);
        if (found == null || found.isEmpty()) throw new UnknownHostException("the resolver found no address for " + host);
        return found;
    }

    /** A snapshot of the pool: connections open, idle, and requests waiting for one. */
    public PoolStats stats() {
        return pool.stats();
    }

    /**
     * Closes the connections idle for longer than the idle timeout now. The pool does
     * this whenever it is used; call it where a client sits unused for long.
     */
    public void evictIdle() {
        pool.evictIdle();
    }

    /**
     * Closes the idle connections; connections still carrying an exchange close when
     * it ends. Further requests fail with {@link IllegalStateException}. Idempotent.
     */
    @Override
    public void close() {
        pool.close();
    }

    /** How a client is configured; every setting has a default, named on its method. */
    public static final class Builder {
        int maxPerOrigin = 16, maxTotal = 256;
        Duration idleTimeout = Duration.ofSeconds(30);
        RedirectPolicy redirects = RedirectPolicy.NONE;
        TlsConfig tls;
        String userAgent = "xiio-http";
        long maxBufferedBody = 64L * 1024 * 1024;
        HttpHeadParser parser = new HttpHeadParser(8192, 64 * 1024, 256);
        Resolver resolver = Resolver.SYSTEM;

        private Builder() {}

        /**
         * At most {@code n} connections open to one origin (default 16); more
         * concurrent requests to it wait for one.
         *
         * @throws IllegalArgumentException if {@code n} is less than 1
         */
        public Builder maxConnectionsPerOrigin(int n) {
            if (n < 1) throw new IllegalArgumentException("maxConnectionsPerOrigin must be at least 1, got " + n);
            maxPerOrigin = n;
            return this;
        }

        /**
         * At most {@code n} connections open in all (default 256); an idle connection
         * to another origin is closed to make room before a request waits.
         *
         * @throws IllegalArgumentException if {@code n} is less than 1
         */
        public Builder maxConnections(int n) {
            if (n < 1) throw new IllegalArgumentException("maxConnections must be at least 1, got " + n);
            maxTotal = n;
            return this;
        }

        /**
         * How long an unused connection stays in the pool (default 30 s); zero keeps
         * none (every request opens a connection).
         *
         * @throws IllegalArgumentException if negative
         */
        public Builder idleTimeout(Duration d) {
            Objects.requireNonNull(d, "idleTimeout");
            if (d.isNegative()) throw new IllegalArgumentException("idleTimeout must not be negative, got " + d);
            idleTimeout = d.compareTo(Duration.ofDays(365)) > 0 ? Duration.ofDays(365) : d;
            return this;
        }

        /** Which redirects to follow (default {@link RedirectPolicy#NONE}: none). */
        public Builder redirects(RedirectPolicy policy) {
            redirects = Objects.requireNonNull(policy, "policy");
            return this;
        }

        /** How https connections negotiate (default {@link TlsConfig#defaults()}: the JDK's authorities, hostnames verified). */
        public Builder tls(TlsConfig config) {
            tls = Objects.requireNonNull(config, "config");
            return this;
        }

        /** The {@code User-Agent} sent unless a request has its own (default {@code xiio-http}); null sends none. */
        public Builder userAgent(String agent) {
            if (agent != null) ClientRequest.get("http://localhost/").header("User-Agent", agent); // same checks as a field
            userAgent = agent;
            return this;
        }

        /**
         * The largest body {@link HttpClient#send} reads into memory (default 64 MiB);
         * stream larger ones with {@link HttpClient#exchange}.
         *
         * @throws IllegalArgumentException if negative or larger than an array can be
         */
        public Builder maxBufferedBody(long bytes) {
            if (bytes < 0 || bytes > Integer.MAX_VALUE - 8) {
                throw new IllegalArgumentException("maxBufferedBody must be 0.." + (Integer.MAX_VALUE - 8) + ", got " + bytes);
            }
            maxBufferedBody = bytes;
            return this;
        }

        /**
         * The largest response header section (default 64 KiB, 256 fields); a larger
         * one fails the exchange.
         *
         * @throws IllegalArgumentException if either is less than 1
         */
        public Builder maxResponseHeaders(int bytes, int fields) {
            if (bytes < 1 || fields < 1) throw new IllegalArgumentException("the header limits must be at least 1, got " + bytes + " bytes, " + fields + " fields");
            parser = new HttpHeadParser(8192, bytes, fields);
            return this;
        }

        /**
         * Where host names are resolved (default {@link Resolver#SYSTEM}); the client
         * connects to the addresses it returns, happy-eyeballs style, and a connect
         * that fails for all of them names the host and each address with its error.
         * An IP literal host is connected to as it is, without asking the resolver.
         */
        public Builder resolver(Resolver resolver) {
            this.resolver = Objects.requireNonNull(resolver, "resolver");
            return this;
        }

        /** A client with these settings; the builder may be changed and used again. */
        public HttpClient build() {
            return new HttpClient(this);
        }

        private Builder copy() {
            Builder b = new Builder();
            b.maxPerOrigin = maxPerOrigin;
            b.maxTotal = maxTotal;
            b.idleTimeout = idleTimeout;
            b.redirects = redirects;
            b.tls = tls;
            b.userAgent = userAgent;
            b.maxBufferedBody = maxBufferedBody;
            b.parser = parser;
            b.resolver = resolver;
            return b;
        }
    }
}
