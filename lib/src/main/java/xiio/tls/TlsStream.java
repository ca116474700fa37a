package xiio.tls;

import java.io.IOException;
import java.net.Inet4Address;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import javax.net.ssl.ExtendedSSLSession;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SNIServerName;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSession;
import xiio.io.ByteStream;
import xiio.net.TcpStream;

/**
 * A TLS session over any {@link ByteStream} (a TCP socket, a pipe pair, another TLS
 * stream), usable as a {@code ByteStream} itself: read, write, shut down and close it
 * like the plain stream it wraps. Built on the JDK's {@link SSLEngine}.
 *
 * A client, verifying the server against the JDK's certificate authorities:
 * {@snippet :
 * Xiio.run(() -> {
 *     TlsConfig config = TlsConfig.defaults().withApplicationProtocols("http/1.1");
 *     try (TlsStream tls = TlsStream.connect("example.com", 443, config)) {
 *         byte[] request = "GET / HTTP/1.1\r\nHost: example.com\r\nConnection: close\r\n\r\n".getBytes();
 *         tls.writeAll(request, 0, request.length);
 *         byte[] buf = new byte[8192];
 *         for (int n; (n = tls.read(buf, 0, buf.length)) > 0; ) System.out.write(buf, 0, n);
 *     }
 *     return null;
 * });
 * }
 *
 * A server, one task per connection, the handshake in the task:
 * {@snippet :
 * SSLContext keys = new TlsContextBuilder().pemKey(Path.of("fullchain.pem"), Path.of("privkey.pem")).build();
 * Xiio.run(() -> {
 *     try (TcpListener listener = TcpListener.bind(8443)) {
 *         return TaskGroup.scope(group -> {
 *             while (true) {
 *                 TcpStream tcp = listener.accept();
 *                 group.spawn(() -> {
 *                     try (TlsStream tls = TlsStream.server(tcp, TlsConfig.of(keys))) {
 *                         Timeout.withTimeout(Duration.ofSeconds(10), () -> { tls.handshake(); return null; });
 *                         byte[] buf = new byte[8192];
 *                         for (int n; (n = tls.read(buf, 0, buf.length)) > 0; ) tls.writeAll(buf, 0, n);
 *                     } catch (IOException | TimeoutException e) {
 *                         System.err.println(e.getMessage()); // one bad client must not end the group
 *                     }
 *                     return null;
 *                 });
 *             }
 *         });
 *     }
 * });
 * }
 *
 * <ul>
 * <li><b>Handshake</b>: explicitly with {@link #handshake()}, or implicitly by the
 *     first read, write or shutdown. Put a time limit on it with
 *     {@code Timeout.withTimeout}. A failure is a {@link TlsHandshakeException} whose
 *     message names the peer and the reason (untrusted, expired, hostname mismatch,
 *     ...), and every later call fails with it too.
 * <li><b>Verification</b>: a client checks the server's certificate against the
 *     context's trust anchors and, unless {@link TlsConfig#withVerifyHostname}
 *     turned it off, that it names {@code serverName} (endpoint identification
 *     "HTTPS": DNS names, wildcards, IP addresses).
 * <li><b>SNI and ALPN</b>: a client sends {@code serverName} (unless it is an IP
 *     address, which SNI does not allow) and offers {@link TlsConfig#applicationProtocols()};
 *     the server sees the name in {@link #requestedServerName()} (and a key store
 *     with several keys picks the certificate matching it), and selects the first of
 *     its protocols the client offered: {@link #applicationProtocol()}.
 * <li><b>Closing</b>: {@link #shutdownOutput()} sends close_notify and half-closes the
 *     transport; {@link #close()} sends close_notify if it can, then closes the
 *     transport. The peer's close_notify reads as end of stream (-1). A transport that
 *     ends without it is an {@link javax.net.ssl.SSLException} (a truncation attack
 *     or a crash), unless {@link TlsConfig#allowTruncation()}.
 * <li><b>Concurrency and cancellation</b>: one coroutine may read while another
 *     writes. A read cancelled while it waits has consumed nothing: bytes already
 *     decrypted stay for the next read. A write cancelled before it encrypted
 *     anything has written nothing; once a write's bytes are encrypted they are
 *     committed, and a cancellation while they are sent leaves them queued for the
 *     next write, shutdown or close. Buffers are bounded (about 66 KiB per stream).
 * <li><b>Renegotiation</b> (TLS 1.2, started by the peer) is completed by whichever
 *     side is reading; a write waits until it is done, since some peers reject data
 *     interleaved with it. If decrypted data is waiting to be read meanwhile, the
 *     write waits for a reader to take it.
 * <li><b>Closing a socket</b>: session tickets that arrived unread are drained first,
 *     so the kernel sends FIN, not RST, and the peer keeps the data it has not read.
 * <li><b>Delegated tasks</b> (the handshake's public-key work) run on
 *     a pool of their own ({@code xiio-tls}), so they never block the loop, and
 *     never wait behind DNS lookups or {@link xiio.thread.ThreadPool#runInThread} calls.
 * </ul>
 */
public final class TlsStream implements ByteStream {
    private final ByteStream transport;
    private final TlsEngineDriver driver;
    private final String serverName; // what a client asked for; null on a server

    private TlsStream(ByteStream transport, SSLEngine engine, String peer, String serverName, TlsConfig config) {
        this.transport = transport;
        this.serverName = serverName;
        this.driver = new TlsEngineDriver(transport, engine, peer, config.allowTruncation());
    }

    /**
     * The client side of a session with the server {@code serverName} over
     * {@code transport}. Nothing is sent until the handshake.
     *
     * @param serverName the host name (or IP address) the server's certificate must
     *        name; sent as SNI unless it is an IP address
     * @throws IllegalArgumentException if {@code serverName} is not a valid host name
     */
    public static TlsStream client(ByteStream transport, String serverName, TlsConfig config) {
        Objects.requireNonNull(transport, "transport");
        Objects.requireNonNull(serverName, "serverName");
        Objects.requireNonNull(config, "config");
        if (serverName.isEmpty()) throw new IllegalArgumentException("serverName must not be empty");
        SSLEngine engine = config.context().createSSLEngine(serverName, -1);
        engine.setUseClientMode(true);
        SSLParameters p = engine.getSSLParameters();
        if (config.verifyHostname()) p.setEndpointIdentificationAlgorithm("HTTPS");
        if (!isIpLiteral(serverName)) {
            try {
                p.setServerNames(List.of(new SNIHostName(serverName)));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("'" + serverName + "' is not a valid host name for TLS (SNI): "
                        + e.getMessage(), e);
            }
        } else {
            p.setServerNames(List.of());
        }
        configure(p, config);
        engine.setSSLParameters(p);
        return new TlsStream(transport, engine, serverName, serverName, config);
    }

    /**
     * The server side of a session over {@code transport}; {@code config.context()}
     * must hold a key (see {@link TlsContextBuilder#keyStore} and {@link TlsContextBuilder#pemKey}).
     */
    public static TlsStream server(ByteStream transport, TlsConfig config) {
        Objects.requireNonNull(transport, "transport");
        Objects.requireNonNull(config, "config");
        SSLEngine engine = config.context().createSSLEngine();
        engine.setUseClientMode(false);
        SSLParameters p = engine.getSSLParameters();
        switch (config.clientAuth()) {
            case NONE -> p.setNeedClientAuth(false);
            case WANT -> p.setWantClientAuth(true);
            case NEED -> p.setNeedClientAuth(true);
        }
        configure(p, config);
        engine.setSSLParameters(p);
        String peer = transport instanceof TcpStream tcp ? "client " + format(tcp.remoteAddress())
                : "the client on " + transport;
        return new TlsStream(transport, engine, peer, null, config);
    }

    /**
     * Connects to {@code host:port} over TCP ({@link TcpStream#connect(String, int)}) and
     * completes the handshake, verifying the server as {@code host}. On failure the
     * connection is closed.
     *
     * {@snippet :
     * try (TlsStream tls = Timeout.withTimeout(Duration.ofSeconds(10),
     *         () -> TlsStream.connect("example.com", 443, TlsConfig.defaults()))) {
     *     // talk
     * }
     * }
     *
     * @throws TlsHandshakeException if the handshake fails
     */
    public static TlsStream connect(String host, int port, TlsConfig config) throws IOException {
        Objects.requireNonNull(config, "config");
        TcpStream tcp = TcpStream.connect(host, port);
        TlsStream tls = null;
        try {
            tls = client(tcp, host, config);
            tls.handshake();
            return tls;
        } catch (Throwable t) {
            try {
                if (tls != null) tls.close();
                else tcp.close();
            } catch (IOException | RuntimeException e) {
                t.addSuppressed(e);
            }
            throw t;
        }
    }

    private static void configure(SSLParameters p, TlsConfig config) {
        if (!config.applicationProtocols().isEmpty()) {
            p.setApplicationProtocols(config.applicationProtocols().toArray(String[]::new));
        }
        if (!config.protocols().isEmpty()) p.setProtocols(config.protocols().toArray(String[]::new));
    }

    private static boolean isIpLiteral(String name) {
        if (name.indexOf(':') >= 0) return true; // IPv6; host names never contain ':'
        return name.chars().allMatch(c -> c == '.' || (c >= '0' && c <= '9'));
    }

    /**
     * Performs the handshake now, if it has not happened yet; concurrent callers (and
     * implicit handshakes of concurrent reads and writes) share one handshake.
     *
     * @throws TlsHandshakeException if it fails: the message names the peer and why
     * @throws IOException if the transport fails
     */
    public void handshake() throws IOException {
        driver.handshake();
    }

    /**
     * Reads at least one decrypted byte, handshaking first if needed.
     *
     * @return the number of bytes read, or -1 once the peer sent close_notify
     * @throws javax.net.ssl.SSLException if the transport ended without close_notify
     *         (unless {@link TlsConfig#allowTruncation()}) or the session failed
     */
    @Override
    public int read(byte[] buf, int off, int len) throws IOException {
        Objects.checkFromIndexSize(off, len, buf.length);
        if (len == 0) return 0;
        return driver.read(buf, off, len);
    }

    /**
     * Encrypts and sends some of {@code buf[off, off+len)} (at most one TLS record,
     * 16 KiB), handshaking first if needed.
     *
     * @return the number of bytes written (0 only when {@code len} is 0)
     */
    @Override
    public int write(byte[] buf, int off, int len) throws IOException {
        Objects.checkFromIndexSize(off, len, buf.length);
        if (len == 0) return 0;
        return driver.write(buf, off, len);
    }

    /**
     * Sends close_notify after everything written, then shuts down the transport's
     * output. Reading still works (TLS 1.3 allows half-closed sessions; a TLS 1.2
     * peer usually answers with its own close_notify, which reads as end of stream).
     * Idempotent.
     */
    @Override
    public void shutdownOutput() throws IOException {
        driver.shutdownOutput();
    }

    /**
     * Sends close_notify unless the output was shut down already, the handshake has
     * not completed, or another coroutine is blocked writing; then closes the
     * transport. Failing to send close_notify to a peer that already left is not an
     * error. Idempotent.
     */
    @Override
    public void close() throws IOException {
        driver.close();
    }

    /**
     * The ALPN protocol the handshake selected, or empty if none was.
     *
     * @throws IllegalStateException before the handshake completed
     */
    public Optional<String> applicationProtocol() {
        requireHandshake("applicationProtocol()");
        String p = driver.engine.getApplicationProtocol();
        return p == null || p.isEmpty() ? Optional.empty() : Optional.of(p);
    }

    /**
     * The host name the client asked for with SNI: on a server, what the client
     * sent (empty if it sent none); on a client, what it sent.
     *
     * @throws IllegalStateException on a server, before the handshake completed
     */
    public Optional<String> requestedServerName() {
        if (serverName != null) return isIpLiteral(serverName) ? Optional.empty() : Optional.of(serverName);
        requireHandshake("requestedServerName()");
        if (driver.engine.getSession() instanceof ExtendedSSLSession s) {
            for (SNIServerName n : s.getRequestedServerNames()) {
                if (n instanceof SNIHostName h) return Optional.of(h.getAsciiName());
                if (n.getType() == 0) return Optional.of(new SNIHostName(n.getEncoded()).getAsciiName());
            }
        }
        return Optional.empty();
    }

    /**
     * The negotiated session: protocol version, cipher suite, the peer's certificates.
     *
     * @throws IllegalStateException before the handshake completed
     */
    public SSLSession session() {
        requireHandshake("session()");
        return driver.engine.getSession();
    }

    /** Whether this is the client side. */
    public boolean isClient() {
        return serverName != null;
    }

    /** The stream the session runs over. */
    public ByteStream transport() {
        return transport;
    }

    private void requireHandshake(String what) {
        if (!driver.handshakeDone()) {
            throw new IllegalStateException(what + " is known only after the TLS handshake: call handshake() first");
        }
    }

    @Override
    public String toString() {
        return "TlsStream[" + (isClient() ? "client of " : "server for ") + driver.peer + ", over " + transport + "]";
    }

    /** An address as {@code xiio.net} writes it: {@code 192.0.2.1:443}, {@code [2001:db8::1]:443}. */
    private static String format(InetSocketAddress inet) {
        String host = inet.isUnresolved() ? inet.getHostString()
                : inet.getAddress() instanceof Inet4Address ? inet.getAddress().getHostAddress()
                : "[" + inet.getAddress().getHostAddress() + "]";
        return host + ":" + inet.getPort();
    }
}
