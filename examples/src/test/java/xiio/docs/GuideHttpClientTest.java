package xiio.docs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import xiio.concurrent.Task;
import xiio.concurrent.TaskGroup;
import xiio.concurrent.Timeout;
import xiio.core.Xiio;
import xiio.http.client.ClientRequest;
import xiio.http.client.ClientResponse;
import xiio.http.client.HttpClient;
import xiio.http.client.RedirectPolicy;
import xiio.http.client.RequestBody;

/** The examples of docs/guide-http-client.md, against the JDK's own HTTP server. */
class GuideHttpClientTest {
    private HttpServer server;
    private String base;

    @BeforeEach
    void start() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 50);
        server.createContext("/", x -> {
            byte[] body = switch (x.getRequestURI().getPath()) {
                case "/slow" -> {
                    try {
                        Thread.sleep(2000);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                    yield "late".getBytes(StandardCharsets.UTF_8);
                }
                case "/old" -> {
                    x.getResponseHeaders().add("Location", "/new");
                    x.sendResponseHeaders(301, -1);
                    x.close();
                    yield null;
                }
                case "/upload" -> ("got " + x.getRequestBody().readAllBytes().length + " bytes").getBytes(StandardCharsets.UTF_8);
                default -> ("hello from " + x.getRequestURI().getPath()).getBytes(StandardCharsets.UTF_8);
            };
            if (body == null) return;
            x.sendResponseHeaders(200, body.length);
            try (OutputStream out = x.getResponseBody()) {
                out.write(body);
            }
        });
        server.setExecutor(java.util.concurrent.Executors.newFixedThreadPool(4));
        server.start();
        base = "http://127.0.0.1:" + server.getAddress().getPort();
    }

    @AfterEach
    void stop() {
        server.stop(0);
        ((java.util.concurrent.ExecutorService) server.getExecutor()).shutdownNow();
    }

    @Test
    void send() throws Exception {
        String uri = base + "/hello";
        String text = Xiio.run(() -> {
            // region send
            try (HttpClient client = HttpClient.create()) {
                ClientResponse r = client.send(ClientRequest.get(uri));   // body read, connection back in the pool
                return r.status() + " " + r.body().text();
            }
            // endregion
        });
        assertEquals("200 hello from /hello", text);
    }

    @Test
    void exchange() throws Exception {
        URI uri = URI.create(base + "/big");
        long bytes = Xiio.run(() -> {
            try (HttpClient client = HttpClient.create()) {
                // region exchange
                long total = client.exchange(ClientRequest.get(uri), r -> {
                    byte[] buf = new byte[16 * 1024];
                    long n = 0;
                    for (int got; (got = r.body().read(buf, 0, buf.length)) > 0; ) n += got;   // as it arrives
                    return n;
                });   // read to its end: the connection goes back to the pool; half-read, it is closed
                // endregion
                return total;
            }
        });
        assertEquals("hello from /big".length(), bytes);
    }

    @Test
    void bodies() throws Exception {
        URI uri = URI.create(base + "/upload");
        List<String> answers = Xiio.run(() -> {
            try (HttpClient client = HttpClient.create()) {
                // region bodies
                ClientRequest json = ClientRequest.post(uri, RequestBody.of("{\"name\": \"xiio\"}"))
                        .header("Content-Type", "application/json");
                ClientRequest lines = ClientRequest.post(uri, RequestBody.ofStream(-1, out -> {   // chunked
                    for (int i = 0; i < 1000; i++) out.write(("line " + i + "\n").getBytes(StandardCharsets.UTF_8));
                }));
                String a = client.send(json).body().text();
                String b = client.send(lines).body().text();
                // endregion
                return List.of(a, b);
            }
        });
        assertEquals(List.of("got 16 bytes", "got 8890 bytes"), answers);
    }

    @Test
    void deadline() throws Exception {
        String uri = base;
        Exception e = Xiio.run(() -> {
            try (HttpClient client = HttpClient.create()) {
                try {
                    // region deadline
                    Timeout.withTimeout(Duration.ofMillis(500), () -> {
                        String first = client.send(ClientRequest.get(uri + "/fast")).body().text();
                        return first + client.send(ClientRequest.get(uri + "/slow")).body().text();   // both within 500 ms
                    });
                    // endregion
                    return null;
                } catch (TimeoutException timedOut) {
                    assertEquals(0, client.stats().leased(), "the cancelled request closed its connection");
                    return timedOut;
                }
            }
        });
        assertTrue(e instanceof TimeoutException, String.valueOf(e));
    }

    @Test
    void pool() throws Exception {
        String uri = base + "/item";
        List<String> bodies = Xiio.run(() -> {
            // region pool
            try (HttpClient client = HttpClient.builder()
                    .maxConnectionsPerOrigin(4)            // per scheme, host and port
                    .maxConnections(64)                    // in all
                    .idleTimeout(Duration.ofSeconds(30))   // unused connections closed after this
                    .build()) {
                List<String> out = TaskGroup.scope(group -> {
                    List<Task<String>> tasks = new ArrayList<>();
                    for (int i = 0; i < 100; i++) {
                        int n = i;
                        tasks.add(group.spawn(() -> client.send(ClientRequest.get(uri + n)).body().text()));
                    }
                    List<String> texts = new ArrayList<>();
                    for (Task<String> t : tasks) texts.add(t.join());
                    return texts;
                });
                System.out.println(client.stats());   // PoolStats[open=4, idle=4, waiting=0, opened=4]
                return out;
            }
            // endregion
        });
        assertEquals(100, bodies.size());
        assertEquals("hello from /item99", bodies.get(99));
    }

    @Test
    void redirects() throws Exception {
        String uri = base + "/old";
        ClientResponse[] got = new ClientResponse[2];
        Xiio.run(() -> {
            // region redirects
            try (HttpClient plain = HttpClient.create();
                    HttpClient following = HttpClient.builder().redirects(RedirectPolicy.follow(5)).build()) {
                ClientResponse moved = plain.send(ClientRequest.get(uri));      // 301: redirects are opt-in
                ClientResponse target = following.send(ClientRequest.get(uri)); // 200 from /new
                // endregion
                got[0] = moved;
                got[1] = target;
            }
            return null;
        });
        assertEquals(301, got[0].status());
        assertEquals(200, got[1].status());
        assertEquals(URI.create(base + "/new"), got[1].uri());
    }
}
