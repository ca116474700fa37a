package xiio.http.client;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import xiio.core.Xiio;

/**
 * Our client against the JDK's own HTTP server (com.sun.net.httpserver, on threads of
 * its own): an independent implementation of the other side, for bodies both ways,
 * fixed-length and chunked, HEAD and 204, keep-alive and redirects.
 */
class JdkServerPeerTest {
    private static final byte[] MEGABYTE = new byte[1 << 20];

    static {
        new Random(7).nextBytes(MEGABYTE);
    }

    private HttpServer server;
    private final Set<Integer> clientPorts = ConcurrentHashMap.newKeySet();

    @BeforeEach
    void start() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 50);
        server.createContext("/hello", x -> reply(x, 200, "hello from the JDK".getBytes(StandardCharsets.UTF_8), false));
        server.createContext("/echo", x -> reply(x, 200, x.getRequestBody().readAllBytes(), false));
        server.createContext("/digest", x -> reply(x, 200, sha256(x.getRequestBody().readAllBytes()).getBytes(StandardCharsets.UTF_8), false));
        server.createContext("/big", x -> reply(x, 200, MEGABYTE, true)); // chunked: no length given
        server.createContext("/empty", x -> {
            clientPorts.add(x.getRemoteAddress().getPort());
            x.sendResponseHeaders(204, -1);
            x.close();
        });
        server.createContext("/moved", x -> {
            x.getRequestBody().readAllBytes();
            x.getResponseHeaders().add("Location", "/method");
            reply(x, 303, new byte[0], false);
        });
        server.createContext("/method", x -> reply(x, 200, (x.getRequestMethod() + " " + x.getRequestBody().readAllBytes().length)
                .getBytes(StandardCharsets.UTF_8), false));
        server.start();
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    private void reply(HttpExchange x, int status, byte[] body, boolean chunked) throws IOException {
        clientPorts.add(x.getRemoteAddress().getPort());
        boolean head = x.getRequestMethod().equals("HEAD");
        x.getResponseHeaders().add("X-Method", x.getRequestMethod());
        x.sendResponseHeaders(status, head ? -1 : chunked ? 0 : body.length == 0 ? -1 : body.length);
        try (OutputStream out = x.getResponseBody()) {
            if (!head) out.write(body);
        }
    }

    private static String sha256(byte[] b) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(b));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private URI uri(String path) {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + path);
    }

    @Test
    void getsAndKeepsTheConnectionAlive() throws Exception {
        Xiio.run(() -> {
            try (HttpClient client = HttpClient.create()) {
                for (int i = 0; i < 5; i++) {
                    ClientResponse r = client.send(ClientRequest.get(uri("/hello")));
                    assertEquals(200, r.status());
                    assertEquals("hello from the JDK", r.body().text());
                }
                assertEquals(1, clientPorts.size(), "five requests, one connection: " + clientPorts);
            }
            return null;
        });
    }

    @Test
    void postsABodyInMemoryAndAStreamedChunkedOne() throws Exception {
        Xiio.run(() -> {
            try (HttpClient client = HttpClient.create()) {
                byte[] sent = "name=xiio&kind=runtime".getBytes(StandardCharsets.UTF_8);
                assertArrayEquals(sent, client.send(ClientRequest.post(uri("/echo"), RequestBody.of(sent))).body().readAllBytes());
                RequestBody streamed = RequestBody.ofStream(-1, out -> {
                    for (int at = 0; at < MEGABYTE.length; at += 10_000) {
                        out.write(MEGABYTE, at, Math.min(10_000, MEGABYTE.length - at));
                        if (at % 100_000 == 0) Xiio.yieldNow(); // a producer that suspends between pieces
                    }
                });
                assertEquals(sha256(MEGABYTE), client.send(ClientRequest.post(uri("/digest"), streamed)).body().text());
                RequestBody sized = RequestBody.ofStream(MEGABYTE.length, out -> out.write(MEGABYTE));
                assertEquals(sha256(MEGABYTE), client.send(ClientRequest.put(uri("/digest"), sized)).body().text());
            }
            return null;
        });
    }

    @Test
    void streamsAChunkedMegabyteAsItArrives() throws Exception {
        Xiio.run(() -> {
            try (HttpClient client = HttpClient.create()) {
                String digest = client.exchange(ClientRequest.get(uri("/big")), r -> {
                    assertEquals("chunked", r.header("Transfer-Encoding"));
                    assertEquals(-1, r.body().declaredLength());
                    MessageDigest md = MessageDigest.getInstance("SHA-256");
                    byte[] buf = new byte[4096];
                    for (int n; (n = r.body().read(buf, 0, buf.length)) > 0; ) md.update(buf, 0, n);
                    return HexFormat.of().formatHex(md.digest());
                });
                assertEquals(sha256(MEGABYTE), digest);
                assertEquals(1, client.stats().idle(), "read to its end: back in the pool");
            }
            return null;
        });
    }

    @Test
    void headAndNoContentHaveNoBody() throws Exception {
        Xiio.run(() -> {
            try (HttpClient client = HttpClient.create()) {
                ClientResponse head = client.send(ClientRequest.head(uri("/hello")));
                assertEquals("HEAD", head.header("X-Method"));
                assertEquals(0, head.body().readAllBytes().length);
                ClientResponse empty = client.send(ClientRequest.get(uri("/empty")));
                assertEquals(204, empty.status());
                assertEquals("", empty.body().text());
                assertEquals("hello from the JDK", client.send(ClientRequest.get(uri("/hello"))).body().text());
                assertEquals(1, clientPorts.size(), "bodiless responses leave the connection reusable");
            }
            return null;
        });
    }

    @Test
    void aSeeOtherAfterAPostIsFollowedAsAGetOnlyWhenAskedFor() throws Exception {
        Xiio.run(() -> {
            ClientRequest post = ClientRequest.post(uri("/moved"), RequestBody.of("payload"));
            try (HttpClient plain = HttpClient.create()) {
                ClientResponse r = plain.send(post);
                assertEquals(303, r.status(), "redirects are off by default");
                assertEquals("/method", r.header("Location"));
            }
            try (HttpClient following = HttpClient.builder().redirects(RedirectPolicy.follow(5)).build()) {
                ClientResponse r = following.send(post);
                assertEquals(200, r.status());
                assertEquals("GET 0", r.body().text());
                assertEquals(uri("/method"), r.uri());
                assertNull(r.header("Location"));
            }
            return null;
        });
    }

    @Test
    void concurrentRequestsFromOneRun() throws Exception {
        Xiio.run(() -> {
            try (HttpClient client = HttpClient.builder().maxConnectionsPerOrigin(3).build()) {
                List<String> bodies = xiio.concurrent.TaskGroup.gather(List.of(
                        () -> client.send(ClientRequest.get(uri("/hello"))).body().text(),
                        () -> client.send(ClientRequest.post(uri("/echo"), RequestBody.of("two"))).body().text(),
                        () -> client.send(ClientRequest.get(uri("/hello"))).body().text()));
                assertEquals(List.of("hello from the JDK", "two", "hello from the JDK"), bodies);
                assertTrue(clientPorts.size() <= 3);
            }
            return null;
        });
    }
}
