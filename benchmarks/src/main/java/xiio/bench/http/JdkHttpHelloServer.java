package xiio.bench.http;

import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * A peer of the http example in the HTTP benchmark: the JDK's own
 * {@code com.sun.net.httpserver.HttpServer} with a virtual thread per exchange
 * ({@link Executors#newVirtualThreadPerTaskExecutor()}), what a Java user reaches for
 * when no framework is wanted. {@code GET /} answers the hello page's bytes,
 * {@code POST /echo} the request body. {@code sun.net.httpserver.nodelay} is set, as
 * anyone measuring latency would: the JDK leaves Nagle on by default, which stalls
 * small keep-alive answers. The JDK writes Date itself and spells header names its
 * own way ({@code Content-type}); the bodies are byte for byte the example's. Prints
 * {@code jdk-http listening on http://HOST:PORT/ pid N}, runs until SIGINT or SIGTERM,
 * then stops and exits 0.
 */
@Command(name = "jdk-http", mixinStandardHelpOptions = true,
        description = "The JDK's com.sun.net.httpserver on virtual threads, the http benchmark's hello page and echo.")
public final class JdkHttpHelloServer implements Callable<Integer> {
    @Option(names = "--port", required = true, description = "TCP port to listen on (0 picks a free one).")
    int port;

    @Option(names = "--host", defaultValue = "127.0.0.1", description = "Address to listen on (default: ${DEFAULT-VALUE}).")
    String host;

    /**
     * Runs the server until SIGINT or SIGTERM.
     *
     * @param args {@code --port P [--host H]}
     */
    public static void main(String[] args) {
        // read once, when the server implementation's configuration class loads: before create()
        System.setProperty("sun.net.httpserver.nodelay", "true");
        System.exit(new CommandLine(new JdkHttpHelloServer()).execute(args));
    }

    @Override
    public Integer call() throws Exception {
        HttpServer server = HttpServer.create(new InetSocketAddress(host, port), 1024);
        try (ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor()) {
            server.setExecutor(threads);
            server.createContext("/", JdkHttpHelloServer::handle);
            server.start();
            System.out.println("jdk-http listening on http://" + host + ":" + server.getAddress().getPort() + "/ pid "
                    + ProcessHandle.current().pid());
            System.out.flush();
            StopSignal.await();
            server.stop(0);
        }
        return 0;
    }

    /** The context "/" gets every path: route as the example does, 404 for the rest. */
    private static void handle(HttpExchange ex) throws IOException {
        try (ex) {
            String path = ex.getRequestURI().getRawPath();
            String method = ex.getRequestMethod();
            Headers h = ex.getResponseHeaders();
            h.set("Server", HelloPage.SERVER);
            if (path.equals("/") && (method.equals("GET") || method.equals("HEAD"))) {
                h.set("Content-Type", HelloPage.CONTENT_TYPE);
                if (method.equals("HEAD")) {
                    h.set("Content-Length", Integer.toString(HelloPage.BODY.length));
                    ex.sendResponseHeaders(200, -1);
                    return;
                }
                ex.sendResponseHeaders(200, HelloPage.BODY.length);
                try (OutputStream out = ex.getResponseBody()) {
                    out.write(HelloPage.BODY);
                }
            } else if (path.equals("/echo") && method.equals("POST")) {
                byte[] body;
                try (InputStream in = ex.getRequestBody()) {
                    body = in.readNBytes(HelloPage.MAX_BODY + 1);
                }
                if (body.length > HelloPage.MAX_BODY) {
                    ex.sendResponseHeaders(413, -1);
                    return;
                }
                String type = ex.getRequestHeaders().getFirst("Content-Type");
                h.set("Content-Type", type != null ? type : HelloPage.ECHO_DEFAULT_TYPE);
                ex.sendResponseHeaders(200, body.length == 0 ? -1 : body.length);
                try (OutputStream out = ex.getResponseBody()) {
                    out.write(body);
                }
            } else {
                ex.sendResponseHeaders(404, -1);
            }
        }
    }
}
