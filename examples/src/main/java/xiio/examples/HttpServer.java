package xiio.examples;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.SSLContext;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import xiio.concurrent.Task;
import xiio.concurrent.TaskGroup;
import xiio.core.Xiio;
import xiio.http.server.AccessLog;
import xiio.http.server.Request;
import xiio.http.server.Router;
import xiio.http.server.ServerConfig;
import xiio.net.TcpListener;
import xiio.signal.Signal;
import xiio.signal.SignalSubscription;
import xiio.signal.Signals;
import xiio.thread.Futures;
import xiio.thread.LoopGroup;
import xiio.tls.TlsConfig;
import xiio.tls.TlsContextBuilder;

/**
 * A small HTTP/1.1 server: keep-alive, pipelining, Content-Length and chunked
 * request bodies, size limits, a hello page, an echo, and a static directory.
 * Usage: {@code ./xiio http --port 8080 --root ./docs}, then
 * {@code curl http://127.0.0.1:8080/files/}.
 *
 * <p>A thin program over the xiio-http module: {@link HttpRoutes} is the
 * {@link xiio.http.server.Router}, {@link xiio.http.server.StaticFiles} serves the files, and
 * {@code --loops} servers (one per loop of a {@link LoopGroup}, each with its own
 * SO_REUSEPORT listener) answer. This class parses options and shuts down gracefully.
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
        description = {"A small HTTP/1.1 server: / (hello), POST /echo and /echo/stream, /sleep?ms=N, and /files/ (the --root directory).",
            "Keep-alive, pipelining, chunked bodies, size limits. The first SIGINT/SIGTERM stops accepting and lets"
                + " requests in flight finish within --grace; a second one ends the process at once."})
final class HttpServer implements Callable<Integer> {
    @Option(names = "--port", required = true, converter = PortConverter.class, description = "TCP port to listen on (0 picks a free one).")
    int port;

    @Option(names = "--host", defaultValue = "127.0.0.1", description = "Address to listen on (default: ${DEFAULT-VALUE}).")
    String host;

    @Option(names = "--root", description = "Serve this directory under /files/.")
    Path root;

    @Option(names = "--cache-control", description = "Cache-Control of the --root files and their 304s, e.g. max-age=3600 or no-cache (default: none).")
    String cacheControl;

    @Option(names = "--precompressed", description = "Serve NAME.br or NAME.gz next to NAME, to clients that accept br or gzip.")
    boolean precompressed;

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

    @Option(names = "--loops", description = "Loops (threads), each with its own SO_REUSEPORT listener (default: the available CPUs; 1 on the virtual-thread backend).")
    Integer loops;

    @Override
    public Integer call() throws Exception {
        if (maxBody < 0 || maxHeader < 64 || maxRequestLine < 16) {
            throw new IllegalArgumentException("limits too small: --max-body >= 0, --max-header >= 64, --max-request-line >= 16");
        }
        if ((tlsCert == null) != (tlsKey == null)) throw new IllegalArgumentException("--tls-cert and --tls-key go together");
        // the slow backend's loops each hold a carrier thread while they wait (see LoopGroup): one there by default
        int n = loops != null ? loops : Xiio.backend().equals("vthread") ? 1 : Runtime.getRuntime().availableProcessors();
        if (n < 1) throw new IllegalArgumentException("--loops must be at least 1, got " + n);
        ServerConfig config = ServerConfig.DEFAULT.withServerName("xiio-example").withMaxBodyBytes(maxBody)
                .withMaxHeaderBytes(maxHeader).withMaxRequestLine(maxRequestLine).withIdleTimeout(idleTimeout).withHeadTimeout(idleTimeout)
                .withBodyTimeout(ioTimeout).withWriteTimeout(ioTimeout).withGracePeriod(grace);
        Router router = HttpRoutes.router(root == null ? null : HttpRoutes.files(root, cacheControl, precompressed));
        TlsConfig tls = null;
        if (tlsCert != null) {
            SSLContext context = new TlsContextBuilder().pemKey(tlsCert, tlsKey).build();
            tls = TlsConfig.of(context).withApplicationProtocols("http/1.1");
        }
        TlsConfig tlsConfig = tls;
        // one loop runs in this run itself: on the slow backend a second run would need a carrier of its own
        if (n == 1) return Xiio.run(() -> serveOnOneLoop(config, router, tlsConfig));
        return Xiio.run(() -> serve(n, config, router, tlsConfig));
    }

    /** {@code --loops 1}: the server in this run, no loop group. */
    private Integer serveOnOneLoop(ServerConfig config, Router router, TlsConfig tls) throws Exception {
        try (SignalSubscription stop = subscribeToStopSignals()) {
            return TaskGroup.scope(group -> {
                TcpListener listener = TcpListener.bind(new InetSocketAddress(host, port));
                xiio.http.server.HttpServer server = new xiio.http.server.HttpServer(router, config)
                        .withAccessLog(log ? new PrintedLog() : AccessLog.NONE);
                Task<Integer> serving = group.spawn("http", () -> server.serve(listener, tls));
                System.out.println("http listening on " + (tls != null ? "https" : "http") + "://" + host + ":"
                        + listener.localAddress().getPort() + "/");
                System.out.flush();
                Signal first = stop.receive();
                stop.close(); // the JVM's handlers are back: a second Ctrl-C ends the process at once
                System.out.println("http: " + first + ": finishing " + server.shutdown() + " connection(s) within "
                        + DurationConverter.format(grace) + "; no new ones");
                int cancelled = serving.join();
                if (cancelled > 0) System.out.println("http: grace period over; cancelling " + cancelled + " request(s)");
                return first.exitStatus();
            });
        } finally {
            System.out.println("http stopped");
        }
    }

    /** Starts the loops, waits for the first SIGINT or SIGTERM, and shuts them down gracefully. */
    private Integer serve(int n, ServerConfig config, Router router, TlsConfig tls) throws Exception {
        xiio.http.server.HttpServer[] servers = new xiio.http.server.HttpServer[n];
        CompletableFuture<Integer> boundPort = new CompletableFuture<>();
        List<CompletableFuture<Void>> bound = new ArrayList<>();
        for (int i = 0; i < n; i++) bound.add(new CompletableFuture<>());
        AtomicInteger cancelled = new AtomicInteger();
        AccessLog accessLog = log ? new PrintedLog() : AccessLog.NONE;
        try (SignalSubscription stop = subscribeToStopSignals()) {
            LoopGroup group = LoopGroup.start("http", n, loop -> {
                // the first loop picks the port (--port 0), the others share it with SO_REUSEPORT
                int p = loop.index() == 0 ? port : Futures.await(boundPort);
                TcpListener listener = TcpListener.bind(new InetSocketAddress(host, p), TcpListener.Options.DEFAULT.withReusePort(true));
                boundPort.complete(listener.localAddress().getPort());
                xiio.http.server.HttpServer server = new xiio.http.server.HttpServer(router, config).withAccessLog(accessLog);
                servers[loop.index()] = server;
                bound.get(loop.index()).complete(null);
                cancelled.addAndGet(server.serve(listener, tls));
            });
            try {
                CompletableFuture<Void> allBound = CompletableFuture.allOf(bound.toArray(CompletableFuture[]::new));
                Futures.await(CompletableFuture.anyOf(allBound, group.terminated()));
                if (!allBound.isDone()) {
                    group.join(); // a loop failed (the port is taken, say): its failure ends the command
                    throw new IllegalStateException("the loops ended before listening");
                }
                System.out.println("http listening on " + (tls != null ? "https" : "http") + "://" + host + ":" + boundPort.join() + "/");
                System.out.flush();

                CompletableFuture<Signal> signalled = new CompletableFuture<>();
                Signal first = TaskGroup.scope(g -> {
                    Task<Void> waiter = g.spawn("signals", () -> {
                        signalled.complete(stop.receive());
                        return null;
                    });
                    Futures.await(CompletableFuture.anyOf(signalled, group.terminated()));
                    waiter.cancel();
                    return signalled.getNow(null);
                });
                if (first == null) { // every loop ended by itself: a failure
                    group.join();
                    return 1;
                }
                stop.close(); // the JVM's handlers are back: a second Ctrl-C ends the process at once
                int open = 0;
                for (int i = 0; i < n; i++) {
                    xiio.http.server.HttpServer server = servers[i];
                    open += Futures.await(group.loop(i).submit(server::shutdown)); // each server belongs to its loop
                }
                System.out.println("http: " + first + ": finishing " + open + " connection(s) within "
                        + DurationConverter.format(grace) + "; no new ones");
                Futures.await(group.terminated());
                group.join();
                if (cancelled.get() > 0) System.out.println("http: grace period over; cancelling " + cancelled.get() + " request(s)");
                return first.exitStatus(); // 130 after Ctrl-C, 143 after SIGTERM, as for every example
            } finally {
                group.shutdown(); // a no-op after a graceful end; else the loops' cleanup runs now
                Thread.interrupted();
                group.join();
            }
        } finally {
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

    /** {@code --log}: one line per request and per dropped connection on stdout. */
    private static final class PrintedLog implements AccessLog {
        @Override
        public void request(Request r, int status, long bytes, long nanos) {
            System.out.println(r.peer().getHostString() + ":" + r.peer().getPort() + " " + r.method() + " "
                    + Texts.shorten(r.head().target()) + " " + status + " " + bytes + " B " + nanos / 1000 + " us");
        }

        @Override
        public void dropped(InetSocketAddress peer, String reason) {
            System.out.println(peer.getHostString() + ":" + peer.getPort() + " dropped: " + reason);
        }
    }
}
