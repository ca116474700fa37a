package xiio.net;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import xiio.concurrent.TaskGroup;
import xiio.concurrent.Timeout;
import xiio.core.Xiio;
import xiio.io.StreamReader;
import xiio.io.StreamWriter;

/** Many connections, big transfers, and peers that misbehave. */
class TcpLoadTest {

    /** The soft fd limit of this process, from /proc (the test sizes itself to it; nothing is raised). */
    static long fdLimit() throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/self/limits"))) {
            if (line.startsWith("Max open files")) {
                String soft = line.substring("Max open files".length()).trim().split("\\s+")[0];
                return soft.equals("unlimited") ? Long.MAX_VALUE : Long.parseLong(soft);
            }
        }
        return 1024;
    }

    @Test
    void aThousandConcurrentConnectionsEchoInOneLoop() throws Exception {
        // each connection costs two fds (client and server end) plus headroom for the JVM
        int connections = (int) Math.min(1000, (fdLimit() - 200) / 2);
        assertTrue(connections >= 100, "ulimit -n is too low for this test: " + fdLimit());
        int rounds = 3;
        long echoed = Xiio.run(() -> {
            try (TcpListener listener = TcpListener.bind(TcpTest.V4)) {
                long[] total = new long[1];
                TaskGroup.scope(g -> {
                    g.spawn("acceptor", () -> TaskGroup.scope(servers -> {
                        for (int i = 0; i < connections; i++) {
                            TcpStream conn = listener.accept();
                            servers.spawn("echo", () -> {
                                try (conn) {
                                    byte[] buf = new byte[256];
                                    for (int n; (n = conn.read(buf, 0, buf.length)) > 0; ) conn.writeAll(buf, 0, n);
                                }
                                return null;
                            });
                        }
                        return null;
                    }));
                    List<TcpStream> clients = new ArrayList<>();
                    try {
                        for (int i = 0; i < connections; i++) clients.add(TcpStream.connect(listener.localAddress()));
                        TaskGroup.scope(cg -> {
                            for (int i = 0; i < connections; i++) {
                                TcpStream c = clients.get(i);
                                byte[] msg = ("message from client " + i).getBytes();
                                cg.spawn("client", () -> {
                                    StreamReader r = new StreamReader(c);
                                    for (int round = 0; round < rounds; round++) {
                                        c.writeAll(msg, 0, msg.length);
                                        assertArrayEquals(msg, r.readExactly(msg.length));
                                        total[0] += msg.length;
                                    }
                                    c.shutdownOutput();
                                    assertEquals(-1, r.read(new byte[1], 0, 1));
                                    return null;
                                });
                            }
                            return null;
                        });
                    } finally {
                        for (TcpStream c : clients) c.close();
                    }
                    return null;
                });
                return total[0];
            }
        });
        long expected = 0;
        for (int i = 0; i < connections; i++) expected += ("message from client " + i).length() * (long) rounds;
        assertEquals(expected, echoed);
    }

    @Test
    void tenMibInBothDirectionsAtOnceDoesNotDeadlock() throws Exception {
        int size = 10 << 20;
        byte[] a = pattern(size, 17);
        byte[] b = pattern(size, 91);
        List<byte[]> digests = Xiio.run(() -> Timeout.withTimeout(Duration.ofSeconds(60), () -> {
            try (TcpListener l = TcpListener.bind(TcpTest.V6);
                    TcpStream left = TcpStream.connect(l.localAddress());
                    TcpStream right = l.accept()) {
                List<byte[]> out = new ArrayList<>();
                TaskGroup.scope(g -> {
                    // both sides write everything before reading anything: only concurrent
                    // reading and writing (not a buffer size) keeps this from deadlocking
                    g.spawn("left writes", () -> send(left, a));
                    g.spawn("right writes", () -> send(right, b));
                    g.spawn("left reads", () -> out.add(digestOfAll(left, size)));
                    g.spawn("right reads", () -> out.add(digestOfAll(right, size)));
                    return null;
                });
                return out;
            }
        }));
        List<byte[]> expected = List.of(sha(b), sha(a));
        // the two readers may finish in either order
        assertTrue(java.util.Arrays.equals(digests.get(0), expected.get(0)) && java.util.Arrays.equals(digests.get(1), expected.get(1))
                || java.util.Arrays.equals(digests.get(0), expected.get(1)) && java.util.Arrays.equals(digests.get(1), expected.get(0)));
    }

    static Void send(TcpStream s, byte[] data) throws IOException {
        StreamWriter w = new StreamWriter(s);
        for (int off = 0; off < data.length; off += 100_000) w.writeAll(data, off, Math.min(100_000, data.length - off));
        w.flush();
        s.shutdownOutput();
        return null;
    }

    static byte[] digestOfAll(TcpStream s, int expected) throws Exception {
        MessageDigest md = MessageDigest.getInstance("SHA-256");
        byte[] buf = new byte[65536];
        long got = 0;
        for (int n; (n = s.read(buf, 0, buf.length)) > 0; ) {
            md.update(buf, 0, n);
            got += n;
        }
        assertEquals(expected, got);
        return md.digest();
    }

    static byte[] pattern(int size, int seed) {
        byte[] out = new byte[size];
        int x = seed;
        for (int i = 0; i < size; i++) {
            x = x * 1103515245 + 12345;
            out[i] = (byte) (x >>> 16);
        }
        return out;
    }

    static byte[] sha(byte[] data) throws Exception {
        return MessageDigest.getInstance("SHA-256").digest(data);
    }

    @Test
    void aPeerThatNeverReadsBlocksTheWriterWithBoundedMemoryAndItCancelsCleanly() throws Exception {
        Xiio.run(() -> {
            try (TcpListener l = TcpListener.bind(TcpTest.V4);
                    TcpStream writer = TcpStream.connect(l.localAddress());
                    TcpStream sleeper = l.accept()) {
                StreamWriter w = new StreamWriter(writer, 32 * 1024);
                byte[] chunk = new byte[1000];
                long before = w.bytesAccepted();
                long[] maxBuffered = new long[1];
                Object r = Timeout.withTimeoutOrNull(Duration.ofMillis(300), () -> {
                    while (true) {
                        w.writeAll(chunk, 0, chunk.length);
                        maxBuffered[0] = Math.max(maxBuffered[0], w.buffered());
                    }
                });
                assertNull(r);
                long took = w.bytesAccepted() - before;
                // the kernel's socket buffers took some, our buffer the rest, and no more
                assertTrue(maxBuffered[0] <= w.limit(), "buffered " + maxBuffered[0]);
                assertEquals(took, w.bytesWritten() + w.buffered());
                assertTrue(took < 64L << 20, "the writer stopped: took " + took);
                // after the cancellation the connection still works: reading drains it
                long[] drained = new long[1];
                TaskGroup.scope(g -> {
                    g.spawn(() -> {
                        byte[] buf = new byte[65536];
                        for (int n; (n = sleeper.read(buf, 0, buf.length)) > 0; ) drained[0] += n;
                        return null;
                    });
                    w.flush();
                    writer.shutdownOutput();
                    return null;
                });
                assertEquals(took, drained[0]);
                return null;
            }
        });
    }

    @Test
    void aPeerThatResetsMidWriteFailsTheWriterClearly() throws Exception {
        String message = Xiio.run(() -> {
            try (TcpListener l = TcpListener.bind(TcpTest.V4);
                    TcpStream writer = TcpStream.connect(l.localAddress())) {
                TcpStream peer = l.accept();
                return TaskGroup.scope(g -> {
                    g.spawn("peer", () -> {
                        byte[] buf = new byte[4096];
                        peer.read(buf, 0, buf.length); // some data arrived: the writer is mid-stream
                        peer.reset();                  // SO_LINGER 0 + close: RST
                        return null;
                    });
                    byte[] chunk = new byte[64 * 1024];
                    try {
                        Timeout.withTimeout(Duration.ofSeconds(20), () -> {
                            while (true) writer.writeAll(chunk, 0, chunk.length);
                        });
                        return "no failure";
                    } catch (java.net.SocketException e) {
                        return e.getMessage();
                    }
                });
            }
        });
        assertTrue(message.contains("send to 127.0.0.1:"), message);
        assertTrue(message.contains("ECONNRESET") || message.contains("EPIPE"), message);
    }
}
