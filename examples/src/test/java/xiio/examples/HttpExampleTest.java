package xiio.examples;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import xiio.examples.support.ExampleProcess;
import xiio.examples.support.RawHttp;
import xiio.examples.support.Tool;

/**
 * The HTTP server's protocol, against the JDK's HttpClient, curl, and requests
 * written by hand. One server for the class: {@code --max-body 65536}, and 2 s idle
 * and I/O timeouts so the timeout tests are quick.
 */
class HttpExampleTest {
    private static ExampleProcess server;
    private static int port;

    @BeforeAll
    static void startServer() throws Exception {
        server = ExampleProcess.start("http", "--port", "0", "--max-body", "65536", "--idle-timeout", "2s", "--io-timeout", "2s");
        port = Integer.parseInt(server.awaitLine("http listening on http://127.0.0.1:(\\d+)/").group(1));
    }

    @AfterAll
    static void stopServer() throws Exception {
        server.close();
    }

    private static URI uri(String path) {
        return URI.create("http://127.0.0.1:" + port + path);
    }

    private static HttpClient client() {
        return HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(5)).build();
    }

    @Test
    void helloPageAndHeadWithTheJdkClient() throws Exception {
        try (HttpClient http = client()) {
            HttpResponse<String> get = http.send(HttpRequest.newBuilder(uri("/")).build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(200, get.statusCode());
            assertTrue(get.body().contains("Hello from xiio-java"), get.body());
            assertEquals("text/html; charset=utf-8", get.headers().firstValue("Content-Type").orElseThrow());
            HttpResponse<String> head = http.send(HttpRequest.newBuilder(uri("/")).method("HEAD", HttpRequest.BodyPublishers.noBody()).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(200, head.statusCode());
            assertEquals("", head.body());
            assertEquals(String.valueOf(get.body().getBytes(StandardCharsets.UTF_8).length),
                    head.headers().firstValue("Content-Length").orElseThrow(), "HEAD promises the GET's length");

            byte[] payload = new byte[50_000];
            new Random(7).nextBytes(payload);
            HttpResponse<byte[]> echo = http.send(HttpRequest.newBuilder(uri("/echo")).header("Content-Type", "application/x-test")
                    .POST(HttpRequest.BodyPublishers.ofByteArray(payload)).build(), HttpResponse.BodyHandlers.ofByteArray());
            assertEquals(200, echo.statusCode());
            assertEquals("application/x-test", echo.headers().firstValue("Content-Type").orElseThrow());
            assertArrayEquals(payload, echo.body());
        }
    }

    @Test
    void keepAliveServesRequestsOnOneConnectionAndHttp10Closes() throws Exception {
        try (RawHttp c = new RawHttp(port)) {
            for (int i = 0; i < 3; i++) {
                RawHttp.Response r = c.send("GET / HTTP/1.1\r\nHost: x\r\n\r\n").read();
                assertEquals(200, r.status());
                assertNull(r.header("Connection"), "kept alive");
            }
            assertEquals(404, c.send("GET /nothing HTTP/1.1\r\nHost: x\r\n\r\n").read().status());
            RawHttp.Response last = c.send("GET / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n").read();
            assertEquals("close", last.header("Connection"));
            assertTrue(c.closedByServer());
        }
        try (RawHttp c = new RawHttp(port)) {
            RawHttp.Response r = c.send("GET / HTTP/1.0\r\n\r\n").read();
            assertEquals(200, r.status());
            assertEquals("close", r.header("Connection"), "HTTP/1.0 closes unless asked to keep alive");
            assertTrue(c.closedByServer());
        }
        try (RawHttp c = new RawHttp(port)) {
            RawHttp.Response kept = c.send("GET / HTTP/1.0\r\nConnection: keep-alive\r\n\r\n").read();
            assertEquals("keep-alive", kept.header("Connection"), "an HTTP/1.0 client keeps the connection only if told so");
            assertEquals(200, c.send("GET / HTTP/1.0\r\nConnection: keep-alive\r\n\r\n").read().status());
        }
    }

    @Test
    void pipelinedRequestsAreAnsweredInTheOrderTheyCame() throws Exception {
        try (RawHttp c = new RawHttp(port)) {
            // one write; the first is the slowest, and must still be answered first
            c.send("GET /sleep?ms=300 HTTP/1.1\r\nHost: x\r\n\r\n"
                    + "GET / HTTP/1.1\r\nHost: x\r\n\r\n"
                    + "HEAD / HTTP/1.1\r\nHost: x\r\n\r\n"
                    + "POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\n\r\nhello"
                    + "POST /echo HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n0\r\n\r\n"
                    + "GET /missing HTTP/1.1\r\nHost: x\r\n\r\n");
            assertEquals("slept 300 ms\n", c.read().text());
            assertTrue(c.read().text().contains("Hello"));
            RawHttp.Response head = c.read(true);
            assertEquals(200, head.status());
            assertEquals("hello", c.read().text());
            assertEquals("abc", c.read().text());
            assertEquals(404, c.read().status());
            assertEquals(200, c.send("GET / HTTP/1.1\r\nHost: x\r\n\r\n").read().status(), "still open after the batch");
        }
    }

    @Test
    void chunkedBodiesWithExtensionsAndTrailers() throws Exception {
        try (RawHttp c = new RawHttp(port)) {
            RawHttp.Response r = c.send("POST /echo HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n"
                    + "5;name=value\r\nhello\r\n1\r\n,\r\n6\r\n world\r\n0\r\nX-Checksum: none\r\n\r\n").read();
            assertEquals(200, r.status());
            assertEquals("hello, world", r.text());
        }
    }

    @Test
    void expectContinueGetsAnInterimAnswerBeforeTheBody() throws Exception {
        try (RawHttp c = new RawHttp(port)) {
            c.send("POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: 4\r\nExpect: 100-continue\r\n\r\n");
            assertEquals(100, c.read().status());
            assertEquals("ping", c.send("ping").read().text());
        }
        try (RawHttp c = new RawHttp(port)) {
            c.send("POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: 100000\r\nExpect: 100-continue\r\n\r\n");
            assertEquals(413, c.read().status(), "too large: refused before the body is sent");
        }
    }

    @ParameterizedTest(name = "{0} -> {1}, connection {2}")
    @CsvSource(delimiter = '|', value = {
        "GARBAGE                                                                               | 400 | closed",
        "GET / HTTP/2.0\\r\\nHost: x                                                           | 505 | closed",
        "GET / HTTP/1.1                                                                        | 400 | closed",
        "GET / HTTP/1.1\\r\\nHost: a\\r\\nHost: b                                              | 400 | closed",
        "GET example.com/ HTTP/1.1\\r\\nHost: x                                                | 400 | closed",
        "GET / HTTP/1.1\\r\\nHost: x\\r\\n folded: header                                      | 400 | closed",
        "GET / HTTP/1.1\\r\\nHost : x                                                          | 400 | closed",
        "DELETE / HTTP/1.1\\r\\nHost: x                                                        | 405 | open",
        "GET /echo HTTP/1.1\\r\\nHost: x                                                       | 405 | open",
        "POST /echo HTTP/1.1\\r\\nHost: x\\r\\nContent-Length: 100000                          | 413 | closed",
        "POST /echo HTTP/1.1\\r\\nHost: x\\r\\nContent-Length: +5                              | 400 | closed",
        "POST /echo HTTP/1.1\\r\\nHost: x\\r\\nContent-Length: 5\\r\\nContent-Length: 6        | 400 | closed",
        "POST /echo HTTP/1.1\\r\\nHost: x\\r\\nTransfer-Encoding: gzip                         | 501 | closed",
        "POST /echo HTTP/1.1\\r\\nHost: x\\r\\nTransfer-Encoding: chunked\\r\\nContent-Length: 3 | 400 | closed",
        "GET /sleep?ms=lots HTTP/1.1\\r\\nHost: x                                              | 400 | open",
    })
    void badRequestsGetTheirStatus(String head, int status, String connection) throws Exception {
        try (RawHttp c = new RawHttp(port)) {
            RawHttp.Response r = c.send(head.replace("\\r\\n", "\r\n") + "\r\n\r\n").read();
            assertEquals(status, r.status(), r.toString());
            assertTrue(r.text().startsWith(status + " "), r.text());
            if (status == 405) assertTrue(r.header("Allow").contains(head.startsWith("GET /echo") ? "POST" : "GET"));
            if (connection.equals("closed")) {
                // a malformed message: nobody knows where the next one would start
                assertEquals("close", r.header("Connection"));
                assertTrue(c.closedByServer());
            } else {
                // a well-formed request the routes refuse: the connection goes on
                assertEquals(200, c.send("GET / HTTP/1.1\r\nHost: x\r\n\r\n").read().status());
            }
        }
    }

    /**
     * A client still sending when the server answers 414 or 431 reads the answer: the
     * server drains what follows before it closes. Closing at once with input unread
     * makes the kernel reset the connection, and the client's next write then fails.
     */
    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "414 | GET /a | a",
        "431 | GET / HTTP/1.1 CRLF Host: x CRLF X-Big: b | b",
    })
    void aClientStillSendingWhenTheServerRefusesItsHeadReadsTheAnswer(int status, String start, String filler) throws Exception {
        try (RawHttp c = new RawHttp(port)) {
            c.send(start.replace(" CRLF ", "\r\n") + filler.repeat(20_000));   // over the limit: the server answers now
            for (int i = 0; i < 10; i++) {                                    // while the client goes on sending
                Thread.sleep(20);
                c.send(filler.repeat(2000));
            }
            c.send("\r\n\r\n");
            RawHttp.Response r = c.read();
            assertEquals(status, r.status(), r.toString());
            assertEquals("close", r.header("Connection"));
            assertTrue(c.closedByServer());
        }
    }

    @Test
    void limitsOnRequestLineHeadersAndChunkedBodies() throws Exception {
        try (RawHttp c = new RawHttp(port)) {
            assertEquals(414, c.send("GET /" + "a".repeat(9000) + " HTTP/1.1\r\nHost: x\r\n\r\n").read().status());
        }
        try (RawHttp c = new RawHttp(port)) {
            assertEquals(431, c.send("GET / HTTP/1.1\r\nHost: x\r\nX-Big: " + "b".repeat(20_000) + "\r\n\r\n").read().status());
        }
        try (RawHttp c = new RawHttp(port)) {
            assertEquals(431, c.send("GET / HTTP/1.1\r\nHost: x\r\n" + "X-A: 1\r\n".repeat(101) + "\r\n").read().status());
        }
        try (RawHttp c = new RawHttp(port)) {
            String chunk = Integer.toHexString(40_000) + "\r\n" + "c".repeat(40_000) + "\r\n";
            RawHttp.Response r = c.send("POST /echo HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n" + chunk + chunk).read();
            assertEquals(413, r.status(), "80,000 chunked bytes over a 65,536 limit");
        }
        try (RawHttp c = new RawHttp(port)) {
            assertEquals(400, c.send("POST /echo HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n").read().status());
        }
    }

    @Test
    void slowClientsAreTimedOut() throws Exception {
        try (RawHttp c = new RawHttp(port)) {
            c.send("GET / HTTP/1.1\r\nHost:"); // and nothing more: the head never completes (slowloris)
            long t0 = System.nanoTime();
            assertEquals(408, c.read().status(), "a 408 after the 2 s head timeout");
            assertTrue(System.nanoTime() - t0 > 1_000_000_000L);
            assertTrue(c.closedByServer(), "then closed");
        }
        try (RawHttp c = new RawHttp(port)) {
            RawHttp.Response r = c.send("POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: 10\r\n\r\nhalf").read();
            assertEquals(408, r.status(), "the body did not arrive within the 2 s I/O timeout");
        }
    }

    @Test
    void curlGetsPagesAndSendsChunkedBodies(@TempDir Path dir) throws Exception {
        Tool.Result hello = Tool.run(Duration.ofSeconds(20), "curl", "-sS", "--max-time", "10", "-i", uri("/").toString());
        assertEquals(0, hello.status(), hello.stderr());
        assertTrue(hello.stdout().startsWith("HTTP/1.1 200 OK\r\n"), hello.stdout());
        assertTrue(hello.stdout().contains("Hello from xiio-java"));

        Path file = dir.resolve("body.bin");
        byte[] payload = new byte[60_000];
        new Random(3).nextBytes(payload);
        Files.write(file, payload);
        Tool.Result echo = Tool.run(Duration.ofSeconds(20), "curl", "-sS", "--max-time", "10", "-H", "Transfer-Encoding: chunked",
                "-H", "Content-Type: application/octet-stream", "--data-binary", "@" + file, uri("/echo").toString());
        assertEquals(0, echo.status(), echo.stderr());
        assertArrayEquals(payload, echo.stdoutBytes());

        // streamed back: with the upload's length when it declared one, chunked when it did not
        Tool.Result declared = Tool.run(Duration.ofSeconds(20), "curl", "-sS", "--max-time", "10", "-D", dir.resolve("d.txt").toString(),
                "--data-binary", "@" + file, uri("/echo/stream").toString());
        assertEquals(0, declared.status(), declared.stderr());
        assertArrayEquals(payload, declared.stdoutBytes());
        assertTrue(Files.readString(dir.resolve("d.txt")).toLowerCase().contains("content-length: 60000"), Files.readString(dir.resolve("d.txt")));
        Tool.Result chunked = Tool.run(Duration.ofSeconds(20), "curl", "-sS", "--max-time", "10", "-D", dir.resolve("c.txt").toString(),
                "-H", "Transfer-Encoding: chunked", "--data-binary", "@" + file, uri("/echo/stream").toString());
        assertEquals(0, chunked.status(), chunked.stderr());
        assertArrayEquals(payload, chunked.stdoutBytes());
        assertTrue(Files.readString(dir.resolve("c.txt")).toLowerCase().contains("transfer-encoding: chunked"), Files.readString(dir.resolve("c.txt")));

        Tool.Result head = Tool.run(Duration.ofSeconds(20), "curl", "-sS", "--max-time", "10", "-I", uri("/").toString());
        assertTrue(head.stdout().startsWith("HTTP/1.1 200 OK"), head.stdout());
        assertTrue(head.stdout().toLowerCase().contains("content-length: "));

        Tool.Result files = Tool.run(Duration.ofSeconds(20), "curl", "-sS", "--max-time", "10", uri("/files/").toString());
        assertTrue(files.stdout().startsWith("404 Not Found: no directory is served"), files.stdout());
    }
}
