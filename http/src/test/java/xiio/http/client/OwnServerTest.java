package xiio.http.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.Test;
import xiio.concurrent.Task;
import xiio.concurrent.TaskGroup;
import xiio.concurrent.Timeout;
import xiio.core.CancelledError;
import xiio.core.Xiio;
import xiio.http.server.Handler;
import xiio.http.server.HttpServer;
import xiio.http.server.Response;
import xiio.http.server.Router;
import xiio.http.server.ServerConfig;
import xiio.net.TcpListener;

/** Our client against our own server, both in one run; and a handler's deadline flowing into the call it makes. */
class OwnServerTest {
    /** The code run while servers listen: their base URIs. */
    @FunctionalInterface
    interface Body<T> {
        T run(URI first, URI second) throws Exception;
    }

    /** Runs {@code body} while two servers answer with {@code first} and {@code second}. */
    private static <T> T withServers(Handler first, Handler second, Body<T> body) throws Exception {
        return Xiio.run(() -> TaskGroup.scope(group -> {
            try (TcpListener a = TcpListener.bind(new InetSocketAddress("127.0.0.1", 0));
                    TcpListener b = TcpListener.bind(new InetSocketAddress("127.0.0.1", 0))) {
                HttpServer sa = new HttpServer(first, ServerConfig.DEFAULT), sb = new HttpServer(second, ServerConfig.DEFAULT);
                Task<Integer> ta = group.spawn("server a", () -> sa.serve(a));
                Task<Integer> tb = group.spawn("server b", () -> sb.serve(b));
                try {
                    return body.run(URI.create("http://127.0.0.1:" + a.localAddress().getPort()),
                            URI.create("http://127.0.0.1:" + b.localAddress().getPort()));
                } finally {
                    sa.shutdown();
                    sb.shutdown();
                    ta.join();
                    tb.join();
                }
            }
        }));
    }

    @Test
    void aUriBeyondAsciiGoesOutPercentEncodedInUtf8() throws Exception {
        // URI.create and URI's constructors keep such characters as they are: the target
        // went out one Latin-1 byte each ('?' past U+00FF), and our server refused it
        Router routes = new Router().get("/files/{name}", r -> Response.text(200, r.head().target() + " " + r.param("name") + " " + r.query("q")));
        withServers(routes, routes, (base, unused) -> {
            try (HttpClient client = HttpClient.create()) {
                URI uri = new URI("http", null, "127.0.0.1", base.getPort(), "/files/café €𝄞 x", "q=ü&r", null);
                ClientResponse r = client.send(ClientRequest.get(uri));
                assertEquals(200, r.status(), r.body().text());
                assertEquals("/files/caf%C3%A9%20%E2%82%AC%F0%9D%84%9E%20x?q=%C3%BC&r café €𝄞 x ü", r.body().text());
                assertEquals(200, client.send(ClientRequest.get(URI.create(base + "/files/naïve"))).status());
            }
            return null;
        });
    }

    @Test
    void anAnswerGivenBeforeTheBodyWasSentIsTheOneTheCallerGets() throws Exception {
        // 16 MB to handlers that refuse without reading (or after 10 bytes), or past the limit
        // it declares: the server answers,
        // drains a little and closes, so the client's sending fails; the answer waiting in its
        // buffer is what it returns, and the connection is not pooled
        Router routes = new Router()
                .post("/ignore", r -> Response.text(403, "no\n"))
                .post("/peek", r -> {
                    r.body().read(new byte[10], 0, 10);
                    return Response.text(400, "bad\n");
                });
        withServers(routes, routes, (base, unused) -> {
            try (HttpClient client = HttpClient.create()) {
                int size = 16 << 20;
                for (String path : new String[] {"/ignore", "/peek"}) {
                    int status = path.equals("/ignore") ? 403 : 400;
                    // declared, 16 MB is past the server's 1 MiB limit: 413 before the handler runs
                    assertEquals(413, client.send(ClientRequest.post(base.resolve(path), RequestBody.of(new byte[size]))).status());
                    RequestBody chunked = RequestBody.ofStream(-1, out -> {
                        byte[] piece = new byte[64 * 1024];
                        for (int i = 0; i < size / piece.length; i++) out.write(piece, 0, piece.length);
                    });
                    assertEquals(status, client.send(ClientRequest.post(base.resolve(path), chunked)).status());
                    assertEquals(0, client.stats().open(), "a connection whose request was cut is not pooled");
                }
            }
            return null;
        });
    }

    @Test
    void bodiesBothWaysOnOneKeptAliveConnection() throws Exception {
        Router routes = new Router()
                .post("/echo", r -> Response.of(200, "application/octet-stream", r.body().readAllBytes()))
                .get("/stream", r -> Response.stream(200, "text/plain", out -> {
                    for (int i = 0; i < 2000; i++) out.write("line " + i + "\n");
                }));
        withServers(routes, routes, (base, unused) -> {
            try (HttpClient client = HttpClient.create()) {
                RequestBody chunked = RequestBody.ofStream(-1, out -> {
                    for (int i = 0; i < 100; i++) out.write(("part " + i + ";").getBytes(StandardCharsets.UTF_8));
                });
                String echoed = client.send(ClientRequest.post(base.resolve("/echo"), chunked)).body().text();
                assertTrue(echoed.startsWith("part 0;part 1;") && echoed.endsWith("part 99;"), echoed);
                long lines = client.exchange(ClientRequest.get(base.resolve("/stream")),
                        r -> r.body().text().lines().count());
                assertEquals(2000, lines);
                assertEquals(new PoolStats(1, 1, 0, 1), client.stats(), "both exchanges on one connection");
            }
            return null;
        });
    }

    @Test
    void aDeadlineAroundAHandlerFlowsIntoItsOutboundCall() throws Exception {
        boolean[] downstreamCancelled = {false};
        Handler slow = r -> {
            try {
                Xiio.sleep(Duration.ofSeconds(30));
                return Response.text(200, "too late");
            } catch (CancelledError e) {
                downstreamCancelled[0] = true; // the server cancels a handler whose client went away
                throw e;
            }
        };
        HttpClient outbound = HttpClient.create(); // the proxy's client; used and closed inside the run
        withServers(proxyWithDeadline(outbound), slow, (proxy, backend) -> {
            try (outbound; HttpClient client = HttpClient.create()) {
                ClientResponse r = client.send(ClientRequest.get(proxy.resolve("/via?to=" + backend.getPort())));
                assertEquals(504, r.status());
                assertEquals("the backend took longer than 200 ms", r.body().text().strip());
                assertEquals(0, outbound.stats().open(), "the call that gave up closed its connection");
            }
            for (int i = 0; i < 100 && !downstreamCancelled[0]; i++) Xiio.sleep(Duration.ofMillis(10));
            assertTrue(downstreamCancelled[0], "the backend's handler was cancelled when the proxy's call gave up");
            return null;
        });
    }

    /** A handler that calls a backend within 200 ms: the deadline is the handler's, the call has none of its own. */
    private static Handler proxyWithDeadline(HttpClient client) {
        return r -> {
            URI backend = URI.create("http://127.0.0.1:" + r.query("to") + "/");
            try {
                return Timeout.withTimeout(Duration.ofMillis(200), () -> {
                    ClientResponse answer = client.send(ClientRequest.get(backend));
                    return Response.text(200, answer.body().text());
                });
            } catch (TimeoutException e) {
                return Response.text(504, "the backend took longer than 200 ms\n");
            }
        };
    }
}
