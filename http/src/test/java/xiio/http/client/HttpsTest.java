package xiio.http.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import xiio.core.Xiio;
import xiio.io.StreamReader;
import xiio.process.Redirect;
import xiio.process.Subprocess;
import xiio.tls.TlsConfig;
import xiio.tls.TlsContextBuilder;
import xiio.tls.TlsStream;

/** https: the server's name goes out as SNI, the certificate must name the host, and connections are pooled as over TCP. */
class HttpsTest {
    @TempDir
    static Path dir;
    static TlsConfig serverConfig, clientConfig;

    /** A self-signed certificate for the name localhost only (not 127.0.0.1), made by openssl. */
    @BeforeAll
    static void makeCertificate() throws Exception {
        Path cert = dir.resolve("cert.pem"), key = dir.resolve("key.pem");
        Xiio.run(() -> Subprocess.builder("openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256",
                        "-nodes", "-keyout", key.toString(), "-out", cert.toString(), "-days", "2",
                        "-subj", "/CN=localhost", "-addext", "subjectAltName=DNS:localhost")
                .stdin(Redirect.NULL).stdout(Redirect.PIPE).stderr(Redirect.PIPE).check(true).run());
        serverConfig = TlsConfig.of(new TlsContextBuilder().pemKey(cert, key).build());
        clientConfig = TlsConfig.of(new TlsContextBuilder().trustPem(cert).build());
    }

    /** Answers each request on a TLS connection with the name the client asked for (SNI). */
    private static void serveTls(ScriptedServer.Connection c) throws Exception {
        try (TlsStream tls = TlsStream.server(c.tcp, serverConfig)) {
            tls.handshake();
            StreamReader in = new StreamReader(tls);
            while (true) {
                String line = in.readLine(8192, StandardCharsets.ISO_8859_1);
                if (line == null) return;
                while (!in.readLine(8192, StandardCharsets.ISO_8859_1).isEmpty()) { } // the rest of the head
                String body = "sni=" + tls.requestedServerName().orElse("none");
                byte[] reply = ("HTTP/1.1 200 OK\r\nContent-Length: " + body.length() + "\r\n\r\n" + body).getBytes(StandardCharsets.ISO_8859_1);
                tls.writeAll(reply, 0, reply.length);
            }
        }
    }

    @Test
    void theHostNameGoesOutAsSniAndConnectionsArePooled() throws Exception {
        Xiio.run(() -> ScriptedServer.with(HttpsTest::serveTls, server -> {
            try (HttpClient client = HttpClient.builder().tls(clientConfig).build()) {
                URI uri = URI.create("https://localhost:" + server.port() + "/");
                for (int i = 0; i < 3; i++) assertEquals("sni=localhost", client.send(ClientRequest.get(uri)).body().text());
                assertEquals(1, server.accepted(), "one TLS session carried the three requests");
            }
            return null;
        }));
    }

    @Test
    void aCertificateThatDoesNotNameTheHostIsRefused() throws Exception {
        Xiio.run(() -> ScriptedServer.with(HttpsTest::serveTls, server -> {
            try (HttpClient client = HttpClient.builder().tls(clientConfig).build()) {
                // the certificate names localhost; asked for 127.0.0.1 it must not be accepted
                IOException e = assertThrows(IOException.class,
                        () -> client.send(ClientRequest.get("https://127.0.0.1:" + server.port() + "/")));
                assertTrue(String.valueOf(e.getMessage()).toLowerCase().contains("127.0.0.1")
                        || String.valueOf(e.getCause()).contains("127.0.0.1"), String.valueOf(e));
                assertEquals(0, client.stats().open());
            }
            return null;
        }));
    }

    @Test
    void aDeadlineInsideTheHandshakeClosesTheConnectionAndTheNextRequestWorks() throws Exception {
        // the first connection is accepted and never answered: the ClientHello waits for a
        // ServerHello that does not come, until the caller's deadline cancels it there
        Xiio.run(() -> ScriptedServer.with(c -> {
            if (c.index == 0) {
                Xiio.sleep(java.time.Duration.ofSeconds(30));
                return;
            }
            serveTls(c);
        }, server -> {
            try (HttpClient client = HttpClient.builder().tls(clientConfig).build()) {
                URI uri = URI.create("https://localhost:" + server.port() + "/");
                assertThrows(java.util.concurrent.TimeoutException.class,
                        () -> xiio.concurrent.Timeout.withTimeout(java.time.Duration.ofMillis(200), () -> client.send(ClientRequest.get(uri))));
                assertEquals(new PoolStats(0, 0, 0, 0), client.stats(), "nothing left of the cancelled connect");
                assertEquals("sni=localhost", client.send(ClientRequest.get(uri)).body().text());
                assertEquals(new PoolStats(1, 1, 0, 1), client.stats());
            }
            return null;
        }));
    }
}
