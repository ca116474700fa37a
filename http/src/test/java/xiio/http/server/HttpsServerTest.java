package xiio.http.server;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.FileInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.net.SocketException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.time.Duration;
import java.util.Random;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import xiio.tls.TlsConfig;
import xiio.tls.TlsContextBuilder;

/**
 * {@link HttpServer#serve(xiio.net.TcpListener, TlsConfig)}: HTTPS for curl and the
 * JDK's HttpClient, ALPN selecting http/1.1 (seen by openssl), and clients that do
 * not speak TLS: a handshake that stalls or trickles is cut off at the head timeout, plain HTTP on the TLS port is
 * closed without an answer.
 */
class HttpsServerTest {
    @TempDir
    static Path dir;
    static Path cert;
    static TlsConfig tls;

    /** A self-signed certificate for localhost, made by openssl. */
    @BeforeAll
    static void makeCertificate() throws Exception {
        cert = dir.resolve("cert.pem");
        Path key = dir.resolve("key.pem");
        HttpServerClientsTest.run(null, "openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256",
                "-nodes", "-keyout", key.toString(), "-out", cert.toString(), "-days", "2",
                "-subj", "/CN=localhost", "-addext", "subjectAltName=DNS:localhost,IP:127.0.0.1");
        tls = TlsConfig.of(new TlsContextBuilder().pemKey(cert, key).build()).withApplicationProtocols("http/1.1");
    }

    private static HttpServer server(ServerConfig config) {
        return new HttpServer(HttpServerClientsTest.ROUTER, config);
    }

    @Test
    void curlGetsPagesAndUploadsChunkedOverHttps() throws Exception {
        byte[] upload = new byte[200_000];
        new Random(5).nextBytes(upload);
        ServerFixture.withServer(server(ServerConfig.DEFAULT), tls, port -> {
            String base = "https://127.0.0.1:" + port;
            assertEquals("hello tls\n", new String(HttpServerClientsTest.curl(null, "--http1.1", "-k", "-sS", base + "/hello/tls"), StandardCharsets.UTF_8));
            assertArrayEquals(upload, HttpServerClientsTest.curl(upload, "--http1.1", "-k", "-sS", "-T", "-", "-X", "POST", base + "/echo"));
            // verified against the certificate, not -k: the IP is in its subjectAltName
            String streamed = new String(HttpServerClientsTest.curl(null, "--cacert", cert.toString(), "-sS", base + "/stream/300"), StandardCharsets.UTF_8);
            assertEquals(300, streamed.lines().count());
            return null;
        });
    }

    @Test
    void theJdkHttpClientVerifiesTheCertificateAndKeepsOneConnection() throws Exception {
        SSLContext trusting = trusting(cert);
        ServerFixture.withServer(server(ServerConfig.DEFAULT), tls, port -> {
            try (HttpClient client = HttpClient.newBuilder().sslContext(trusting).version(HttpClient.Version.HTTP_1_1).build()) {
                for (int i = 0; i < 5; i++) {
                    HttpResponse<String> r = client.send(HttpRequest.newBuilder(URI.create("https://localhost:" + port + "/hello/n" + i)).build(),
                            HttpResponse.BodyHandlers.ofString());
                    assertEquals(200, r.statusCode());
                    assertEquals("hello n" + i + "\n", r.body());
                }
                byte[] body = new byte[100_000];
                new Random(6).nextBytes(body);
                HttpResponse<byte[]> echo = client.send(HttpRequest.newBuilder(URI.create("https://localhost:" + port + "/echo"))
                        .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(), HttpResponse.BodyHandlers.ofByteArray());
                assertArrayEquals(body, echo.body());
            }
            return null;
        });
    }

    @Test
    void alpnSelectsHttp11AmongWhatTheClientOffers() throws Exception {
        ServerFixture.withServer(server(ServerConfig.DEFAULT), tls, port -> {
            // no stdin: s_client handshakes, prints the session, and quits
            String out = HttpServerClientsTest.run(new byte[0], "openssl", "s_client", "-connect", "127.0.0.1:" + port,
                    "-alpn", "h2,http/1.1", "-servername", "localhost");
            assertTrue(out.contains("ALPN protocol: http/1.1"), out);
            return null;
        });
    }

    @Test
    void aConnectionThatNeverStartsItsHandshakeIsClosedAtTheIdleTimeout() throws Exception {
        // before the client's first byte the connection is idle, as a plain one is before its head
        ServerConfig config = ServerConfig.DEFAULT.withIdleTimeout(Duration.ofMillis(400)); // the head timeout stays 10 s
        ServerFixture.withServer(server(config), tls, port -> {
            try (Socket s = new Socket("127.0.0.1", port)) {
                s.setSoTimeout(10_000);
                long t0 = System.nanoTime();
                assertClosed(s.getInputStream());
                long ms = (System.nanoTime() - t0) / 1_000_000;
                assertTrue(ms >= 300 && ms < 5000, "closed after " + ms + " ms, the limit is 400");
            }
            return null;
        });
    }

    @Test
    void aHandshakeThatStallsIsCutOffAtTheHeadTimeout() throws Exception {
        // from its first byte the handshake is bounded as a head is: a slowloris over TLS
        // held the connection for the idle timeout (30 s) before
        ServerConfig config = ServerConfig.DEFAULT.withHeadTimeout(Duration.ofMillis(400));
        ServerFixture.withServer(server(config), tls, port -> {
            try (Socket s = new Socket("127.0.0.1", port)) {
                s.setSoTimeout(10_000);
                // a TLS record header announcing a ClientHello of 512 bytes, and then nothing
                s.getOutputStream().write(new byte[] {0x16, 0x03, 0x01, 0x02, 0x00, 0x01});
                long t0 = System.nanoTime();
                assertClosed(s.getInputStream());
                long ms = (System.nanoTime() - t0) / 1_000_000;
                assertTrue(ms >= 300 && ms < 5000, "closed after " + ms + " ms, the limit is 400");
            }
            return null;
        });
    }

    @Test
    void aHandshakeTrickledByteByByteIsCutOffAtTheHeadTimeout() throws Exception {
        // a byte every 50 ms keeps every read busy: only a limit on the whole handshake ends it
        ServerConfig config = ServerConfig.DEFAULT.withHeadTimeout(Duration.ofMillis(400));
        ServerFixture.withServer(server(config), tls, port -> {
            try (Socket s = new Socket("127.0.0.1", port)) {
                s.setSoTimeout(10_000);
                s.getOutputStream().write(new byte[] {0x16, 0x03, 0x01, 0x02, 0x00});
                Thread trickler = Thread.ofPlatform().start(() -> {
                    try {
                        for (int i = 0; i < 200; i++) { // 10 s at most, far under the 512 bytes announced
                            Thread.sleep(50);
                            s.getOutputStream().write(0x01);
                        }
                    } catch (IOException | InterruptedException closed) {
                        // the server closed: the trickle ends
                    }
                });
                long t0 = System.nanoTime();
                assertClosed(s.getInputStream());
                long ms = (System.nanoTime() - t0) / 1_000_000;
                trickler.interrupt();
                trickler.join();
                assertTrue(ms >= 300 && ms < 5000, "closed after " + ms + " ms, the limit is 400");
            }
            return null;
        });
    }

    @Test
    void plainHttpOnTheTlsPortIsClosedWithoutAnAnswer() throws Exception {
        HttpServer server = server(ServerConfig.DEFAULT);
        ServerFixture.withServer(server, tls, port -> {
            try (Socket s = new Socket("127.0.0.1", port)) {
                s.setSoTimeout(10_000);
                s.getOutputStream().write("GET /hello/x HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
                byte[] got = readUntilClosed(s.getInputStream());
                assertTrue(!new String(got, StandardCharsets.ISO_8859_1).contains("HTTP/1.1"), "no HTTP answer in the clear");
                // at most a TLS alert record (content type 21)
                assertTrue(got.length == 0 || got[0] == 21, "sent " + got.length + " bytes starting " + got[0]);
            }
            // and the server goes on serving
            assertEquals("hello ok\n", new String(HttpServerClientsTest.curl(null, "-k", "-sS", "https://127.0.0.1:" + port + "/hello/ok"), StandardCharsets.UTF_8));
            return null;
        });
    }

    private static void assertClosed(InputStream in) throws IOException {
        byte[] got = readUntilClosed(in);
        assertTrue(got.length == 0 || got[0] == 21, "only a TLS alert, if anything: " + got.length + " bytes");
    }

    /** What the server sends until it closes (a reset counts as the close); fails the test if that takes 10 s. */
    private static byte[] readUntilClosed(InputStream in) throws IOException {
        java.io.ByteArrayOutputStream b = new java.io.ByteArrayOutputStream();
        try {
            for (int c; (c = in.read()) >= 0; ) b.write(c);
        } catch (SocketException reset) {
            // closed with unread input: the kernel resets
        }
        return b.toByteArray();
    }

    /** An SSLContext that trusts the one certificate in {@code pem}. */
    static SSLContext trusting(Path pem) throws Exception {
        KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
        store.load(null, null);
        try (InputStream in = new FileInputStream(pem.toFile())) {
            store.setCertificateEntry("server", CertificateFactory.getInstance("X.509").generateCertificate(in));
        }
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(store);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, tmf.getTrustManagers(), null);
        return context;
    }
}
