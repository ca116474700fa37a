package xiio.net;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import xiio.concurrent.Task;
import xiio.concurrent.TaskGroup;
import xiio.concurrent.Timeout;
import xiio.core.Xiio;
import xiio.io.ByteStream;
import xiio.net.TlsTestSupport.Certs;

/** Our client against {@code openssl s_server}, our server against {@code openssl s_client}, over TCP on 127.0.0.1. */
class TlsOpensslTest {
    static final InetSocketAddress LOOPBACK = new InetSocketAddress(InetAddress.ofLiteral("127.0.0.1"), 0);

    @TempDir
    static Path dir;
    static Certs certs;

    @BeforeAll
    static void makeCertificates() throws Exception {
        certs = Certs.create(dir);
    }

    /**
     * An openssl subprocess whose output goes to a file (no pipes to leak), killed on
     * close if it is still running.
     */
    static final class Openssl implements AutoCloseable {
        final Process process;
        final Path out;

        Openssl(Path stdin, String... args) throws IOException {
            List<String> cmd = new ArrayList<>(List.of("openssl"));
            cmd.addAll(List.of(args));
            out = Files.createTempFile(dir, args[0], ".out");
            process = new ProcessBuilder(cmd).directory(dir.toFile())
                    .redirectInput(stdin.toFile()).redirectErrorStream(true).redirectOutput(out.toFile()).start();
        }

        String output() throws IOException {
            return Files.readString(out, UTF_8);
        }

        /** Polls the output, from the loop, until {@code regex} matches; fails after 10 s or if openssl exits. */
        Matcher awaitOutput(String regex) throws Exception {
            Pattern p = Pattern.compile(regex);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (true) {
                Matcher m = p.matcher(output());
                if (m.find()) return m;
                if (!process.isAlive()) throw new AssertionError("openssl exited (" + process.exitValue() + "):\n" + output());
                if (System.nanoTime() > deadline) throw new AssertionError("no '" + regex + "' from openssl in 10 s:\n" + output());
                Xiio.sleep(Duration.ofMillis(20));
            }
        }

        /** Waits, from the loop, for openssl to exit (10 s at most) and returns its exit code. */
        int awaitExit() throws Exception {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (process.isAlive()) {
                if (System.nanoTime() > deadline) throw new AssertionError("openssl still running after 10 s:\n" + output());
                Xiio.sleep(Duration.ofMillis(20));
            }
            return process.exitValue();
        }

        @Override
        public void close() throws InterruptedException {
            process.destroy();
            if (!process.waitFor(5, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                process.waitFor(5, TimeUnit.SECONDS);
            }
        }
    }

    static String readLine(ByteStream s) throws IOException {
        StringBuilder line = new StringBuilder();
        byte[] one = new byte[1];
        while (s.read(one, 0, 1) == 1) {
            line.append((char) one[0]);
            if (one[0] == '\n') break;
        }
        return line.toString();
    }

    static void send(ByteStream s, String text) throws IOException {
        byte[] b = text.getBytes(UTF_8);
        s.writeAll(b, 0, b.length);
    }

    static Path nullInput() {
        return Path.of("/dev/null");
    }

    @Test
    void ourClientTalksToOpensslServerWithAlpnAndSni() throws Exception {
        try (Openssl server = new Openssl(nullInput(), "s_server", "-accept", "127.0.0.1:0", "-naccept", "2", "-rev",
                "-cert", certs.serverPem().toString(), "-key", certs.serverKey().toString(),
                "-servername", "other.test", "-cert2", certs.otherPem().toString(), "-key2", certs.otherKey().toString(),
                "-alpn", "h2,http/1.1")) {
            String[] seen = Xiio.run(() -> Timeout.withTimeout(Duration.ofSeconds(30), () -> {
                int port = Integer.parseInt(server.awaitOutput("ACCEPT 127\\.0\\.0\\.1:(\\d+)").group(1));
                InetSocketAddress address = new InetSocketAddress(InetAddress.ofLiteral("127.0.0.1"), port);
                TlsConfig config = TlsConfig.of(certs.client()).withApplicationProtocols("h2", "http/1.1");
                String reversed, alpn, otherName;
                try (TlsStream tls = TlsStream.client(TcpStream.connect(address), "localhost", config)) {
                    send(tls, "hello openssl\n");
                    reversed = readLine(tls);
                    alpn = tls.applicationProtocol().orElse("none");
                }
                try (TlsStream tls = TlsStream.client(TcpStream.connect(address), "other.test", config)) {
                    tls.handshake();
                    otherName = ((X509Certificate) tls.session().getPeerCertificates()[0]).getSubjectX500Principal().getName();
                }
                return new String[] {reversed, alpn, otherName};
            }));
            assertEquals("lssnepo olleh\n", seen[0]);
            assertEquals("h2", seen[1]);
            assertEquals("CN=other.test", seen[2]); // s_server picked its second key by our SNI
        }
    }

    @Test
    void ourClientRejectsOpensslServerWithAnUntrustedCertificate() throws Exception {
        try (Openssl server = new Openssl(nullInput(), "s_server", "-accept", "127.0.0.1:0", "-naccept", "1", "-rev",
                "-cert", certs.selfPem().toString(), "-key", certs.selfKey().toString())) {
            TlsHandshakeException e = assertThrows(TlsHandshakeException.class, () -> Xiio.run(() ->
                    Timeout.withTimeout(Duration.ofSeconds(30), () -> {
                        int port = Integer.parseInt(server.awaitOutput("ACCEPT 127\\.0\\.0\\.1:(\\d+)").group(1));
                        try (TlsStream tls = TlsStream.connect("127.0.0.1", port, TlsConfig.of(certs.client()))) {
                            return null;
                        }
                    })));
            assertEquals(TlsHandshakeException.Reason.UNTRUSTED_CERTIFICATE, e.reason(), e.getMessage());
            assertTrue(e.getMessage().contains("127.0.0.1"), e.getMessage());
        }
    }

    /** Our server answers one line from s_client, which verifies us against the test CA; returns what s_client printed. */
    static String serveOpensslClient(String... extraClientArgs) throws Exception {
        Path input = Files.writeString(Files.createTempFile(dir, "ping", ".txt"), "ping\n");
        TlsConfig config = TlsConfig.of(certs.server()).withApplicationProtocols("h2", "http/1.1");
        return Xiio.run(() -> Timeout.withTimeout(Duration.ofSeconds(30), () -> {
            try (TcpListener listener = TcpListener.bind(LOOPBACK)) {
                List<String> args = new ArrayList<>(List.of("s_client", "-connect", "127.0.0.1:" + listener.localAddress().getPort(),
                        "-servername", "localhost", "-verify_hostname", "localhost", "-CAfile", certs.caPem().toString(),
                        "-verify_return_error", "-alpn", "h2", "-quiet"));
                args.addAll(List.of(extraClientArgs));
                try (Openssl client = new Openssl(input, args.toArray(String[]::new))) {
                    return TaskGroup.scope(g -> {
                        Task<Integer> exit = g.spawn("s_client", client::awaitExit);
                        try (TlsStream tls = TlsStream.server(listener.accept(), config)) {
                            String line = readLine(tls);
                            send(tls, "pong to " + line.strip() + " for " + tls.requestedServerName().orElse("?")
                                    + " over " + tls.applicationProtocol().orElse("?") + " " + tls.session().getProtocol() + "\n");
                        } // close_notify ends s_client
                        assertEquals(0, exit.join(), client.output());
                        return client.output();
                    });
                }
            }
        }));
    }

    @Test
    void opensslClientTalksToOurServer() throws Exception {
        String out = serveOpensslClient();
        assertTrue(out.contains("pong to ping for localhost over h2 TLSv1.3\n"), out);
    }

    @Test
    void opensslClientTalksToOurServerOverTls12() throws Exception {
        String out = serveOpensslClient("-tls1_2");
        assertTrue(out.contains("pong to ping for localhost over h2 TLSv1.2\n"), out);
    }

    @Test
    void opensslClientThatDoesNotTrustUsIsAClearFailure() throws Exception {
        TlsConfig config = TlsConfig.of(new TlsContextBuilder().pemKey(certs.selfPem(), certs.selfKey()).build());
        TlsHandshakeException e = assertThrows(TlsHandshakeException.class, () -> Xiio.run(() ->
                Timeout.withTimeout(Duration.ofSeconds(30), () -> {
                    try (TcpListener listener = TcpListener.bind(LOOPBACK);
                            Openssl client = new Openssl(nullInput(), "s_client", "-connect",
                                    "127.0.0.1:" + listener.localAddress().getPort(), "-CAfile", certs.caPem().toString(),
                                    "-verify_return_error", "-quiet");
                            TlsStream tls = TlsStream.server(listener.accept(), config)) {
                        tls.handshake();
                        return null;
                    }
                })));
        assertEquals(TlsHandshakeException.Reason.REJECTED_BY_PEER, e.reason(), () -> TlsTestSupport.trace(e));
        assertTrue(e.getMessage().startsWith("TLS handshake with client 127.0.0.1:"), e.getMessage());
    }
}
