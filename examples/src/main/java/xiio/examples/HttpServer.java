package xiio.examples;

import xiio.http.HttpDate;
import xiio.http.HttpHeadParser;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.Set;
import java.util.concurrent.Callable;
import javax.net.ssl.SSLContext;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import xiio.concurrent.Event;
import xiio.concurrent.Task;
import xiio.concurrent.TaskGroup;
import xiio.core.CancelScope;
import xiio.core.Xiio;
import xiio.io.ByteStream;
import xiio.net.TcpListener;
import xiio.net.TcpStream;
import xiio.signal.Signal;
import xiio.signal.SignalSubscription;
import xiio.signal.Signals;
import xiio.tls.TlsConfig;
import xiio.tls.TlsContextBuilder;
import xiio.tls.TlsStream;

/**
 * A small HTTP/1.1 server: keep-alive, pipelining, Content-Length and chunked
 * request bodies, size limits, a hello page, an echo, and a static directory.
 * Usage: {@code ./xiio http --port 8080 --root ./docs}, then
 * {@code curl http://127.0.0.1:8080/files/}.
 *
 * <p>The pieces: {@link HttpHeadParser} reads request heads (module xiio-http),
 * {@link xiio.http.BodyReader} reads bodies, {@link HttpResponseWriter} writes answers,
 * {@link StaticFiles} maps paths to files, {@link HttpRoutes} decides what to answer,
 * {@link HttpConnection} runs one connection. This class accepts connections and
 * shuts down gracefully.
 *
 * <p><b>Graceful shutdown.</b> The first SIGINT or SIGTERM stops accepting (the
 * listener is closed, so new clients are refused rather than left in the backlog),
 * closes idle keep-alive connections, and lets requests in flight finish, within
 * {@code --grace}; what is still running then is cancelled. This is not
 * {@link Signals#runCancellable}, which would cancel the requests in flight at once:
 * the server subscribes to the signals itself, and after the first one gives the
 * JVM its own handlers back, so a second Ctrl-C ends the process at once.
 */
@Command(name = "http", mixinStandardHelpOptions = true,
        description = {"A small HTTP/1.1 server: / (hello), POST /echo, /sleep?ms=N, and /files/ (the --root directory).",
            "Keep-alive, pipelining, chunked bodies, size limits. The first SIGINT/SIGTERM stops accepting and lets"
                + " requests in flight finish within --grace; a second one ends the process at once."})
final class HttpServer implements Callable<Integer> {
    @Option(names = "--port", required = true, converter = PortConverter.class, description = "TCP port to listen on (0 picks a free one).")
    int port;

    @Option(names = "--host", defaultValue = "127.0.0.1", description = "Address to listen on (default: ${DEFAULT-VALUE}).")
    String host;

    @Option(names = "--root", description = "Serve this directory under /files/.")
    Path root;

    @Option(names = "--max-body", defaultValue = "1048576", description = "Largest request body, in bytes (default: ${DEFAULT-VALUE}).")
    long maxBody;

    @Option(names = "--max-header", defaultValue = "16384", description = "Largest header section, in bytes (default: ${DEFAULT-VALUE}).")
    int maxHeader;

    @Option(names = "--max-request-line", defaultValue = "8192", description = "Longest request line, in bytes (default: ${DEFAULT-VALUE}).")
    int maxRequestLine;

    @Option(names = "--idle-timeout", defaultValue = "30s", converter = DurationConverter.class,
            description = "How long a connection may take to send the next request head (default: ${DEFAULT-VALUE}).")
    Duration idleTimeout;

    @Option(names = "--io-timeout", defaultValue = "30s", converter = DurationConverter.class,
            description = "How long a request body may take to arrive, and a client may take no response bytes (default: ${DEFAULT-VALUE}).")
    Duration ioTimeout;

    @Option(names = "--grace", defaultValue = "10s", converter = DurationConverter.class,
            description = "On SIGINT/SIGTERM, how long requests in flight may take to finish (default: ${DEFAULT-VALUE}).")
    Duration grace;

    @Option(names = "--tls-cert", description = "PEM certificate chain: serve HTTPS (with --tls-key).")
    Path tlsCert;

    @Option(names = "--tls-key", description = "PEM private key (PKCS#8) for --tls-cert.")
    Path tlsKey;

    @Option(names = "--log", description = "Print one line per request.")
    boolean log;

    HttpHeadParser parser;
    HttpRoutes routes;
    final HttpDate date = new HttpDate(Clock.systemUTC());
    private TlsConfig tls;
    private final Set<HttpConnection> open = new LinkedHashSet<>();
    private final Event allClosed = new Event();
    private boolean draining;

    @Override
    public Integer call() throws Exception {
        if (maxBody < 0 || maxHeader < 64 || maxRequestLine < 16) {
            throw new IllegalArgumentException("limits too small: --max-body >= 0, --max-header >= 64, --max-request-line >= 16");
        }
        if ((tlsCert == null) != (tlsKey == null)) throw new IllegalArgumentException("--tls-cert and --tls-key go together");
        parser = new HttpHeadParser(maxRequestLine, maxHeader, 100);
        routes = new HttpRoutes(root == null ? null : new StaticFiles(root));
        if (tlsCert != null) {
            SSLContext context = new TlsContextBuilder().pemKey(tlsCert, tlsKey).build();
            tls = TlsConfig.of(context).withApplicationProtocols("http/1.1");
        }
        return Xiio.run(this::serve);
    }

    @SuppressWarnings("try") // stop is closed early on purpose, and again (idempotently) at the end
    private Integer serve() throws Exception {
        try (SignalSubscription stop = subscribeToStopSignals()) {
            return TaskGroup.scope(group -> {
                TcpListener listener = TcpListener.bind(new InetSocketAddress(host, port));
                Task<Void> acceptor = group.spawn("accept", () -> accept(listener, group));
                System.out.println("http listening on " + (tls != null ? "https" : "http") + "://"
                        + listener.localAddress().getHostString() + ":" + listener.localAddress().getPort() + "/");
                System.out.flush();

                Signal first = stop.receive();
                stop.close(); // the JVM's handlers are back: a second Ctrl-C ends the process at once
                acceptor.cancel(); // its cleanup closes the listener
                draining = true;
                System.out.println("http: " + first + ": finishing " + open.size() + " connection(s) within "
                        + DurationConverter.format(grace) + "; no new ones");
                for (HttpConnection c : new ArrayList<>(open)) c.stopIfIdle();
                Boolean finished = CancelScope.open(grace, scope -> {
                    if (!open.isEmpty()) allClosed.await();
                    return true;
                });
                if (finished == null) System.out.println("http: grace period over; cancelling " + open.size() + " request(s)");
                group.cancel();
                return first.exitStatus(); // 130 after Ctrl-C, 143 after SIGTERM, as for every example
            });
        } finally {
            for (HttpConnection c : open) c.closeLeftover();
            System.out.println("http stopped");
        }
    }

    /** SIGINT and SIGTERM; SIGTERM alone where SIGINT is ignored (a background job of a script), which the JVM keeps ignored. */
    private static SignalSubscription subscribeToStopSignals() throws IOException {
        try {
            return Signals.subscribe(Signal.SIGINT, Signal.SIGTERM);
        } catch (IllegalStateException sigintIgnored) {
            return Signals.subscribe(Signal.SIGTERM);
        }
    }

    private Void accept(TcpListener listener, TaskGroup group) throws IOException {
        try (listener) {
            while (true) {
                TcpStream conn = listener.accept(); // out of fds, it waits and retries (xiio.net.Acceptor)
                conn.setNoDelay(true); // answers are written whole; Nagle would only delay them
                ByteStream stream = tls == null ? conn : TlsStream.server(conn, tls);
                new HttpConnection(this, stream, conn.remoteAddress().getHostString() + ":" + conn.remoteAddress().getPort())
                        .start(group);
            }
        }
    }

    void opened(HttpConnection c) {
        open.add(c);
    }

    void closed(HttpConnection c) {
        open.remove(c);
        if (draining && open.isEmpty()) allClosed.set();
    }

    boolean draining() {
        return draining;
    }

    /** Whether {@code --log} is on: callers check it before they build a line. */
    boolean logging() {
        return log;
    }

    void log(String line) {
        if (log) System.out.println(line);
    }
}
