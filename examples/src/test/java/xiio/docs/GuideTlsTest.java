package xiio.docs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeoutException;
import javax.net.ssl.SSLContext;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import xiio.concurrent.TaskGroup;
import xiio.concurrent.Timeout;
import xiio.core.Xiio;
import xiio.io.StreamReader;
import xiio.net.TcpListener;
import xiio.net.TcpStream;
import xiio.process.CompletedProcess;
import xiio.process.Redirect;
import xiio.process.Subprocess;
import xiio.tls.TlsConfig;
import xiio.tls.TlsContextBuilder;
import xiio.tls.TlsHandshakeException;
import xiio.tls.TlsStream;

/** The examples of docs/guide-tls.md: our server and client, and our server against openssl s_client. */
class GuideTlsTest {
    @TempDir
    static Path dir;
    static Path certPem, keyPem;

    /** A self-signed certificate for localhost and 127.0.0.1, made by openssl (run by xiio). */
    @BeforeAll
    static void makeCertificate() throws Exception {
        certPem = dir.resolve("cert.pem");
        keyPem = dir.resolve("key.pem");
        Xiio.run(() -> Subprocess.builder("openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256",
                        "-nodes", "-keyout", keyPem.toString(), "-out", certPem.toString(), "-days", "2",
                        "-subj", "/CN=localhost", "-addext", "subjectAltName=DNS:localhost,IP:127.0.0.1")
                .stdin(Redirect.NULL).stdout(Redirect.PIPE).stderr(Redirect.PIPE).check(true).run());
    }

    // region handler
    /** One connection: the handshake within 10 s, then each line back with "echo: " in front. */
    static void serveTls(TcpStream tcp, TlsConfig config) throws Exception {
        try (TlsStream tls = TlsStream.server(tcp, config)) {
            Timeout.withTimeout(Duration.ofSeconds(10), () -> { tls.handshake(); return null; });
            StreamReader in = new StreamReader(tls);
            for (String line; (line = in.readLine(8192)) != null; ) {
                byte[] reply = ("echo: " + line + "\n").getBytes(StandardCharsets.UTF_8);
                tls.writeAll(reply, 0, reply.length);
                if (line.equals("bye")) break;
            }
        } catch (IOException | TimeoutException e) {
            System.err.println(tcp.remoteAddress() + ": " + e.getMessage());   // one bad client must not end the server
        }
    }
    // endregion

    @Test
    void ourClientAndOurServer() throws Exception {
        String[] got = Xiio.run(() -> {
            // region contexts
            SSLContext serverKeys = new TlsContextBuilder().pemKey(certPem, keyPem).build();
            SSLContext trustOne = new TlsContextBuilder().trustPem(certPem).build();   // trust exactly this certificate
            // endregion
            try (TcpListener listener = TcpListener.bind(new InetSocketAddress("127.0.0.1", 0))) {
                int port = listener.localAddress().getPort();
                return TaskGroup.scope(group -> {
                    // region server
                    TlsConfig serverConfig = TlsConfig.of(serverKeys).withApplicationProtocols("echo/1");
                    group.spawn("accept loop", () -> {
                        while (true) {
                            TcpStream tcp = listener.accept();
                            group.spawn("tls " + tcp.remoteAddress(), () -> { serveTls(tcp, serverConfig); return null; });
                        }
                    });
                    // endregion
                    // region client
                    TlsConfig clientConfig = TlsConfig.of(trustOne).withApplicationProtocols("echo/1");
                    try (TlsStream tls = Timeout.withTimeout(Duration.ofSeconds(10),
                            () -> TlsStream.connect("localhost", port, clientConfig))) {   // TCP, then the handshake
                        byte[] hello = "hello\n".getBytes(StandardCharsets.UTF_8);
                        tls.writeAll(hello, 0, hello.length);
                        String reply = new StreamReader(tls).readLine(8192);              // "echo: hello"
                        String alpn = tls.applicationProtocol().orElse("none");           // "echo/1"
                        String version = tls.session().getProtocol();                     // "TLSv1.3"
                        // endregion
                        group.cancel();
                        return new String[] {reply, alpn, version};
                    }
                });
            }
        });
        assertEquals("echo: hello", got[0]);
        assertEquals("echo/1", got[1]);
        assertEquals("TLSv1.3", got[2]);
    }

    /** The guide's server outlives a client that resets mid-handshake and one that never starts it. */
    @Test
    void ourServerOutlivesAClientThatResetsAndOneThatSitsIdle() throws Exception {
        String reply = Xiio.run(() -> {
            SSLContext serverKeys = new TlsContextBuilder().pemKey(certPem, keyPem).build();
            TlsConfig clientConfig = TlsConfig.of(new TlsContextBuilder().trustPem(certPem).build());
            try (TcpListener listener = TcpListener.bind(new InetSocketAddress("127.0.0.1", 0))) {
                int port = listener.localAddress().getPort();
                return TaskGroup.scope(group -> {
                    group.spawn("accept loop", () -> {
                        while (true) {
                            TcpStream tcp = listener.accept();
                            group.spawn(() -> { serveTls(tcp, TlsConfig.of(serverKeys)); return null; });
                        }
                    });
                    try (TcpStream idle = TcpStream.connect("127.0.0.1", port)) {   // says nothing, not even hello
                        try (TcpStream resetting = TcpStream.connect("127.0.0.1", port)) {
                            byte[] notTls = "GET / HTTP/1.1\r\n".repeat(1000).getBytes(StandardCharsets.UTF_8);
                            resetting.writeAll(notTls, 0, notTls.length);
                            resetting.reset();
                        }
                        try (TlsStream tls = Timeout.withTimeout(Duration.ofSeconds(10),
                                () -> TlsStream.connect("localhost", port, clientConfig))) {
                            byte[] hello = "hello\n".getBytes(StandardCharsets.UTF_8);
                            tls.writeAll(hello, 0, hello.length);
                            String answer = Timeout.withTimeout(Duration.ofSeconds(10), () -> new StreamReader(tls).readLine(8192));
                            group.cancel();
                            return answer;
                        }
                    }
                });
            }
        });
        assertEquals("echo: hello", reply);
    }

    @Test
    void opensslClientAgainstOurServer() throws Exception {
        CompletedProcess client = Xiio.run(() -> {
            SSLContext serverKeys = new TlsContextBuilder().pemKey(certPem, keyPem).build();
            try (TcpListener listener = TcpListener.bind(new InetSocketAddress("127.0.0.1", 0))) {
                int port = listener.localAddress().getPort();
                return TaskGroup.scope(group -> {
                    group.spawn("server", () -> { serveTls(listener.accept(), TlsConfig.of(serverKeys)); return null; });
                    // region openssl
                    CompletedProcess sClient = Timeout.withTimeout(Duration.ofSeconds(20), () ->
                            Subprocess.builder("openssl", "s_client", "-connect", "127.0.0.1:" + port,
                                            "-CAfile", certPem.toString(), "-verify_hostname", "localhost",
                                            "-verify_return_error", "-quiet")
                                    .input("hi from openssl\nbye\n")   // our server answers both, then closes
                                    .stdout(Redirect.PIPE).stderr(Redirect.PIPE)
                                    .run());
                    // endregion
                    return sClient;
                });
            }
        });
        assertEquals(0, client.status().code(), client.stderrText());
        assertEquals("echo: hi from openssl\necho: bye\n", client.stdoutText());
    }

    @Test
    void anUntrustedServerIsAClearFailure() throws Exception {
        String got = Xiio.run(() -> {
            SSLContext serverKeys = new TlsContextBuilder().pemKey(certPem, keyPem).build();
            try (TcpListener listener = TcpListener.bind(new InetSocketAddress("127.0.0.1", 0))) {
                int port = listener.localAddress().getPort();
                return TaskGroup.scope(group -> {
                    group.spawn("server", () -> { serveTls(listener.accept(), TlsConfig.of(serverKeys)); return null; });
                    // region untrusted
                    try (TlsStream tls = TlsStream.connect("localhost", port, TlsConfig.defaults())) {   // the JDK's CAs
                        return "trusted?";
                    } catch (TlsHandshakeException e) {
                        return e.reason() + ": " + e.getMessage();   // UNTRUSTED_CERTIFICATE: names the peer and why
                    }
                    // endregion
                });
            }
        });
        assertTrue(got.startsWith("UNTRUSTED_CERTIFICATE: "), got);
        assertTrue(got.contains("localhost"), got);
    }
}
