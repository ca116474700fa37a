package xiio.docs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import xiio.concurrent.Task;
import xiio.concurrent.TaskGroup;
import xiio.concurrent.Timeout;
import xiio.core.Xiio;
import xiio.http.server.HttpServer;
import xiio.http.server.Response;
import xiio.http.server.Router;
import xiio.http.server.ServerConfig;
import xiio.http.server.StaticFiles;
import xiio.net.TcpListener;
import xiio.thread.ThreadPool;
import xiio.thread.LoopGroup;

/** The examples of docs/guide-http-server.md, against the JDK's HttpClient. */
class GuideHttpServerTest {
    static Router router() {
        // region router
        Router router = new Router()
                .get("/", request -> Response.text(200, "hello\n"))
                .get("/users/{id}", request -> Response.text(200, "user " + request.param("id") + "\n"))
                .post("/upload", request -> {
                    long size = 0;
                    byte[] buf = new byte[64 * 1024];
                    for (int n; (n = request.body().read(buf, 0, buf.length)) > 0; ) size += n; // at the client's pace
                    return Response.text(200, size + " bytes\n");
                })
                .post("/echo", request -> {           // the body back as it arrives: it costs the buffers, not its size
                    Response.StreamingBody echo = out -> request.body().transferTo(out::write);
                    long n = request.body().length();  // -1 for a chunked upload, answered chunked
                    return n < 0 ? Response.stream(200, "application/octet-stream", echo)
                            : Response.stream(200, "application/octet-stream", n, echo);
                })
                .get("/ticks", request -> Response.stream(200, "text/plain", out -> {
                    for (int i = 0; i < 3; i++) {
                        out.write("tick " + i + "\n");
                        out.flush();                       // waits for a slow client, at most writeTimeout
                        Xiio.sleep(Duration.ofMillis(10));
                    }
                }))
                .get("/report", request -> Timeout.withTimeout(Duration.ofSeconds(2), () -> {
                    // the deadline covers everything below; a client that goes away cancels it all
                    String rows = ThreadPool.runInThread(() -> "42 rows");   // a blocking database call
                    return Response.text(200, rows + "\n");
                }));
        // endregion
        return router;
    }

    @Test
    void serve() throws Exception {
        Router router = router();
        String[] got = new String[4];
        // region serve
        Xiio.run(() -> TaskGroup.scope(group -> {
            TcpListener listener = TcpListener.bind(new InetSocketAddress("127.0.0.1", 0));
            HttpServer server = new HttpServer(router, ServerConfig.DEFAULT.withMaxBodyBytes(16 << 20));
            Task<Integer> serving = group.spawn(() -> server.serve(listener));
            got[0] = ThreadPool.runInThread(() -> get(listener.localAddress().getPort(), "/users/7"));
            server.shutdown();               // graceful: in-flight requests finish within the grace period
            return serving.join();
        }));
        // endregion
        assertEquals("user 7\n", got[0]);
    }

    @Test
    void streamingAndDeadlines() throws Exception {
        Router router = router();
        String[] got = new String[2];
        Xiio.run(() -> TaskGroup.scope(group -> {
            TcpListener listener = TcpListener.bind(new InetSocketAddress("127.0.0.1", 0));
            HttpServer server = new HttpServer(router, ServerConfig.DEFAULT.withMaxBodyBytes(16 << 20));
            Task<Integer> serving = group.spawn(() -> server.serve(listener));
            int port = listener.localAddress().getPort();
            got[0] = ThreadPool.runInThread(() -> get(port, "/ticks"));
            got[1] = ThreadPool.runInThread(() -> get(port, "/report"));
            ThreadPool.runInThread(() -> {
                byte[] body = new byte[3 << 20];
                new java.util.Random(5).nextBytes(body);
                try (HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build()) {
                    HttpResponse<byte[]> r = client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/echo"))
                            .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(), HttpResponse.BodyHandlers.ofByteArray());
                    assertEquals(String.valueOf(body.length), r.headers().firstValue("Content-Length").orElse("none"));
                    org.junit.jupiter.api.Assertions.assertArrayEquals(body, r.body());
                }
                return null;
            });
            server.shutdown();
            return serving.join();
        }));
        assertEquals("tick 0\ntick 1\ntick 2\n", got[0]);
        assertEquals("42 rows\n", got[1]);
    }

    @Test
    void staticFiles() throws Exception {
        Path site = Files.createTempDirectory("xiio-guide-site");
        Path css = Files.writeString(Files.createDirectories(site.resolve("css")).resolve("site.css"), "body { margin: 0 }\n");
        try {
            // region staticFiles
            StaticFiles files = StaticFiles.builder(site)      // the directory to serve
                    .prefix("/static/")
                    .cacheControl("max-age=3600")
                    .build();                                  // resolves the root once; IOException if it is not a directory
            Router router = files.addTo(new Router().get("/", request -> Response.text(200, "home\n")));
            // endregion
            HttpResponse<?>[] got = new HttpResponse<?>[3];
            Xiio.run(() -> TaskGroup.scope(group -> {
                TcpListener listener = TcpListener.bind(new InetSocketAddress("127.0.0.1", 0));
                HttpServer server = new HttpServer(router, ServerConfig.DEFAULT);
                Task<Integer> serving = group.spawn(() -> server.serve(listener));
                String base = "http://127.0.0.1:" + listener.localAddress().getPort();
                ThreadPool.runInThread(() -> {
                    try (HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build()) {
                        got[0] = client.send(HttpRequest.newBuilder(URI.create(base + "/static/css/site.css")).build(), HttpResponse.BodyHandlers.ofString());
                        String etag = got[0].headers().firstValue("ETag").orElseThrow();
                        got[1] = client.send(HttpRequest.newBuilder(URI.create(base + "/static/css/site.css")).header("If-None-Match", etag).build(),
                                HttpResponse.BodyHandlers.ofString());
                        got[2] = client.send(HttpRequest.newBuilder(URI.create(base + "/static/css/site.css")).header("Range", "bytes=0-3").build(),
                                HttpResponse.BodyHandlers.ofString());
                    }
                    return null;
                });
                server.shutdown();
                return serving.join();
            }));
            assertEquals("body { margin: 0 }\n", got[0].body());
            assertEquals("text/css; charset=utf-8", got[0].headers().firstValue("Content-Type").orElseThrow());
            assertEquals("max-age=3600", got[0].headers().firstValue("Cache-Control").orElseThrow());
            assertEquals(304, got[1].statusCode());
            assertEquals(206, got[2].statusCode());
            assertEquals("body", got[2].body());
        } finally {
            Files.delete(css);
            Files.delete(css.getParent());
            Files.delete(site);
        }
    }

    @Test
    void loops() throws Exception {
        Router router = router();
        int port;
        try (java.net.ServerSocket probe = new java.net.ServerSocket(0)) {
            port = probe.getLocalPort(); // a free port for the loops to share
        }
        // region loops
        LoopGroup group = LoopGroup.start("http", 2, loop -> {
            TcpListener.Options shared = TcpListener.Options.DEFAULT.withReusePort(true);
            TcpListener listener = TcpListener.bind(new InetSocketAddress("127.0.0.1", port), shared);
            new HttpServer(router, ServerConfig.DEFAULT).serve(listener);  // this loop's share of the clients
        });
        // ... later, from any thread:
        group.shutdown();   // cancels every loop's server; their cleanup closes listeners and connections
        group.join();       // throws the first failure of a loop, if any
        // endregion
    }

    @Test
    void loopsAnswer() throws Exception {
        Router router = router();
        int port;
        try (java.net.ServerSocket probe = new java.net.ServerSocket(0)) {
            port = probe.getLocalPort();
        }
        java.util.concurrent.CountDownLatch bound = new java.util.concurrent.CountDownLatch(2);
        LoopGroup group = LoopGroup.start("http", 2, loop -> {
            TcpListener listener = TcpListener.bind(new InetSocketAddress("127.0.0.1", port), TcpListener.Options.DEFAULT.withReusePort(true));
            bound.countDown();
            new HttpServer(router, ServerConfig.DEFAULT).serve(listener);
        });
        try {
            assertTrue(bound.await(10, java.util.concurrent.TimeUnit.SECONDS));
            for (int i = 0; i < 10; i++) assertEquals("hello\n", get(port, "/"));
        } finally {
            group.shutdown();
            group.join();
        }
    }

    private static String get(int port, String path) throws Exception {
        try (HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build()) {
            HttpResponse<String> r = client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertTrue(r.statusCode() == 200, path + ": " + r.statusCode());
            return r.body();
        }
    }
}
