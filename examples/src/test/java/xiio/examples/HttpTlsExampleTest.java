package xiio.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import javax.net.ssl.SSLContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import xiio.examples.support.ExampleProcess;
import xiio.examples.support.Tool;
import xiio.tls.TlsContextBuilder;

/** The HTTP server with {@code --tls-cert/--tls-key}: a self-signed certificate made by openssl for 127.0.0.1. */
class HttpTlsExampleTest {
    @TempDir
    static Path dir;
    private static ExampleProcess server;
    private static int port;
    private static Path cert;

    /** A self-signed certificate for IP 127.0.0.1, and its PKCS#8 key; shared with the netcat and fetch tests. */
    static Path[] selfSignedCertificate(Path dir) throws Exception {
        Path cert = dir.resolve("cert.pem"), key = dir.resolve("key.pem");
        Tool.Result made = Tool.run(Duration.ofSeconds(30), "openssl", "req", "-x509", "-newkey", "ec",
                "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes", "-keyout", key.toString(), "-out", cert.toString(),
                "-days", "2", "-subj", "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1");
        assertEquals(0, made.status(), made.stderr());
        return new Path[] {cert, key};
    }

    @BeforeAll
    static void startServer() throws Exception {
        Path[] pair = selfSignedCertificate(dir);
        cert = pair[0];
        server = ExampleProcess.start("http", "--port", "0", "--tls-cert", pair[0].toString(), "--tls-key", pair[1].toString());
        port = Integer.parseInt(server.awaitLine("http listening on https://127.0.0.1:(\\d+)/").group(1));
    }

    @AfterAll
    static void stopServer() throws Exception {
        server.close();
    }

    @Test
    void curlTrustsTheCertificateAndGetsThePage() throws Exception {
        Tool.Result r = Tool.run(Duration.ofSeconds(20), "curl", "-sS", "--max-time", "10", "--cacert", cert.toString(),
                "-i", "https://127.0.0.1:" + port + "/", "https://127.0.0.1:" + port + "/sleep?ms=1");
        assertEquals(0, r.status(), r.stderr());
        assertTrue(r.stdout().startsWith("HTTP/1.1 200 OK"), r.stdout());
        assertTrue(r.stdout().contains("Hello from xiio-java") && r.stdout().contains("slept 1 ms"), r.stdout());
    }

    @Test
    void theJdkClientKeepsTheTlsConnectionAlive() throws Exception {
        SSLContext trust = new TlsContextBuilder().trustPem(cert).build();
        try (HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).sslContext(trust).build()) {
            for (int i = 0; i < 3; i++) {
                HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create("https://127.0.0.1:" + port + "/echo"))
                        .POST(HttpRequest.BodyPublishers.ofString("round " + i)).build(), HttpResponse.BodyHandlers.ofString());
                assertEquals(200, r.statusCode());
                assertEquals("round " + i, r.body());
            }
        }
    }

    @Test
    void aPlainTextClientIsDroppedWithoutHarm() throws Exception {
        Tool.Result r = Tool.run(Duration.ofSeconds(20), "curl", "-sS", "--max-time", "10", "http://127.0.0.1:" + port + "/");
        assertTrue(r.status() != 0, "no HTTP answer over a TLS port");
        Tool.Result ok = Tool.run(Duration.ofSeconds(20), "curl", "-sS", "--max-time", "10", "--cacert", cert.toString(),
                "https://127.0.0.1:" + port + "/");
        assertEquals(0, ok.status(), "the server goes on: " + ok.stderr());
    }
}
