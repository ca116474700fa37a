package xiio.bench.http;

import io.helidon.http.Header;
import io.helidon.http.HeaderNames;
import io.helidon.http.HeaderValues;
import io.helidon.http.Method;
import io.helidon.webserver.WebServer;
import io.helidon.webserver.http.HttpRouting;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import io.helidon.webserver.http1.Http1Config;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * A peer of the http example in the HTTP benchmark: Helidon SE 4's own web server
 * (no Netty inside), which runs each connection on a virtual thread, answering
 * {@code GET /} with the hello page's bytes and {@code POST /echo} with the request
 * body. Set up as a tuned Helidon user would: headers created once, TCP_NODELAY, no
 * {@code Connection: keep-alive} on every answer (HTTP/1.1 means it), no path
 * validation. Helidon writes the Date header itself. Prints
 * {@code helidon listening on http://HOST:PORT/ pid N}, runs until SIGINT or SIGTERM,
 * then stops and exits 0.
 */
@Command(name = "helidon-http", mixinStandardHelpOptions = true,
        description = "Helidon SE 4 WebServer on virtual threads, the http benchmark's hello page and echo.")
public final class HelidonHelloServer implements Callable<Integer> {
    private static final Header SERVER = HeaderValues.createCached(HeaderNames.SERVER, HelloPage.SERVER);
    private static final Header HTML = HeaderValues.createCached(HeaderNames.CONTENT_TYPE, HelloPage.CONTENT_TYPE);
    private static final Header LENGTH = HeaderValues.createCached(HeaderNames.CONTENT_LENGTH, HelloPage.BODY.length);

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
        System.exit(new CommandLine(new HelidonHelloServer()).execute(args));
    }

    @Override
    public Integer call() throws Exception {
        WebServer server = WebServer.builder()
                .host(host)
                .port(port)
                .backlog(1024)
                .maxPayloadSize(HelloPage.MAX_BODY)
                .connectionOptions(o -> o.tcpNoDelay(true))
                .addProtocol(Http1Config.builder().sendKeepAliveHeader(false).validatePath(false).build())
                .routing(HelidonHelloServer::routes)
                .build()
                .start();
        System.out.println("helidon listening on http://" + host + ":" + server.port() + "/ pid " + ProcessHandle.current().pid());
        System.out.flush();
        StopSignal.await();
        server.stop();
        return 0;
    }

    private static void routes(HttpRouting.Builder r) {
        r.route(Method.GET, "/", HelidonHelloServer::hello)
                .route(Method.HEAD, "/", HelidonHelloServer::hello)
                .route(Method.POST, "/echo", HelidonHelloServer::echo);
    }

    private static void hello(ServerRequest req, ServerResponse res) {
        res.header(SERVER);
        res.header(HTML);
        if (req.prologue().method().equals(Method.HEAD)) {
            // Helidon 4.5 writes the entity of send(bytes) even for HEAD, which HTTP forbids
            res.header(LENGTH);
            res.send();
            return;
        }
        res.send(HelloPage.BODY);
    }

    private static void echo(ServerRequest req, ServerResponse res) {
        byte[] body = req.content().as(byte[].class);
        res.header(SERVER);
        res.header(HeaderNames.CONTENT_TYPE, req.headers().first(HeaderNames.CONTENT_TYPE).orElse(HelloPage.ECHO_DEFAULT_TYPE));
        res.send(body);
    }
}
