package xiio.http.server;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Random;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * A streamed response of a declared length ({@link Response#stream(int, String, long,
 * Response.StreamingBody)}): sent with {@code Content-Length} and no chunk framing,
 * written while the request's body is still arriving (an echo holds only its buffers),
 * and never seen as complete by the client when the code writes more or fewer bytes
 * than it declared.
 */
class StreamedLengthTest {
    /** Streams the request's body back, declaring its length when the request did. */
    private static final Handler ECHO = r -> {
        Response.StreamingBody echo = out -> r.body().transferTo(out::write);
        long n = r.body().length();
        return n < 0 ? Response.stream(200, "application/octet-stream", echo) : Response.stream(200, "application/octet-stream", n, echo);
    };

    @Test
    void anEchoOfADeclaredLengthIsSentWithThatLengthWhileItArrives() throws Exception {
        int size = 6 << 20; // more than both sockets' buffers hold: the answer must leave while the body arrives
        byte[] body = new byte[size];
        new Random(14).nextBytes(body);
        ServerFixture.withServer(ECHO, ServerConfig.DEFAULT.withMaxBodyBytes(size), port -> {
            try (RawClient c = new RawClient(port)) {
                for (int round = 0; round < 2; round++) { // the connection stays usable
                    AtomicReference<IOException> failed = new AtomicReference<>();
                    Thread writer = Thread.ofPlatform().start(() -> {
                        try {
                            OutputStream out = c.socket().getOutputStream();
                            out.write(("POST /e HTTP/1.1\r\nHost: x\r\nContent-Length: " + size + "\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
                            out.write(body);
                            out.flush();
                        } catch (IOException e) {
                            failed.set(e);
                        }
                    });
                    RawClient.Answer a = c.read();
                    writer.join(20_000);
                    assertNull(failed.get(), "the client's upload failed");
                    assertEquals(200, a.status());
                    assertEquals(String.valueOf(size), a.header("Content-Length"));
                    assertNull(a.header("Transfer-Encoding"), "a declared length needs no chunk framing");
                    assertArrayEquals(body, a.body(), "every byte back, in order");
                }
            }
            return null;
        });
    }

    @Test
    void aClientThatExpectsContinueIsToldToSendBeforeTheAnswerStarts() throws Exception {
        ServerFixture.withServer(ECHO, ServerConfig.DEFAULT, port -> {
            try (RawClient c = new RawClient(port)) {
                c.send("POST /e HTTP/1.1\r\nHost: x\r\nExpect: 100-continue\r\nContent-Length: 5\r\n\r\n");
                RawClient.Answer interim = c.read();
                assertEquals(100, interim.status(), "the 100 must come before the final head, or it would land in the body");
                c.send("hello");
                RawClient.Answer a = c.read();
                assertEquals(200, a.status());
                assertEquals("5", a.header("Content-Length"));
                assertEquals("hello", a.text());
                c.send("POST /e HTTP/1.1\r\nHost: x\r\nContent-Length: 2\r\n\r\nhi");
                assertEquals("hi", c.read().text(), "the connection goes on");
            }
            return null;
        });
    }

    @Test
    void aChunkedUploadIsEchoedChunked() throws Exception {
        ServerFixture.withServer(ECHO, ServerConfig.DEFAULT, port -> {
            try (RawClient c = new RawClient(port)) {
                for (int round = 0; round < 2; round++) { // read to its end by the answer, so the connection goes on
                    c.send("POST /e HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n2\r\nde\r\n0\r\n\r\n");
                    RawClient.Answer a = c.read();
                    assertEquals("chunked", a.header("Transfer-Encoding"));
                    assertEquals("abcde", a.text());
                    assertNull(a.header("Connection"));
                }
            }
            return null;
        });
    }

    @Test
    void pipelinedEchoesAreAnsweredInOrderEachWithItsOwnBody() throws Exception {
        Handler sleepThenEcho = r -> {
            if (r.path().equals("/sleep")) { // the watch reads the rest of the batch ahead meanwhile
                xiio.core.Xiio.sleep(java.time.Duration.ofMillis(200));
                return Response.text(200, "slept\n");
            }
            return ECHO.handle(r);
        };
        ServerFixture.withServer(sleepThenEcho, ServerConfig.DEFAULT, port -> {
            try (RawClient c = new RawClient(port)) {
                c.send("GET /sleep HTTP/1.1\r\nHost: x\r\n\r\n"
                        + "POST /e HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\n\r\nhello"
                        + "POST /e HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n0\r\n\r\n"
                        + "POST /e HTTP/1.1\r\nHost: x\r\nContent-Length: 2\r\n\r\nhi");
                assertEquals("slept\n", c.read().text());
                assertEquals("hello", c.read().text());
                assertEquals("abc", c.read().text());
                assertEquals("hi", c.read().text());
            }
            return null;
        });
    }

    @Test
    void headAndHttp10GetTheLengthAndHeadRunsNoCode() throws Exception {
        AtomicBoolean ran = new AtomicBoolean();
        Handler h = r -> Response.stream(200, "text/plain", 3, out -> {
            if (r.method().equals("HEAD")) ran.set(true);
            out.write("abc");
        });
        ServerFixture.withServer(h, ServerConfig.DEFAULT, port -> {
            try (RawClient c = new RawClient(port)) {
                c.send("HEAD / HTTP/1.1\r\nHost: x\r\n\r\n");
                RawClient.Answer head = c.read(true);
                assertEquals("3", head.header("Content-Length"));
                // an HTTP/1.0 client keeps its connection: the length frames the body, not the close
                c.send("GET / HTTP/1.0\r\nConnection: keep-alive\r\n\r\n");
                RawClient.Answer old = c.read();
                assertEquals("abc", old.text());
                assertEquals("keep-alive", old.header("Connection"));
                c.send("GET / HTTP/1.1\r\nHost: x\r\n\r\n");
                assertEquals("abc", c.read().text());
            }
            return null;
        });
        assertTrue(!ran.get(), "HEAD sends no body, so the code that writes it does not run");
    }

    @Test
    void aBodyLongerOrShorterThanDeclaredIsCutNeverComplete() throws Exception {
        Handler h = r -> Response.stream(200, "text/plain", 10, out -> {
            out.write("12345");
            if (r.path().equals("/long")) out.write("678901"); // fails: 11 > 10, and nothing of it is sent
        });
        ServerFixture.withServer(h, ServerConfig.DEFAULT, port -> {
            for (String path : new String[] {"/long", "/short"}) {
                try (RawClient c = new RawClient(port)) {
                    c.send("GET " + path + " HTTP/1.1\r\nHost: x\r\n\r\n");
                    IOException cut = assertThrows(IOException.class, () -> {
                        RawClient.Answer a = c.read();
                        if (a.body().length < 10) throw new java.io.EOFException(path + ": " + a.body().length + " of 10 bytes, then the close");
                    });
                    System.out.println(path + ": " + cut.getMessage());
                    assertTrue(c.closedByServer(), path + ": the connection is closed after a cut body");
                }
            }
            return null;
        });
    }

    @Test
    void aStreamedAnswerThatLeavesTheRequestUnreadClosesTheConnectionAfterIt() throws Exception {
        Handler ignoresUpload = r -> Response.stream(200, "text/plain", 2, out -> out.write("ok"));
        ServerFixture.withServer(ignoresUpload, ServerConfig.DEFAULT, port -> {
            try (RawClient c = new RawClient(port)) {
                c.send("POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 3\r\n\r\nabc");
                assertEquals("ok", c.read().text());
                assertTrue(c.closedByServer(), "an unread body leaves no way to find the next request");
            }
            return null;
        });
    }

    @Test
    void aNegativeLengthIsRefusedByName() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Response.stream(200, "text/plain", -1, out -> {}));
        assertTrue(e.getMessage().contains("declared length"), e.getMessage());
    }

    @Test
    void aRequestSaysItsDeclaredLength() throws Exception {
        Handler h = r -> {
            long declared = r.body().length();
            r.body().readAllBytes(); // an unread body would close the connection
            return Response.text(200, declared + "\n");
        };
        ServerFixture.withServer(h, ServerConfig.DEFAULT, port -> {
            try (RawClient c = new RawClient(port)) {
                c.send("GET / HTTP/1.1\r\nHost: x\r\n\r\n");
                assertEquals("0\n", c.read().text(), "no body is a length of 0");
                c.send("POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 4\r\n\r\nabcd");
                assertEquals("4\n", c.read().text());
                c.send("POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n1\r\na\r\n0\r\n\r\n");
                assertEquals("-1\n", c.read().text(), "a chunked body's length is known only at its end");
            }
            return null;
        });
    }
}
