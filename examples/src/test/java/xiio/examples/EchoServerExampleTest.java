package xiio.examples;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import xiio.examples.support.ExampleProcess;
import xiio.signal.Signal;

/** The echo server run for real in its own JVM, with plain blocking sockets as clients. */
class EchoServerExampleTest {
    private ExampleProcess server;
    private int port;

    @BeforeEach
    void startServer() throws Exception {
        server = ExampleProcess.start("echo-server", "--port", "0");
        port = Integer.parseInt(server.awaitLine("echo-server listening on .*:(\\d+) \\(backend \\w+, pid \\d+\\)").group(1));
    }

    @AfterEach
    void stopServer() throws Exception {
        server.close();
    }

    private Socket connect() throws IOException {
        Socket s = new Socket();
        s.connect(new InetSocketAddress("127.0.0.1", port), 5000);
        s.setSoTimeout(20_000);
        return s;
    }

    private static byte[] readExactly(InputStream in, int n) throws IOException {
        byte[] got = in.readNBytes(n);
        assertEquals(n, got.length, "the server closed early");
        return got;
    }

    @Test
    void manyClientsPingPongAtOnceAndEachGetsItsOwnBytesBack() throws Exception {
        List<CompletableFuture<Void>> clients = new ArrayList<>();
        for (int c = 0; c < 20; c++) {
            int seed = c;
            clients.add(CompletableFuture.runAsync(() -> {
                try (Socket s = connect()) {
                    Random random = new Random(seed);
                    for (int round = 0; round < 50; round++) {
                        byte[] message = new byte[1 + random.nextInt(2000)];
                        random.nextBytes(message);
                        s.getOutputStream().write(message);
                        assertArrayEquals(message, readExactly(s.getInputStream(), message.length));
                    }
                } catch (IOException e) {
                    throw new RuntimeException(e);
                }
            }));
        }
        CompletableFuture.allOf(clients.toArray(CompletableFuture[]::new)).get(60, TimeUnit.SECONDS);
    }

    /**
     * A client that sends 32 MiB before it reads a byte fills every socket buffer on
     * the way (loopback buffers hold a few MiB each), so the server's writes come up short and the rest of each read must be kept aside
     * while other connections use the shared read buffer: not one byte may change.
     */
    @Test
    void aClientThatReadsLateGetsEveryByteWhileAnotherConnectionKeepsTheSharedBufferBusy() throws Exception {
        byte[] big = new byte[32 << 20];
        new Random(7).nextBytes(big);
        try (Socket slow = connect(); Socket busy = connect()) {
            // (no small SO_RCVBUF here: shrinking it on a connected socket leaves a window
            // below one MSS, and the sender then trickles on the persist timer for minutes)
            CompletableFuture<Void> sending = CompletableFuture.runAsync(() -> {
                try {
                    slow.getOutputStream().write(big);
                } catch (IOException e) {
                    throw new RuntimeException(e);
                }
            });
            // while the slow client's echo is stuck, another client is served, through the same buffer
            byte[] other = new byte[60_000];
            new Random(8).nextBytes(other);
            for (int i = 0; i < 20; i++) {
                busy.getOutputStream().write(other);
                assertArrayEquals(other, readExactly(busy.getInputStream(), other.length));
            }
            assertArrayEquals(big, readExactly(slow.getInputStream(), big.length));
            sending.get(30, TimeUnit.SECONDS);
        }
    }

    @Test
    void aResetClientEndsOnlyItsOwnConnectionAndSigtermStopsTheServerWithStatus143() throws Exception {
        try (Socket kept = connect()) {
            try (Socket reset = connect()) {
                reset.setSoLinger(true, 0); // close sends RST
                reset.getOutputStream().write(new byte[100]);
            }
            OutputStream out = kept.getOutputStream();
            out.write("still here".getBytes());
            assertEquals("still here", new String(readExactly(kept.getInputStream(), 10)));
        }
        server.signal(Signal.SIGTERM);
        assertEquals(143, server.waitFor(Duration.ofSeconds(10)), "128 + SIGTERM, as every example\n" + server.describe());
        assertTrue(server.stdout().contains("echo-server stopped by SIGTERM"), server.describe());
    }
}
