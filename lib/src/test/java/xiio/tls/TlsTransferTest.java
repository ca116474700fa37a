package xiio.tls;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import xiio.concurrent.Task;
import xiio.concurrent.TaskGroup;
import xiio.concurrent.Timeout;
import xiio.core.CancelScope;
import xiio.core.Promise;
import xiio.core.Xiio;
import xiio.io.ByteStream;
import xiio.io.ForwardingStream;
import xiio.net.TcpListener;
import xiio.net.TcpStream;
import xiio.tls.TlsTestSupport.Certs;
import xiio.tls.TlsTestSupport.PipeStream;

/** Bulk transfers over TCP, and cancellation at the suspension points of a session. */
class TlsTransferTest {
    static final InetSocketAddress LOOPBACK = new InetSocketAddress(InetAddress.ofLiteral("127.0.0.1"), 0);

    @TempDir
    static Path dir;
    static TlsConfig serverConfig, clientConfig;

    @BeforeAll
    static void makeCertificates() throws Exception {
        Certs certs = Certs.create(dir);
        serverConfig = TlsConfig.of(certs.server());
        clientConfig = TlsConfig.of(certs.client());
    }

    /** Byte {@code i} of a stream seeded with {@code seed}: position-dependent, so a lost or repeated chunk shows. */
    static byte pattern(long seed, long i) {
        long x = (i + seed) * 0x9E3779B97F4A7C15L;
        return (byte) (x ^ (x >>> 29));
    }

    static long sendPattern(ByteStream s, long seed, long total) throws IOException {
        byte[] buf = new byte[64 * 1024 + 13]; // not a multiple of the record size
        long sent = 0;
        while (sent < total) {
            int n = (int) Math.min(buf.length, total - sent);
            for (int i = 0; i < n; i++) buf[i] = pattern(seed, sent + i);
            s.writeAll(buf, 0, n);
            sent += n;
        }
        return sent;
    }

    static long checkPattern(ByteStream s, long seed) throws IOException {
        byte[] buf = new byte[50_000];
        long got = 0;
        for (int n; (n = s.read(buf, 0, buf.length)) > 0; ) {
            for (int i = 0; i < n; i++) {
                if (buf[i] != pattern(seed, got + i)) throw new AssertionError("byte " + (got + i) + " differs");
            }
            got += n;
        }
        return got;
    }

    /** Each side writes {@code total} bytes while it reads the other's, at the same time. */
    static long[] bothWays(TlsStream tls, long mySeed, long theirSeed, long total) throws Exception {
        return TaskGroup.scope(g -> {
            Task<Long> reader = g.spawn("reader", () -> checkPattern(tls, theirSeed));
            long sent = sendPattern(tls, mySeed, total);
            tls.shutdownOutput();
            return new long[] {sent, reader.join()};
        });
    }

    @Test
    void severalMebibytesBothWaysAtOnceOverTcp() throws Exception {
        long total = 6L << 20;
        long[][] result = Xiio.run(() -> Timeout.withTimeout(Duration.ofSeconds(60), () -> {
            try (TcpListener listener = TcpListener.bind(LOOPBACK)) {
                return TaskGroup.scope(g -> {
                    Task<long[]> server = g.spawn("server", () -> {
                        try (TlsStream tls = TlsStream.server(listener.accept(), serverConfig)) {
                            return bothWays(tls, 1, 2, total);
                        }
                    });
                    try (TlsStream tls = TlsStream.client(TcpStream.connect(listener.localAddress()), "127.0.0.1", clientConfig)) {
                        long[] client = bothWays(tls, 2, 1, total);
                        return new long[][] {client, server.join()};
                    }
                });
            }
        }));
        assertArrayEquals(new long[] {total, total}, result[0]);
        assertArrayEquals(new long[] {total, total}, result[1]);
    }

    @Test
    void aClientThatOnlyWritesClosesWithoutResettingItsPeer() throws Exception {
        // The server's session ticket sits unread in the client's socket; closing over it
        // would send RST, and the server would lose the data it had not read yet.
        long total = 8L << 20;
        long got = Xiio.run(() -> Timeout.withTimeout(Duration.ofSeconds(60), () -> {
            try (TcpListener listener = TcpListener.bind(LOOPBACK)) {
                return TaskGroup.scope(g -> {
                    Task<Long> server = g.spawn("server", () -> {
                        try (TlsStream tls = TlsStream.server(listener.accept(), serverConfig)) {
                            tls.handshake();
                            Xiio.sleep(Duration.ofMillis(100)); // let the client's writes fill the socket buffers
                            return checkPattern(tls, 3);
                        }
                    });
                    try (TlsStream tls = TlsStream.client(TcpStream.connect(listener.localAddress()), "127.0.0.1", clientConfig)) {
                        sendPattern(tls, 3, total);
                        tls.shutdownOutput();
                    } // closed while the server still has megabytes to read
                    return server.join();
                });
            }
        }));
        assertEquals(total, got);
    }

    @Test
    void connectHandshakesAndNamesThePeerInFailures() throws Exception {
        String got = Xiio.run(() -> Timeout.withTimeout(Duration.ofSeconds(20), () -> {
            try (TcpListener listener = TcpListener.bind(LOOPBACK)) {
                int port = listener.localAddress().getPort();
                return TaskGroup.scope(g -> {
                    g.spawn("server", () -> {
                        try (TlsStream tls = TlsStream.server(listener.accept(), serverConfig)) {
                            tls.handshake();
                            assertTrue(tls.toString().contains("client 127.0.0.1:"), tls.toString());
                            byte[] hi = "hi".getBytes(UTF_8);
                            tls.writeAll(hi, 0, hi.length);
                        }
                        return null;
                    });
                    try (TlsStream tls = TlsStream.connect("127.0.0.1", port, clientConfig)) {
                        assertEquals("TLSv1.3", tls.session().getProtocol()); // connect() handshook
                        return TlsStreamTest.readAll(tls);
                    }
                });
            }
        }));
        assertEquals("hi", got);
    }

    /**
     * A transport that writes the first half of every chunk at once and the rest only
     * once {@code gate} is completed: the reader then holds half a record.
     */
    static final class GatedStream extends ForwardingStream {
        Promise<Void> gate;

        GatedStream(ByteStream stream) {
            super(stream);
        }

        @Override
        public int write(byte[] buf, int off, int len) throws IOException {
            if (gate == null || len < 2) return stream.write(buf, off, len);
            int half = len / 2;
            stream.writeAll(buf, off, half);
            try {
                gate.await();
            } catch (Exception e) {
                throw new AssertionError(e);
            }
            stream.writeAll(buf, off + half, len - half);
            return len;
        }
    }

    @Test
    void aReadCancelledWithHalfARecordBufferedLosesNothing() throws Exception {
        String got = Xiio.run(() -> Timeout.withTimeout(Duration.ofSeconds(20), () -> {
            PipeStream[] pipes = TlsTestSupport.pipePair();
            GatedStream gated = new GatedStream(pipes[0]);
            try (TlsStream s = TlsStream.server(gated, serverConfig); TlsStream c = TlsStream.client(pipes[1], "localhost", clientConfig)) {
                return TaskGroup.scope(g -> {
                    Promise<Void> gate = new Promise<>();
                    g.spawn("server", () -> {
                        s.handshake();
                        gated.gate = gate;
                        TlsStreamTest.send(s, "one whole record");
                        gated.gate = null;
                        s.shutdownOutput();
                        return null;
                    });
                    c.handshake();
                    byte[] buf = new byte[100];
                    // half the record arrives; the read waits for the rest and is cancelled there
                    assertNull(Timeout.withTimeoutOrNull(Duration.ofMillis(50), () -> c.read(buf, 0, buf.length)));
                    assertNull(Timeout.withTimeoutOrNull(Duration.ofMillis(10), () -> c.read(buf, 0, buf.length)));
                    gate.complete(null);
                    return TlsStreamTest.readAll(c);
                });
            }
        }));
        assertEquals("one whole record", got);
    }

    /**
     * Reads at most {@code chunk} bytes per call, so records arrive in many pieces, and
     * cancels an armed scope at the start of a chosen read: the cancellation then lands
     * in the transport read, with part of a record already buffered by the session.
     */
    static final class TrickleStream extends ForwardingStream {
        final int chunk;
        CancelScope armed;
        int readsLeft;

        TrickleStream(ByteStream stream, int chunk) {
            super(stream);
            this.chunk = chunk;
        }

        /** Cancels {@code scope} at the read after the next {@code reads} reads. */
        void cancelAfter(CancelScope scope, int reads) {
            armed = scope;
            readsLeft = reads;
        }

        @Override
        public int read(byte[] buf, int off, int len) throws IOException {
            if (armed != null && readsLeft-- == 0) {
                armed.cancel();
                armed = null;
            }
            return stream.read(buf, off, Math.min(len, chunk));
        }
    }

    @Test
    void readsCancelledAtRandomPointsLoseNothing() throws Exception {
        long total = 300_000;
        Random random = new Random(42);
        long[] outcome = Xiio.run(() -> Timeout.withTimeout(Duration.ofSeconds(60), () -> {
            PipeStream[] pipes = TlsTestSupport.pipePair();
            TrickleStream trickle = new TrickleStream(pipes[1], 97);
            try (TlsStream s = TlsStream.server(pipes[0], serverConfig);
                    TlsStream c = TlsStream.client(trickle, "localhost", clientConfig)) {
                return TaskGroup.scope(g -> {
                    g.spawn("server", () -> {
                        sendPattern(s, 7, total);
                        s.shutdownOutput();
                        return null;
                    });
                    c.handshake();
                    long got = 0, cancelled = 0;
                    byte[] buf = new byte[3000];
                    while (true) {
                        int len = 1 + random.nextInt(buf.length);
                        int reads = random.nextInt(300); // a 16 KiB record takes ~170 reads of 97 bytes
                        Integer n = CancelScope.open(scope -> {
                            trickle.cancelAfter(scope, reads);
                            return c.read(buf, 0, len);
                        });
                        trickle.armed = null;
                        if (n == null) {
                            cancelled++;
                            continue;
                        }
                        if (n < 0) break;
                        for (int i = 0; i < n; i++) {
                            if (buf[i] != pattern(7, got + i)) throw new AssertionError("byte " + (got + i) + " differs");
                        }
                        got += n;
                    }
                    return new long[] {got, cancelled};
                });
            }
        }));
        assertEquals(total, outcome[0]);
        assertTrue(outcome[1] > 10, "only " + outcome[1] + " reads were cancelled");
    }

    @Test
    void aHandshakeCancelledMidwayCanBeResumed() throws Exception {
        long[] outcome = Xiio.run(() -> Timeout.withTimeout(Duration.ofSeconds(30), () -> {
            PipeStream[] pipes = TlsTestSupport.pipePair();
            TrickleStream trickle = new TrickleStream(pipes[1], 10);
            try (TlsStream s = TlsStream.server(pipes[0], serverConfig);
                    TlsStream c = TlsStream.client(trickle, "localhost", clientConfig)) {
                return TaskGroup.scope(g -> {
                    g.spawn("server", () -> {
                        TlsStreamTest.send(s, TlsStreamTest.readAll(s).toUpperCase());
                        s.shutdownOutput();
                        return null;
                    });
                    long cancelledInReads = 0, cancelledByTime = 0;
                    // cancelled in transport reads, a few reads further each time
                    for (int reads = 0; reads < 8; reads++) {
                        int r = reads;
                        if (CancelScope.open(scope -> {
                            trickle.cancelAfter(scope, r);
                            c.handshake();
                            return Boolean.TRUE;
                        }) == null) cancelledInReads++;
                        trickle.armed = null;
                    }
                    // then by short timeouts, which also land while delegated tasks run on a worker
                    while (CancelScope.open(Duration.ofMillis(1), scope -> {
                        c.handshake();
                        return Boolean.TRUE;
                    }) == null) cancelledByTime++;
                    TlsStreamTest.send(c, "resumed");
                    c.shutdownOutput();
                    assertEquals("RESUMED", TlsStreamTest.readAll(c));
                    return new long[] {cancelledInReads, cancelledByTime};
                });
            }
        }));
        assertEquals(8, outcome[0], "every early handshake attempt should have been cancelled in a read");
    }

    @Test
    void aHandshakeCancelledWhileItsTasksWaitForAWorkerCanBeResumed() throws Exception {
        // As many blocked jobs as the TLS pool has workers: the server's delegated tasks
        // queue behind them, and the cancellation drops their job before it starts.
        int blockers = TlsDelegatedTasks.pool().maxWorkers();
        CountDownLatch release = new CountDownLatch(1);
        String got = Xiio.run(() -> Timeout.withTimeout(Duration.ofSeconds(20), () -> {
            PipeStream[] pipes = TlsTestSupport.pipePair();
            try (TlsStream s = TlsStream.server(pipes[0], serverConfig);
                    TlsStream c = TlsStream.client(pipes[1], "localhost", clientConfig)) {
                return TaskGroup.scope(g -> {
                    int[] submitted = {0};
                    for (int i = 0; i < blockers; i++) {
                        g.spawn("blocker", () -> {
                            submitted[0]++;
                            return TlsDelegatedTasks.pool().call(() -> release.await(20, TimeUnit.SECONDS));
                        });
                    }
                    while (submitted[0] < blockers) Xiio.sleep(Duration.ofMillis(1));
                    g.spawn("client", () -> {
                        TlsStreamTest.send(c, "resumed");
                        c.shutdownOutput();
                        return null;
                    });
                    assertNull(CancelScope.open(Duration.ofMillis(300), scope -> {
                        s.handshake();
                        return Boolean.TRUE;
                    }), "the handshake should wait for a worker until it is cancelled");
                    release.countDown();
                    s.handshake(); // runs the tasks the cancelled attempt took from the engine
                    return TlsStreamTest.readAll(s);
                });
            } finally {
                release.countDown();
            }
        }));
        assertEquals("resumed", got);
    }

    @Test
    void pendingDecryptedBytesSurviveAnAlreadyCancelledScope() throws Exception {
        byte[] got = Xiio.run(() -> Timeout.withTimeout(Duration.ofSeconds(20), () -> {
            PipeStream[] pipes = TlsTestSupport.pipePair();
            try (TlsStream s = TlsStream.server(pipes[0], serverConfig); TlsStream c = TlsStream.client(pipes[1], "localhost", clientConfig)) {
                return TaskGroup.scope(g -> {
                    g.spawn("server", () -> {
                        TlsStreamTest.send(s, "abcdef");
                        s.shutdownOutput();
                        return null;
                    });
                    ByteArrayOutputStream out = new ByteArrayOutputStream();
                    byte[] one = new byte[1];
                    assertEquals(1, c.read(one, 0, 1)); // "bcdef" now waits decrypted in the stream
                    out.write(one[0]);
                    // a read in a scope that is cancelled at its first suspension
                    for (int i = 0; i < 3; i++) {
                        Integer n = CancelScope.open(scope -> {
                            scope.cancel();
                            return c.read(one, 0, 1);
                        });
                        assertEquals(1, n); // served from the buffer, without suspending
                        out.write(one[0]);
                    }
                    out.writeBytes(TlsStreamTest.readAll(c).getBytes(UTF_8));
                    return out.toByteArray();
                });
            }
        }));
        assertEquals("abcdef", new String(got, UTF_8));
    }
}
