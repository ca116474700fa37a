package xiio.tls;

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
import xiio.net.TcpListener;
import xiio.net.TcpStream;
import xiio.tls.TlsTestSupport.Certs;

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

        /** With stdin from a file, or from a pipe ({@link #type}) if {@code stdin} is null. */
        Openssl(Path stdin, String... args) throws IOException {
            List<String> cmd = new ArrayList<>(List.of("openssl"));
            cmd.addAll(List.of(args));
            out = Files.createTempFile(dir, args[0], ".out");
            process = new ProcessBuilder(cmd).directory(dir.toFile())
                    .redirectInput(stdin == null ? ProcessBuilder.Redirect.PIPE : ProcessBuilder.Redirect.from(stdin.toFile()))
                    .redirectErrorStream(true).redirectOutput(out.toFile()).start();
        }

        /** Types a line on openssl's stdin (a few bytes into a pipe: it does not block). */
        void type(String line) throws IOException {
            process.getOutputStream().write((line + "\n").getBytes(UTF_8));
            process.getOutputStream().flush();
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

        /** The port an {@code s_server -accept 127.0.0.1:0} listens on, once it says so. */
        int acceptPort() throws Exception {
            return Integer.parseInt(awaitOutput("ACCEPT 127\\.0\\.0\\.1:(\\d+)").group(1));
        }

        /** Our client over TCP to the s_server, trusting our test CA. */
        TlsStream connectClient() throws Exception {
            InetSocketAddress address = new InetSocketAddress(InetAddress.ofLiteral("127.0.0.1"), acceptPort());
            return TlsStream.client(TcpStream.connect(address), "localhost", TlsConfig.of(certs.client()));
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
        public void close() throws InterruptedException, IOException {
            process.getOutputStream().close(); // its pipe, if any, must not outlive the test
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

    static String output(Openssl openssl) {
        try {
            return openssl.output();
        } catch (IOException e) {
            return e.toString();
        }
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
                InetSocketAddress address = new InetSocketAddress(InetAddress.ofLiteral("127.0.0.1"), server.acceptPort());
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
    void aKeyUpdateOpensslRequestsIsAnsweredByOurReader() throws Exception {
        try (Openssl server = new Openssl(null, "s_server", "-accept", "127.0.0.1:0", "-naccept", "1", "-msg",
                "-cert", certs.serverPem().toString(), "-key", certs.serverKey().toString())) {
            String got = Xiio.run(() -> Timeout.withTimeoutOrNull(Duration.ofSeconds(20), () -> {
                try (TlsStream tls = server.connectClient()) {
                    send(tls, "hello\n");
                    server.awaitOutput("(?m)^hello$"); // s_server printed it: the session is up on its side
                    server.type("K"); // s_server: send KeyUpdate with update_requested
                    // s_server drops the rest of a stdin read that began with a command: wait before typing on
                    server.awaitOutput(">>> TLS 1.3, Handshake \\[length 0005\\], KeyUpdate");
                    server.type("from the server");
                    String line = readLine(tls);
                    // our answer went out from the read alone: we have written nothing since
                    server.awaitOutput("<<< TLS 1.3, Handshake \\[length 0005\\], KeyUpdate");
                    send(tls, "after the update\n");
                    server.awaitOutput("(?m)^after the update$");
                    return line;
                }
            }));
            assertEquals("from the server\n", got, () -> "timed out; openssl said:\n" + output(server));
        }
    }

    @Test
    void aTls12RenegotiationOpensslStartsIsCompletedByOurReader() throws Exception {
        try (Openssl server = new Openssl(null, "s_server", "-accept", "127.0.0.1:0", "-naccept", "1", "-msg", "-tls1_2",
                "-cert", certs.serverPem().toString(), "-key", certs.serverKey().toString())) {
            String got = Xiio.run(() -> Timeout.withTimeoutOrNull(Duration.ofSeconds(20), () -> {
                try (TlsStream tls = server.connectClient()) {
                    send(tls, "hello\n");
                    server.awaitOutput("(?m)^hello$");
                    server.type("r"); // s_server: renegotiate (sends HelloRequest)
                    // s_server drops the rest of a stdin read that began with a command: wait before typing on
                    server.awaitOutput(">>> TLS 1.2, Handshake \\[length 0004\\], HelloRequest");
                    server.type("from the server");
                    String line = readLine(tls); // the whole second handshake happens inside this read
                    send(tls, "after renegotiation\n");
                    server.awaitOutput("(?m)^after renegotiation$");
                    return line;
                }
            }));
            assertEquals("from the server\n", got, () -> "timed out; openssl said:\n" + output(server));
            String out = server.output();
            assertEquals(2, out.split("<<< TLS 1\\.[23], Handshake \\[length [0-9a-f]+\\], ClientHello", -1).length - 1, out);
        }
    }

    @Test
    void ourClientRejectsOpensslServerWithAnUntrustedCertificate() throws Exception {
        try (Openssl server = new Openssl(nullInput(), "s_server", "-accept", "127.0.0.1:0", "-naccept", "1", "-rev",
                "-cert", certs.selfPem().toString(), "-key", certs.selfKey().toString())) {
            TlsHandshakeException e = assertThrows(TlsHandshakeException.class, () -> Xiio.run(() ->
                    Timeout.withTimeout(Duration.ofSeconds(30), () -> {
                        try (TlsStream tls = TlsStream.connect("127.0.0.1", server.acceptPort(), TlsConfig.of(certs.client()))) {
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
