package xiio.http.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/**
 * Handlers that fail after their answer has begun: a streamed body that throws once
 * part of it is on the wire. The answer cannot be taken back, so the client must see
 * it broken (never complete, never on a connection that carries the next request),
 * and one handler's failure ends one connection, not the server.
 */
class HandlerFailureTest {
    static final Router ROUTER = new Router()
            .get("/half", r -> Response.stream(200, "text/plain", out -> {
                out.write("first half\n");
                out.flush(); // the head and the first chunk are on the wire
                throw new IllegalStateException("broke halfway");
            }))
            .get("/checked", r -> Response.stream(200, "text/plain", out -> {
                out.write("first half\n");
                out.flush();
                throw new Exception("a checked failure halfway");
            }))
            .get("/ok", r -> Response.text(200, "ok\n"));

    @Test
    void aStreamedBodyThatThrowsHalfwayIsCutAndTheServerGoesOn() throws Exception {
        ServerFixture.withServer(ROUTER, ServerConfig.DEFAULT, port -> {
            for (String path : new String[] {"/half", "/checked"}) {
                try (Socket s = new Socket("127.0.0.1", port)) {
                    s.setSoTimeout(10_000);
                    s.getOutputStream().write(("GET " + path + " HTTP/1.1\r\nHost: x\r\n\r\nGET /ok HTTP/1.1\r\nHost: x\r\n\r\n")
                            .getBytes(StandardCharsets.ISO_8859_1));
                    String got = readUntilClosed(s.getInputStream());
                    // what was sent before the reset may be lost with it, but never completed
                    assertTrue(got.isEmpty() || got.startsWith("HTTP/1.1 200"), got);
                    assertFalse(got.contains("\r\n0\r\n\r\n"), "the body looks complete: " + got);
                    assertFalse(got.contains("ok\n"), "the next request was answered on the broken connection: " + got);
                }
            }
            // the JDK's client sees a failed exchange, not a short body
            try (HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build()) {
                assertThrows(IOException.class, () -> client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/half")).build(),
                        HttpResponse.BodyHandlers.ofString()));
                HttpResponse<String> ok = client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/ok")).build(),
                        HttpResponse.BodyHandlers.ofString());
                assertEquals("ok\n", ok.body());
            }
            return null;
        }); // and serve() returned: before, the first failure escaped it and ended the server
    }

    @Test
    void aHandlerThatThrowsAnErrorGetsA500AndTheServerGoesOn() throws Exception {
        // an assertion, a failed static initializer, a runaway recursion: one handler's bug
        // each, which ended serve() and every connection with it
        Router errors = new Router()
                .get("/assert", r -> {
                    throw new AssertionError("an invariant broke");
                })
                .get("/init", r -> {
                    throw new ExceptionInInitializerError("a static initializer failed");
                })
                .get("/recursion", r -> Response.text(200, "depth " + recurse(0)))
                .get("/streamed", r -> Response.stream(200, "text/plain", out -> {
                    out.write("begun\n");
                    out.flush();
                    throw new AssertionError("broke while streaming");
                }))
                .get("/ok", r -> Response.text(200, "ok\n"));
        ServerFixture.withServer(errors, ServerConfig.DEFAULT, port -> {
            for (String path : new String[] {"/assert", "/init", "/recursion"}) {
                try (RawClient c = new RawClient(port)) {
                    RawClient.Answer a = c.send("GET " + path + " HTTP/1.1\r\nHost: x\r\n\r\n").read();
                    assertEquals(500, a.status(), path);
                    assertEquals("ok\n", c.send("GET /ok HTTP/1.1\r\nHost: x\r\n\r\n").read().text(), "the connection goes on after " + path);
                }
            }
            try (Socket s = new Socket("127.0.0.1", port)) {
                s.setSoTimeout(10_000);
                s.getOutputStream().write("GET /streamed HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
                assertFalse(readUntilClosed(s.getInputStream()).contains("\r\n0\r\n\r\n"), "a cut stream never looks complete");
            }
            try (RawClient c = new RawClient(port)) {
                assertEquals("ok\n", c.send("GET /ok HTTP/1.1\r\nHost: x\r\n\r\n").read().text());
            }
            return null;
        });
    }

    private static int recurse(int n) {
        return recurse(n + 1) + 1;
    }

    @Test
    void anAccessLogThatThrowsIsLoggedAndTheServerGoesOn() throws Exception {
        // a log that writes to a full disk: it ended serve() and every connection
        java.util.concurrent.atomic.AtomicInteger calls = new java.util.concurrent.atomic.AtomicInteger();
        AccessLog failing = new AccessLog() {
            @Override
            public void request(Request request, int status, long bytes, long nanos) {
                if (calls.incrementAndGet() == 1) throw new java.io.UncheckedIOException(new java.io.IOException("No space left on device"));
            }

            @Override
            public void dropped(java.net.InetSocketAddress peer, String reason) {
                throw new java.io.UncheckedIOException(new java.io.IOException("No space left on device"));
            }
        };
        HttpServer server = new HttpServer(ROUTER, ServerConfig.DEFAULT).withAccessLog(failing);
        ServerFixture.withServer(server, null, port -> {
            try (RawClient c = new RawClient(port)) {
                assertEquals("ok\n", c.send("GET /ok HTTP/1.1\r\nHost: x\r\n\r\n").read().text());
                assertEquals("ok\n", c.send("GET /ok HTTP/1.1\r\nHost: x\r\n\r\n").read().text(), "and the connection too");
            }
            try (RawClient c = new RawClient(port)) { // a malformed request: a 400, and the log told of the drop
                assertEquals(400, c.send("GET /ok HTTP/1.1\r\nHost: x\r\nBad Name: 1\r\n\r\n").read().status());
            }
            try (Socket s = new Socket("127.0.0.1", port)) { // a reset inside a head: the log told of that drop too
                s.getOutputStream().write("GET /ok HTTP/1.1\r\n".getBytes(StandardCharsets.ISO_8859_1));
                Thread.sleep(100);
                s.setSoLinger(true, 0);
            }
            Thread.sleep(100);
            try (RawClient c = new RawClient(port)) {
                assertEquals("ok\n", c.send("GET /ok HTTP/1.1\r\nHost: x\r\n\r\n").read().text(), "the server goes on");
            }
            try (RawClient c = new RawClient(port)) {
                assertEquals("ok\n", c.send("GET /ok HTTP/1.1\r\nHost: x\r\n\r\n").read().text());
            }
            return null;
        });
    }

    @Test
    void anHttp10BodyEndedByTheCloseIsResetWhenItsHandlerFails() throws Exception {
        // no length and no chunks: a clean close would say "complete", so the cut is a reset
        ServerFixture.withServer(ROUTER, ServerConfig.DEFAULT, port -> {
            try (Socket s = new Socket("127.0.0.1", port)) {
                s.setSoTimeout(10_000);
                s.getOutputStream().write("GET /half HTTP/1.0\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
                InputStream in = s.getInputStream();
                assertThrows(java.net.SocketException.class, () -> {
                    while (in.read() >= 0) {
                        // until the reset
                    }
                });
            }
            return null;
        });
    }

    @Test
    void anAnswerCutByTheEndOfTheGracePeriodIsResetNotEnded() throws Exception {
        // a stream that never ends, to an HTTP/1.0 client: its body ends with the connection,
        // so the cut must be a reset (a FIN read as the end of a complete body before)
        Router ticks = new Router().get("/ticks", r -> Response.stream(200, "text/plain", out -> {
            for (int i = 0; ; i++) {
                out.write("tick " + i + "\n");
                out.flush();
                xiio.core.Xiio.sleep(java.time.Duration.ofMillis(20));
            }
        }));
        HttpServer server = new HttpServer(ticks, ServerConfig.DEFAULT.withGracePeriod(java.time.Duration.ofMillis(100)));
        java.util.concurrent.CountDownLatch reading = new java.util.concurrent.CountDownLatch(1);
        String[] seen = new String[1];
        int cancelled = xiio.core.Xiio.run(() -> xiio.concurrent.TaskGroup.scope(group -> {
            xiio.net.TcpListener listener = xiio.net.TcpListener.bind(new java.net.InetSocketAddress("127.0.0.1", 0));
            int port = listener.localAddress().getPort();
            xiio.concurrent.Task<Integer> serving = group.spawn("server", () -> server.serve(listener));
            xiio.concurrent.Task<Void> client = group.spawn("client", () -> xiio.thread.ThreadPool.runInThread(() -> {
                try (Socket s = new Socket("127.0.0.1", port)) {
                    s.setSoTimeout(10_000);
                    s.getOutputStream().write("GET /ticks HTTP/1.0\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
                    InputStream in = s.getInputStream();
                    in.read(); // the answer has begun
                    reading.countDown();
                    try {
                        while (in.read() >= 0) {
                            // until the cut
                        }
                        seen[0] = "a clean end of stream";
                    } catch (java.net.SocketException reset) {
                        seen[0] = "a reset";
                    }
                }
                return null;
            }));
            xiio.thread.ThreadPool.runInThread(() -> reading.await(10, java.util.concurrent.TimeUnit.SECONDS));
            server.shutdown();
            int n = serving.join();
            client.join();
            return n;
        }));
        assertEquals(1, cancelled, "the stream was still running when the grace period ended");
        assertEquals("a reset", seen[0]);
    }

    private static String readUntilClosed(InputStream in) throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        try {
            in.transferTo(b);
        } catch (java.net.SocketException reset) {
            // a reset is how the cut answer ends
        }
        return b.toString(StandardCharsets.ISO_8859_1);
    }
}
