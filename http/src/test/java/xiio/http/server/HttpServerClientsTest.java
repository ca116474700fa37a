package xiio.http.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import xiio.core.Xiio;

/** The server against clients that are not ours: the JDK's HttpClient, curl, Python's http.client. */
class HttpServerClientsTest {
    static final Router ROUTER = new Router()
            .get("/hello/{name}", r -> Response.text(200, "hello " + r.param("name") + "\n"))
            .post("/echo", r -> Response.of(200, "application/octet-stream", r.body().readAllBytes()))
            .get("/stream/{n}", r -> Response.stream(200, "text/plain", out -> {
                int n = Integer.parseInt(r.param("n"));
                for (int i = 0; i < n; i++) {
                    out.write("line " + i + "\n");
                    if (i % 10 == 0) Xiio.yieldNow();
                }
            }))
            .get("/files/{rest...}", r -> Response.text(200, "rest=" + r.param("rest") + "\n"));

    @Test
    void theJdkHttpClientKeepsOneConnectionAndStreamsBothWays() throws Exception {
        byte[] upload = new byte[300_000];
        new Random(1).nextBytes(upload);
        ServerFixture.withServer(ROUTER, ServerConfig.DEFAULT, port -> {
            try (HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build()) {
                for (int i = 0; i < 20; i++) {
                    HttpResponse<String> r = client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/hello/w%C3%B6rld" + i)).build(),
                            HttpResponse.BodyHandlers.ofString());
                    assertEquals(200, r.statusCode());
                    assertEquals("hello wörld" + i + "\n", r.body());
                    assertTrue(r.headers().firstValue("date").isPresent());
                }
                // an input stream of unknown length: the JDK sends it chunked
                HttpResponse<byte[]> echo = client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/echo"))
                        .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(upload))).build(),
                        HttpResponse.BodyHandlers.ofByteArray());
                assertEquals(200, echo.statusCode());
                assertTrue(java.util.Arrays.equals(upload, echo.body()), "the chunked upload came back whole");
                HttpResponse<String> stream = client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/stream/1000")).build(),
                        HttpResponse.BodyHandlers.ofString());
                assertEquals(1000, stream.body().lines().count());
                assertEquals("line 999", stream.body().lines().toList().getLast());
                HttpResponse<String> missing = client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/nope")).build(),
                        HttpResponse.BodyHandlers.ofString());
                assertEquals(404, missing.statusCode());
                HttpResponse<String> wrongMethod = client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/echo")).build(),
                        HttpResponse.BodyHandlers.ofString());
                assertEquals(405, wrongMethod.statusCode());
                assertEquals("POST", wrongMethod.headers().firstValue("allow").orElseThrow());
            }
            return null;
        });
    }

    @Test
    void curlUploadsChunkedDownloadsStreamedAndSendsDotsAsIs() throws Exception {
        byte[] upload = new byte[1_000_000];
        new Random(2).nextBytes(upload);
        ServerFixture.withServer(ROUTER, ServerConfig.DEFAULT.withMaxBodyBytes(4 << 20), port -> {
            String base = "http://127.0.0.1:" + port;
            // -T - reads stdin: a body of unknown length, sent chunked
            byte[] echoed = curl(upload, "--http1.1", "-sS", "-T", "-", "-X", "POST", base + "/echo");
            assertTrue(java.util.Arrays.equals(upload, echoed), "curl -T: " + echoed.length + " bytes came back");
            String streamed = new String(curl(null, "--http1.1", "-sS", base + "/stream/500"), StandardCharsets.UTF_8);
            assertEquals(500, streamed.lines().count());
            String asIs = new String(curl(null, "-sS", "--path-as-is", base + "/files/a/../../etc/passwd"), StandardCharsets.UTF_8);
            assertEquals("400 Bad Request: '..' is not allowed in the path /files/a/../../etc/passwd\n", asIs,
                    "the router refuses dot-dot segments: a tail parameter never climbs above its prefix");
            String squashed = new String(curl(null, "-sS", base + "/files/a/../b/./c"), StandardCharsets.UTF_8);
            assertEquals("rest=b/c\n", squashed, "curl removes the dot segments itself unless told --path-as-is");
            String head = new String(curl(null, "-sS", "-I", base + "/hello/x"), StandardCharsets.ISO_8859_1);
            assertTrue(head.startsWith("HTTP/1.1 200 OK\r\n") && head.contains("Content-Length: 8\r\n"), head);
            return null;
        });
    }

    @Test
    void pythonsHttpClientReadsChunkedAndHttp10Answers() throws Exception {
        ServerFixture.withServer(ROUTER, ServerConfig.DEFAULT, port -> {
            String script = String.join("\n",
                    "import http.client, sys",
                    "c = http.client.HTTPConnection('127.0.0.1', " + port + ")",
                    "c.request('GET', '/stream/50'); r = c.getresponse()",
                    "print(r.status, r.getheader('Transfer-Encoding'), len(r.read().splitlines()))",
                    "c.request('HEAD', '/hello/p'); r = c.getresponse(); print(r.status, r.getheader('Content-Length'), len(r.read()))",
                    "c._http_vsn = 10; c._http_vsn_str = 'HTTP/1.0'",
                    "c.request('GET', '/stream/3'); r = c.getresponse(); print(r.status, r.getheader('Connection'), r.read().decode().count('line'))");
            String out = run(null, "python3", "-c", script).trim();
            assertEquals(List.of("200 chunked 50", "200 8 0", "200 close 3"), out.lines().toList());
            return null;
        });
    }

    @Test
    void pythonsOddFramingIsReadOrRefusedAsTheRfcSays() throws Exception {
        ServerFixture.withServer(ROUTER, ServerConfig.DEFAULT, port -> {
            String script = String.join("\n",
                    "import http.client, time",
                    "c = http.client.HTTPConnection('127.0.0.1', " + port + ")",
                    // an iterable body, chunked by http.client (an empty piece is skipped)
                    "c.request('POST', '/echo', body=iter([b'ab', b'', b'cde', b'f' * 70000]), encode_chunked=True)",
                    "r = c.getresponse(); print(r.status, len(r.read()))",
                    // a body that arrives in two sends with a pause between, lower-case names
                    "c.putrequest('POST', '/echo'); c.putheader('content-length', '10'); c.endheaders()",
                    "c.send(b'01234'); time.sleep(0.05); c.send(b'56789')",
                    "r = c.getresponse(); print(r.status, r.read().decode())",
                    // putheader with two values folds them onto a continuation line: obs-fold, refused
                    "c.putrequest('GET', '/hello/fold'); c.putheader('X-Folded', 'one', 'two'); c.endheaders()",
                    "r = c.getresponse(); print(r.status, r.getheader('Connection'))",
                    "print(r.read().decode().strip())");
            String out = run(null, "python3", "-c", script).trim();
            assertEquals(List.of("200 70005", "200 0123456789", "400 close", "400 Bad Request: obsolete line folding in the header section"),
                    out.lines().toList());
            return null;
        });
    }

    static byte[] curl(byte[] stdin, String... args) throws Exception {
        String[] cmd = new String[args.length + 1];
        cmd[0] = "curl";
        System.arraycopy(args, 0, cmd, 1, args.length);
        return runBytes(stdin, cmd);
    }

    static String run(byte[] stdin, String... cmd) throws Exception {
        return new String(runBytes(stdin, cmd), StandardCharsets.UTF_8);
    }

    static byte[] runBytes(byte[] stdin, String... cmd) throws Exception {
        Process p = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        Thread feeder = Thread.ofPlatform().start(() -> {
            try (var in = p.getOutputStream()) {
                if (stdin != null) in.write(stdin);
            } catch (IOException ignored) {
                // the process ended early: its exit status says why
            }
        });
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (InputStream from = p.getInputStream()) {
            from.transferTo(out);
        }
        assertTrue(p.waitFor(30, TimeUnit.SECONDS), "still running: " + String.join(" ", cmd));
        feeder.join(Duration.ofSeconds(5));
        assertEquals(0, p.exitValue(), String.join(" ", cmd) + " failed");
        return out.toByteArray();
    }
}
