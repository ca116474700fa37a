package xiio.http.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import xiio.core.Xiio;

/**
 * Every limit of {@link ServerConfig}: its documented default holds at the edge (the
 * last size that passes, the first that does not), and a breach gets its 4xx and a
 * closed connection. The time limits run with small values: their defaults are
 * seconds long, so for them the test checks the documented value and the behaviour
 * separately.
 */
class ServerLimitsTest {
    /** Answers GET with the path and POST with the body's length. */
    static final Handler ANSWER = r -> r.method().equals("POST")
            ? Response.text(200, "read " + r.body().readAllBytes().length + "\n")
            : Response.text(200, "path " + r.path().length() + "\n");

    @Test
    void theDocumentedDefaults() {
        ServerConfig d = ServerConfig.DEFAULT;
        assertEquals(8192, d.maxRequestLine());
        assertEquals(16 * 1024, d.maxHeaderBytes());
        assertEquals(100, d.maxHeaderFields());
        assertEquals(1 << 20, d.maxBodyBytes());
        assertEquals(Duration.ofSeconds(10), d.headTimeout());
        assertEquals(Duration.ofSeconds(30), d.idleTimeout());
        assertEquals(Duration.ofSeconds(30), d.bodyTimeout());
        assertEquals(Duration.ofMinutes(2), d.maxBodyDuration());
        assertEquals(Duration.ofSeconds(30), d.writeTimeout());
        assertEquals(Duration.ofSeconds(10), d.gracePeriod());
        assertEquals("xiio", d.serverName());
    }

    @Test
    void theRequestLineMayTake8KiBAndNotOneByteMore() throws Exception {
        ServerFixture.withServer(ANSWER, ServerConfig.DEFAULT, port -> {
            String fits = requestLineOf(8192);
            assertEquals(8192, fits.length());
            try (RawClient c = new RawClient(port)) {
                assertEquals(200, c.send(fits + "\r\nHost: x\r\n\r\n").read().status());
            }
            try (RawClient c = new RawClient(port)) {
                RawClient.Answer a = c.send(requestLineOf(8193) + "\r\nHost: x\r\n\r\n").read();
                assertRefused(c, a, 414);
            }
            return null;
        });
    }

    @Test
    void theHeaderSectionMayTake16KiBWithItsLineEndingsAndNotOneByteMore() throws Exception {
        ServerFixture.withServer(ANSWER, ServerConfig.DEFAULT, port -> {
            try (RawClient c = new RawClient(port)) {
                assertEquals(200, c.send("GET / HTTP/1.1\r\n" + headerSectionOf(16 * 1024)).read().status());
            }
            try (RawClient c = new RawClient(port)) {
                assertRefused(c, c.send("GET / HTTP/1.1\r\n" + headerSectionOf(16 * 1024 + 1)).read(), 431);
            }
            return null;
        });
    }

    @Test
    void aHundredHeaderFieldsPassAndTheHundredAndFirstIsRefused() throws Exception {
        ServerFixture.withServer(ANSWER, ServerConfig.DEFAULT, port -> {
            try (RawClient c = new RawClient(port)) {
                assertEquals(200, c.send("GET / HTTP/1.1\r\nHost: x\r\n" + "X-A: 1\r\n".repeat(99) + "\r\n").read().status());
            }
            try (RawClient c = new RawClient(port)) {
                assertRefused(c, c.send("GET / HTTP/1.1\r\nHost: x\r\n" + "X-A: 1\r\n".repeat(100) + "\r\n").read(), 431);
            }
            return null;
        });
    }

    @Test
    void aBodyOf1MiBPassesAndOneByteMoreIsRefusedDeclaredOrChunked() throws Exception {
        ServerFixture.withServer(ANSWER, ServerConfig.DEFAULT, port -> {
            int max = 1 << 20;
            try (RawClient c = new RawClient(port)) {
                RawClient.Answer a = c.send("POST / HTTP/1.1\r\nHost: x\r\nContent-Length: " + max + "\r\n\r\n" + "b".repeat(max)).read();
                assertEquals("read " + max + "\n", a.text());
            }
            try (RawClient c = new RawClient(port)) {
                // refused before any of it is sent: the client learns it without uploading a byte
                assertRefused(c, c.send("POST / HTTP/1.1\r\nHost: x\r\nContent-Length: " + (max + 1) + "\r\n\r\n").read(), 413);
            }
            try (RawClient c = new RawClient(port)) {
                String chunk = Integer.toHexString(max / 2) + "\r\n" + "c".repeat(max / 2) + "\r\n";
                assertEquals("read " + max + "\n", c.send("POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n" + chunk + chunk + "0\r\n\r\n").read().text());
                assertRefused(c, c.send("POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n" + chunk + chunk + "1\r\nd\r\n0\r\n\r\n").read(), 413);
            }
            return null;
        });
    }

    @Test
    void aHeadThatTricklesInIsCutOffAtTheHeadTimeoutWith408() throws Exception {
        // slowloris: one byte every 50 ms keeps every read busy, but the head as a whole has 600 ms
        ServerConfig config = ServerConfig.DEFAULT.withHeadTimeout(Duration.ofMillis(600));
        ServerFixture.withServer(ANSWER, config, port -> {
            try (RawClient c = new RawClient(port)) {
                long t0 = System.nanoTime();
                byte[] head = "GET / HTTP/1.1\r\nHost: x\r\nX-Slow: ".getBytes(StandardCharsets.ISO_8859_1);
                int sent = trickle(c, i -> head[Math.min(i, head.length - 1)]);
                RawClient.Answer a = c.read();
                long ms = (System.nanoTime() - t0) / 1_000_000;
                assertRefused(c, a, 408);
                assertTrue(ms >= 500 && ms < 5000, "408 after " + ms + " ms, the limit is 600");
                assertTrue(sent < 100, "the server waited for " + sent + " trickled bytes");
            }
            return null;
        });
    }

    @Test
    void anIdleKeptAliveConnectionIsClosedQuietlyAtTheIdleTimeout() throws Exception {
        ServerConfig config = ServerConfig.DEFAULT.withIdleTimeout(Duration.ofMillis(300));
        ServerFixture.withServer(ANSWER, config, port -> {
            try (RawClient c = new RawClient(port)) {
                RawClient.Answer a = c.send("GET / HTTP/1.1\r\nHost: x\r\n\r\n").read();
                assertEquals(200, a.status());
                assertNull(a.header("Connection"), "kept alive");
                long t0 = System.nanoTime();
                assertTrue(c.closedByServer(), "closed, with no answer (nothing was asked)");
                long ms = (System.nanoTime() - t0) / 1_000_000;
                assertTrue(ms >= 200 && ms < 5000, "closed after " + ms + " ms idle, the limit is 300");
            }
            return null;
        });
    }

    @Test
    void aBodyThatStopsArrivingIsAnswered408AtTheBodyTimeout() throws Exception {
        ServerConfig config = ServerConfig.DEFAULT.withBodyTimeout(Duration.ofMillis(300));
        ServerFixture.withServer(ANSWER, config, port -> {
            try (RawClient c = new RawClient(port)) {
                long t0 = System.nanoTime();
                RawClient.Answer a = c.send("POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 10\r\n\r\nhalf").read();
                long ms = (System.nanoTime() - t0) / 1_000_000;
                assertRefused(c, a, 408);
                assertTrue(ms >= 200 && ms < 5000, "408 after " + ms + " ms, the limit is 300");
            }
            return null;
        });
    }

    @Test
    void aBodyThatTricklesInIsCutOffAtMaxBodyDurationWith408() throws Exception {
        // one byte every 50 ms keeps every read within the 300 ms body timeout; the body as a whole has 600 ms
        ServerConfig config = ServerConfig.DEFAULT.withBodyTimeout(Duration.ofMillis(300)).withMaxBodyDuration(Duration.ofMillis(600));
        ServerFixture.withServer(ANSWER, config, port -> {
            try (RawClient c = new RawClient(port)) {
                c.send("POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 1000\r\n\r\n");
                long t0 = System.nanoTime();
                int sent = trickle(c, i -> 'x');
                RawClient.Answer a = c.read();
                long ms = (System.nanoTime() - t0) / 1_000_000;
                assertRefused(c, a, 408);
                assertTrue(a.text().startsWith("408 Request Timeout: the request body took longer than 600 ms to arrive ("), a.text());
                assertTrue(ms >= 500 && ms < 5000, "408 after " + ms + " ms, the limit is 600");
                assertTrue(sent < 100, "the server waited for " + sent + " trickled bytes");
            }
            return null;
        });
    }

    @Test
    void theHandlersOwnTimeBetweenReadsDoesNotCountAgainstMaxBodyDuration() throws Exception {
        // the body is all there at once; the handler takes 2 x 250 ms over it, past the 300 ms limit
        Handler slowReader = r -> {
            byte[] buf = new byte[4];
            int total = 0;
            for (int n; (n = r.body().read(buf, 0, buf.length)) > 0; total += n) Xiio.sleep(Duration.ofMillis(250));
            return Response.text(200, "read " + total + "\n");
        };
        ServerConfig config = ServerConfig.DEFAULT.withMaxBodyDuration(Duration.ofMillis(300));
        ServerFixture.withServer(slowReader, config, port -> {
            try (RawClient c = new RawClient(port)) {
                RawClient.Answer a = c.send("POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 8\r\n\r\n12345678").read();
                assertEquals(200, a.status(), a.toString());
                assertEquals("read 8\n", a.text());
            }
            return null;
        });
        assertEquals("maxBodyDuration must be positive, got PT0S",
                assertThrows(IllegalArgumentException.class, () -> ServerConfig.DEFAULT.withMaxBodyDuration(Duration.ZERO)).getMessage());
    }

    @Test
    void aClientThatTakesNoBytesIsDroppedAtTheWriteTimeout() throws Exception {
        byte[] piece = new byte[64 * 1024];
        boolean[] ended = {false};
        Handler big = r -> Response.stream(200, "application/octet-stream", out -> {
            try {
                for (int i = 0; i < 16 * 1024; i++) out.write(piece, 0, piece.length); // 1 GiB: more than any buffer
            } finally {
                ended[0] = true;
            }
        });
        ServerConfig config = ServerConfig.DEFAULT.withWriteTimeout(Duration.ofMillis(300));
        ServerFixture.withServer(big, config, port -> {
            try (RawClient c = new RawClient(port)) {
                c.socket().setReceiveBufferSize(32 * 1024);
                c.send("GET / HTTP/1.1\r\nHost: x\r\n\r\n"); // and read nothing
                long deadline = System.nanoTime() + 20_000_000_000L;
                while (!ended[0] && System.nanoTime() < deadline) Thread.sleep(10);
                assertTrue(ended[0], "the stalled response was given up on");
            }
            return null;
        });
    }

    /** A 4xx, announced with Connection: close, then the connection closes with nothing after it. */
    static void assertRefused(RawClient c, RawClient.Answer a, int status) throws IOException {
        assertEquals(status, a.status(), a.toString());
        assertTrue(a.text().startsWith(status + " "), "the body names the status and why: " + a.text());
        assertEquals("close", a.header("Connection"), a.toString());
        assertTrue(c.closedByServer(), "closed after the " + status);
    }

    /** {@code GET /aaa... HTTP/1.1}, {@code length} bytes without its CRLF. */
    private static String requestLineOf(int length) {
        return "GET /" + "a".repeat(length - "GET / HTTP/1.1".length()) + " HTTP/1.1";
    }

    /** A header section of {@code bytes} bytes, its CRLFs and the empty line's included. */
    private static String headerSectionOf(int bytes) {
        String host = "Host: x\r\n", pad = "X-Pad: ";
        String s = host + pad + "p".repeat(bytes - host.length() - pad.length() - 4) + "\r\n\r\n";
        assertEquals(bytes, s.length());
        return s;
    }

    /**
     * Sends {@code byteAt(i)} for i = 0, 1, ... one byte every 50 ms, at most 200, until the
     * server answers or closes; how many went.
     */
    private static int trickle(RawClient c, java.util.function.IntUnaryOperator byteAt) throws Exception {
        OutputStream out = c.socket().getOutputStream();
        int sent = 0;
        try {
            for (; sent < 200; sent++) {
                out.write(byteAt.applyAsInt(sent));
                out.flush();
                Thread.sleep(50);
                if (c.socket().getInputStream().available() > 0) break;
            }
        } catch (IOException reset) {
            // the server closed while we trickled: its answer is still to be read
        }
        return sent;
    }
}
