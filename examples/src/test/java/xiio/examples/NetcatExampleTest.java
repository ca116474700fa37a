package xiio.examples;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import xiio.examples.support.ExampleProcess;
import xiio.signal.Signal;

/** netcat for real: against the echo server, and two netcats talking, in plain TCP and TLS. */
class NetcatExampleTest {
    private static final Duration LIMIT = Duration.ofSeconds(20);

    @Test
    void megabytesThroughTheEchoServerComeBackWhole() throws Exception {
        try (ExampleProcess echo = ExampleProcess.start("echo-server", "--port", "0")) {
            String port = echo.awaitLine("echo-server listening on .*:(\\d+) ").group(1);
            byte[] data = new byte[2 * 1024 * 1024 + 3];
            new Random(5).nextBytes(data);
            // The echo server answers while it reads: copying one direction at a time would deadlock
            // once both directions' buffers fill. And stdin ends long before the echo does: a
            // full close there instead of a half-close would lose the tail.
            ExampleProcess.Result r = ExampleProcess.run(LIMIT, data, "netcat", "127.0.0.1", port);
            assertEquals(0, r.status(), r.stderr());
            assertArrayEquals(data, r.stdoutBytes());
            echo.signal(Signal.SIGTERM);
            assertEquals(143, echo.waitFor(LIMIT), "128 + SIGTERM");
        }
    }

    @Test
    void twoNetcatsTalkBothWaysAndEndOnEndOfStream() throws Exception {
        try (ExampleProcess server = ExampleProcess.start("netcat", "-l", "-p", "0")) {
            String port = server.awaitLine("netcat listening on 127.0.0.1:(\\d+)", LIMIT, true).group(1);
            try (ExampleProcess client = ExampleProcess.start("netcat", "127.0.0.1", port)) {
                talk(server, client);
            }
        }
    }

    @Test
    void twoNetcatsOverTls(@TempDir Path dir) throws Exception {
        Path[] pair = HttpTlsExampleTest.selfSignedCertificate(dir);
        try (ExampleProcess server = ExampleProcess.start("netcat", "-l", "-p", "0", "--tls-cert", pair[0].toString(),
                "--tls-key", pair[1].toString())) {
            String port = server.awaitLine("netcat listening on 127.0.0.1:(\\d+)", LIMIT, true).group(1);
            try (ExampleProcess client = ExampleProcess.start("netcat", "--tls", "--cacert", pair[0].toString(), "127.0.0.1", port)) {
                talk(server, client);
            }
        }
    }

    /**
     * Each side's stdin stays open while the other answers, so both directions are
     * live at once; then the client's stdin ends: it half-closes, the server reads
     * end of stream and exits (cancelling its own stdin read, which is still open),
     * and the client then reads end of stream and exits too.
     */
    private static void talk(ExampleProcess server, ExampleProcess client) throws Exception {
        OutputStream toClient = client.stdin(), toServer = server.stdin();
        toClient.write("hello from the client\n".getBytes(StandardCharsets.UTF_8));
        toClient.flush();
        server.awaitLine("^hello from the client$");
        toServer.write("hello from the server\n".getBytes(StandardCharsets.UTF_8));
        toServer.flush();
        client.awaitLine("^hello from the server$");
        toClient.close();
        assertEquals(0, server.waitFor(LIMIT), server.describe());
        assertEquals(0, client.waitFor(LIMIT), client.describe());
        assertEquals("hello from the client\n", server.stdout());
        assertEquals("hello from the server\n", client.stdout());
        assertTrue(server.stderr().contains("netcat: connection from /127.0.0.1:"), server.stderr());
    }

    @Test
    void aRefusedConnectionIsOneLineAndExitStatus1() throws Exception {
        int closed;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closed = s.getLocalPort();
        }
        ExampleProcess.Result r = ExampleProcess.run(LIMIT, new byte[0], "netcat", "127.0.0.1", String.valueOf(closed));
        assertEquals(1, r.status());
        assertEquals(1, r.stderr().lines().count(), r.stderr());
        assertTrue(r.stderr().startsWith("xiio netcat: connect to 127.0.0.1:" + closed + ": ECONNREFUSED"), r.stderr());
    }

    @Test
    void misuseIsExplainedBeforeAnythingRuns() throws Exception {
        var err = new java.io.ByteArrayOutputStream();
        var saved = System.err;
        System.setErr(new java.io.PrintStream(err, true, StandardCharsets.UTF_8));
        try {
            assertEquals(2, Main.execute("netcat", "-l"));
            assertEquals(2, Main.execute("netcat", "127.0.0.1", "80", "--tls-cert", "c.pem", "--tls-key", "k.pem"));
        } finally {
            System.setErr(saved);
        }
        assertEquals("xiio netcat: -l needs -p PORT (see ./xiio netcat --help)\n"
                + "xiio netcat: --tls-cert is for -l; a client says --tls (see ./xiio netcat --help)\n", err.toString(StandardCharsets.UTF_8));
    }
}
