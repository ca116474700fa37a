package xiio.examples;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import xiio.examples.support.ExampleProcess;
import xiio.examples.support.RawHttp;
import xiio.examples.support.Tool;

/**
 * The HTTP server's static directory, served by the xiio-http module's StaticFiles:
 * files, listings, redirects, ranges and revalidation with curl, and every way out of
 * the directory refused: {@code ..} plain and encoded, encoded slashes and
 * backslashes, NULs, and symbolic links (to a file and to a directory) that point
 * outside. The module's own tests (http/src/test/java/xiio/http/server/StaticFiles*)
 * check each rule in depth; these check the example wires them up.
 */
class HttpStaticExampleTest {
    private static Path base;
    private static ExampleProcess server;
    private static int port;
    private static byte[] big;

    @BeforeAll
    static void startServer() throws Exception {
        base = Files.createTempDirectory("xiio-http-static");
        Path root = Files.createDirectories(base.resolve("root"));
        Path outside = Files.createDirectories(base.resolve("outside"));
        Files.writeString(outside.resolve("secret.txt"), "do not serve me\n");
        Files.writeString(root.resolve("a.txt"), "hello, file\n");
        Files.writeString(root.resolve(".hidden"), "do not serve me\n");
        Files.writeString(root.resolve("with space & \u00fc.txt"), "odd name\n");
        Files.createDirectories(root.resolve("sub"));
        Files.writeString(root.resolve("sub/index.html"), "<p>sub index</p>\n");
        Files.createDirectories(root.resolve("plain"));
        Files.writeString(root.resolve("plain/b.md"), "# b\n");
        big = new byte[3 * 1024 * 1024 + 17];
        new Random(11).nextBytes(big);
        Files.write(root.resolve("big.bin"), big);
        Files.createSymbolicLink(root.resolve("inside-link.txt"), Path.of("a.txt"));
        Files.createSymbolicLink(root.resolve("outside-link.txt"), outside.resolve("secret.txt"));
        Files.createSymbolicLink(root.resolve("outside-dir"), outside);
        Files.writeString(root.resolve("app.js"), "plain\n");
        Files.writeString(root.resolve("app.js.gz"), "pretend gzip\n");
        server = ExampleProcess.start("http", "--port", "0", "--root", root.toString(), "--cache-control", "no-cache", "--precompressed");
        port = Integer.parseInt(server.awaitLine("http listening on http://127.0.0.1:(\\d+)/").group(1));
    }

    @AfterAll
    static void stopServer() throws Exception {
        server.close();
        try (Stream<Path> all = Files.walk(base)) {
            for (Path p : all.sorted(Comparator.reverseOrder()).toList()) Files.delete(p);
        }
    }

    private static String url(String path) {
        return "http://127.0.0.1:" + port + path;
    }

    @Test
    void filesListingsAndRedirectsWithTheJdkClient() throws Exception {
        try (HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build()) {
            HttpResponse<String> a = http.send(HttpRequest.newBuilder(URI.create(url("/files/a.txt"))).build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(200, a.statusCode());
            assertEquals("hello, file\n", a.body());
            assertEquals("text/plain; charset=utf-8", a.headers().firstValue("Content-Type").orElseThrow());

            HttpResponse<String> list = http.send(HttpRequest.newBuilder(URI.create(url("/files/"))).build(), HttpResponse.BodyHandlers.ofString());
            assertTrue(list.body().contains("<a href=\"with%20space%20%26%20%C3%BC.txt\">with space &amp; \u00fc.txt</a>"), list.body());
            assertTrue(list.body().contains("<a href=\"sub/\">sub/</a>"), list.body());
            HttpResponse<String> odd = http.send(HttpRequest.newBuilder(URI.create(url("/files/with%20space%20%26%20%C3%BC.txt"))).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals("odd name\n", odd.body());

            HttpResponse<String> sub = http.send(HttpRequest.newBuilder(URI.create(url("/files/sub"))).build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(301, sub.statusCode());
            assertEquals("/files/sub/", sub.headers().firstValue("Location").orElseThrow());
            HttpResponse<String> index = http.send(HttpRequest.newBuilder(URI.create(url("/files/sub/"))).build(), HttpResponse.BodyHandlers.ofString());
            assertEquals("<p>sub index</p>\n", index.body());
            assertEquals("text/html; charset=utf-8", index.headers().firstValue("Content-Type").orElseThrow());

            HttpResponse<byte[]> bin = http.send(HttpRequest.newBuilder(URI.create(url("/files/big.bin"))).build(), HttpResponse.BodyHandlers.ofByteArray());
            assertArrayEquals(big, bin.body());
            assertEquals("application/octet-stream", bin.headers().firstValue("Content-Type").orElseThrow());

            HttpResponse<String> post = http.send(HttpRequest.newBuilder(URI.create(url("/files/a.txt")))
                    .POST(HttpRequest.BodyPublishers.ofString("x")).build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(405, post.statusCode());
            assertEquals("GET, HEAD", post.headers().firstValue("Allow").orElseThrow());
        }
    }

    @Test
    void curlDownloadsABigFileIntact() throws Exception {
        Path out = Files.createTempFile(base, "download", ".bin");
        Tool.Result r = Tool.run(Duration.ofSeconds(30), "curl", "-sS", "--max-time", "20", "-o", out.toString(), url("/files/big.bin"));
        assertEquals(0, r.status(), r.stderr());
        assertArrayEquals(big, Files.readAllBytes(out));
        Tool.Result head = Tool.run(Duration.ofSeconds(20), "curl", "-sS", "--max-time", "10", "-I", url("/files/big.bin"));
        assertTrue(head.stdout().toLowerCase().contains("content-length: " + big.length), head.stdout());
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({
        "/files/../outside/secret.txt,        400",
        "/files/sub/../../outside/secret.txt, 400",
        "/files/%2e%2e/outside/secret.txt,    400",
        "/files/%2E%2E/outside/secret.txt,    400",
        "/files/..%2Foutside/secret.txt,      400",
        "/files/..%2foutside/secret.txt,      400",
        "/files/sub%2Findex.html,             400",
        "/files/..%5Coutside%5Csecret.txt,    400",
        "/files/a.txt%00.html,                400",
        "/files/%zz,                          400",
        "/files/%C3%28,                       400",
        "/files/outside-link.txt,             403",
        "/files/outside-dir/secret.txt,       403",
        "/files/outside-dir/,                 403",
        "/files/inside-link.txt,              200",
        "/files/./a.txt,                      200",
        "/files/missing.txt,                  404",
        "/files/.hidden,                      404",
        "/files,                              301",
    })
    void noPathLeadsOutOfTheDirectory(String path, int status) throws Exception {
        try (RawHttp c = new RawHttp(port)) {
            RawHttp.Response r = c.send("GET " + path + " HTTP/1.1\r\nHost: x\r\n\r\n").read();
            assertEquals(status, r.status(), r.toString());
            assertTrue(!r.text().contains("do not serve me"), r.text());
        }
    }

    @Test
    void curlIsRefusedToo() throws Exception {
        // --path-as-is: curl would otherwise squash the ".." itself and never send it
        Tool.Result dots = Tool.run(Duration.ofSeconds(20), "curl", "-sS", "--max-time", "10", "--path-as-is", "-w", "%{http_code}",
                url("/files/../outside/secret.txt"));
        assertTrue(dots.stdout().endsWith("400"), dots.stdout());
        Tool.Result link = Tool.run(Duration.ofSeconds(20), "curl", "-sS", "--max-time", "10", "-w", "%{http_code}",
                url("/files/outside-link.txt"));
        assertTrue(link.stdout().endsWith("403") && !link.stdout().contains("do not serve me"), link.stdout());
        Tool.Result listing = Tool.run(Duration.ofSeconds(20), "curl", "-sS", "--max-time", "10", url("/files/plain/"));
        assertTrue(listing.stdout().contains("<a href=\"b.md\">b.md</a>"), listing.stdout());
    }

    @Test
    void curlGetsRangesAndRevalidates() throws Exception {
        Path out = Files.createTempFile(base, "range", ".bin");
        Tool.Result range = Tool.run(Duration.ofSeconds(20), "curl", "-sS", "--max-time", "10", "-r", "100-199", "-o", out.toString(),
                "-w", "%{http_code}", url("/files/big.bin"));
        assertEquals("206", range.stdout(), range.stderr());
        assertArrayEquals(java.util.Arrays.copyOfRange(big, 100, 200), Files.readAllBytes(out));
        Tool.Result head = Tool.run(Duration.ofSeconds(20), "curl", "-sS", "--max-time", "10", "-I", url("/files/a.txt"));
        java.util.regex.Matcher etag = java.util.regex.Pattern.compile("(?im)^etag: (\"[^\"]+\")").matcher(head.stdout());
        assertTrue(etag.find(), head.stdout());
        Tool.Result again = Tool.run(Duration.ofSeconds(20), "curl", "-sS", "--max-time", "10", "-H", "If-None-Match: " + etag.group(1),
                "-w", "%{http_code}", url("/files/a.txt"));
        assertEquals("304", again.stdout(), again.stderr());
        assertTrue(head.stdout().toLowerCase().contains("cache-control: no-cache"), head.stdout());
        Tool.Result gz = Tool.run(Duration.ofSeconds(20), "curl", "-sS", "--max-time", "10", "-i", "-H", "Accept-Encoding: gzip", url("/files/app.js"));
        assertTrue(gz.stdout().toLowerCase().contains("content-encoding: gzip") && gz.stdout().endsWith("pretend gzip\n"), gz.stdout());
    }
}
