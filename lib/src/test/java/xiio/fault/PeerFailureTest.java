package xiio.fault;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.Test;
import xiio.concurrent.TaskGroup;
import xiio.core.Xiio;
import xiio.io.Pipe;
import xiio.io.StreamReader;
import xiio.io.StreamWriter;
import xiio.net.TcpListener;
import xiio.net.TcpStream;
import xiio.support.Faults;
import xiio.support.Faults.Call;
import xiio.support.Payload;
import xiio.support.TcpPair;
import xiio.unix.Errno;
import xiio.unix.ErrnoException;

/**
 * A peer that goes away mid-stream (ECONNRESET, EPIPE), injected at an exact byte and
 * for real: the operation that meets it fails with an exception naming the peer, every
 * byte before it arrived once, and the other connections of the loop do not notice.
 */
class PeerFailureTest {
    private static final InetSocketAddress LOOPBACK = new InetSocketAddress(InetAddress.ofLiteral("127.0.0.1"), 0);
    private static final int SIZE = 256 * 1024;
    private static final int FAULT_AT = 100_000;

    /** What a server handler saw: the bytes, how many, and how it ended. */
    record Received(byte[] bytes, int count, IOException failure, String peer) {}

    @Test
    void aResetMidReadFailsOnlyThatConnection() throws Exception {
        int clients = 3, faulty = 1;
        Map<Integer, Received> received = new ConcurrentHashMap<>();
        try (Faults faults = Faults.install()) {
            Xiio.run(() -> {
                try (TcpListener listener = TcpListener.bind(LOOPBACK)) {
                    TaskGroup.scope(g -> {
                        g.spawn("server", () -> {
                            for (int i = 0; i < clients; i++) {
                                TcpStream conn = listener.accept();
                                g.spawn("handler " + i, () -> receiveAll(conn, received, faults, faulty));
                            }
                            return null;
                        });
                        for (int i = 0; i < clients; i++) {
                            int id = i;
                            g.spawn("client " + id, () -> sendInPieces(listener.localAddress(), id, id == faulty));
                        }
                        return null;
                    });
                }
                return null;
            });
        }
        for (int id = 0; id < clients; id++) {
            Received r = received.get(id);
            byte[] data = Payload.of(id, SIZE);
            if (id == faulty) {
                SocketException e = assertInstanceOf(SocketException.class, r.failure());
                assertTrue(e.getMessage().startsWith("recv from " + r.peer() + " (fd "), e.getMessage());
                assertTrue(e.getMessage().contains("ECONNRESET (Connection reset by peer)"), e.getMessage());
                assertEquals(Errno.ECONNRESET, assertInstanceOf(ErrnoException.class, e.getCause()).errno());
                assertEquals(FAULT_AT, r.count(), "bytes before the reset");
                Payload.assertPrefix(data, r.bytes(), r.count(), "connection " + id);
            } else {
                assertEquals(null, r.failure(), "connection " + id);
                Payload.assertWhole(data, r.bytes(), r.count(), "connection " + id);
            }
        }
    }

    @Test
    void aBrokenPipeMidWriteFailsOnlyThatConnection() throws Exception {
        byte[] data = Payload.of(9, SIZE);
        try (Faults faults = Faults.install()) {
            Xiio.run(() -> {
                try (TcpPair broken = TcpPair.open(); TcpPair healthy = TcpPair.open()) {
                    faults.on(Call.SEND).fd(broken.server().fd()).afterBytes(FAULT_AT).fail(Errno.EPIPE);
                    String peer = "127.0.0.1:" + broken.client().localAddress().getPort();
                    List<byte[]> got = new ArrayList<>();
                    TaskGroup.scope(g -> {
                        g.spawn("broken writer", () -> {
                            StreamWriter w = new StreamWriter(broken.server(), 16 * 1024);
                            IOException e = assertThrows(IOException.class, () -> {
                                for (int off = 0; off < data.length; off += 5000) w.writeAll(data, off, Math.min(5000, data.length - off));
                                w.flush();
                            });
                            assertInstanceOf(SocketException.class, e);
                            assertEquals("send to " + peer + " (fd " + broken.server().fd()
                                    + "): EPIPE (Broken pipe): the peer has closed the connection", e.getMessage());
                            // what reached the kernel is counted, and nothing more
                            assertEquals(FAULT_AT, w.bytesWritten());
                            broken.server().close();
                            return null;
                        });
                        g.spawn("healthy writer", () -> {
                            StreamWriter w = new StreamWriter(healthy.server(), 16 * 1024);
                            for (int off = 0; off < data.length; off += 5000) w.writeAll(data, off, Math.min(5000, data.length - off));
                            w.flush();
                            healthy.server().shutdownOutput();
                            return null;
                        });
                        var brokenReader = g.spawn("broken reader", () -> readToEnd(broken.client()));
                        byte[] healthyBytes = readToEnd(healthy.client());
                        got.add(brokenReader.join());
                        got.add(healthyBytes);
                        return null;
                    });
                    byte[] partial = got.get(0), whole = got.get(1);
                    assertEquals(FAULT_AT, partial.length, "bytes the broken connection delivered");
                    Payload.assertPrefix(data, partial, partial.length, "broken connection");
                    Payload.assertWhole(data, whole, whole.length, "healthy connection");
                }
                return null;
            });
        }
    }

    @Test
    void aRealResetMidReadKeepsTheBytesThatArrived() throws Exception {
        byte[] data = Payload.of(10, 50_000);
        Xiio.run(() -> {
            try (TcpPair pair = TcpPair.open(); TcpPair other = TcpPair.open()) {
                String peer = "127.0.0.1:" + pair.client().localAddress().getPort();
                StreamReader in = new StreamReader(pair.server());
                TaskGroup.scope(g -> {
                    g.spawn("rude client", () -> {
                        pair.client().writeAll(data, 0, data.length);
                        pair.client().reset(); // RST: SO_LINGER 0, then close
                        return null;
                    });
                    SocketException e = assertThrows(SocketException.class, () -> in.readExactly(SIZE));
                    assertTrue(e.getMessage().startsWith("recv from " + peer + " (fd " + pair.server().fd() + "): ECONNRESET"),
                            e.getMessage());
                    // the bytes that arrived before the reset stay buffered for the caller
                    byte[] kept = new byte[in.buffered()];
                    in.readExactly(kept, 0, kept.length);
                    Payload.assertPrefix(data, kept, kept.length, "bytes before the reset");
                    // a write to the reset connection fails too, naming the peer
                    IOException w = assertThrows(IOException.class, () -> {
                        for (int i = 0; i < 100; i++) pair.server().writeAll(data, 0, data.length);
                    });
                    assertTrue(w.getMessage().startsWith("send to " + peer), w.getMessage());
                    // another connection of the same loop does not notice
                    EintrTest.roundTrip(other.client(), other.server());
                    return null;
                });
            }
            return null;
        });
    }

    @Test
    void aPipeWhoseReaderIsGoneFailsWithEpipeNamingTheEnd() throws Exception {
        Xiio.run(() -> {
            try (Pipe p = Pipe.open(); Pipe other = Pipe.open()) {
                p.reader().close();
                byte[] b = {1, 2, 3};
                ErrnoException e = assertThrows(ErrnoException.class, () -> p.writer().writeAll(b, 0, b.length));
                assertEquals("write(fd " + p.writer().fd() + ", pipe write end): EPIPE (Broken pipe)", e.getMessage());
                other.writer().writeAll(b, 0, b.length);
                assertEquals(3, new StreamReader(other.reader()).readExactly(3).length);
            }
            return null;
        });
    }

    /** Reads a client's stream to its end; the first byte is the client's id (see Payload). */
    private static Void receiveAll(TcpStream conn, Map<Integer, Received> received, Faults faults, int faulty)
            throws IOException {
        try (conn) {
            byte[] buf = new byte[SIZE + 1];
            int n = 0, id = -1;
            try {
                for (int k; (k = conn.read(buf, n, Math.min(n == 0 ? 1 : 7000, buf.length - n))) > 0; ) {
                    n += k;
                    if (id < 0 && (id = buf[0]) == faulty) {
                        faults.on(Call.RECV).fd(conn.fd()).afterBytes(FAULT_AT - 1).fail(Errno.ECONNRESET);
                    }
                }
                received.put(id, new Received(buf, n, null, null));
            } catch (IOException e) {
                received.put(id, new Received(buf, n, e, "127.0.0.1:" + conn.remoteAddress().getPort()));
            }
        }
        return null;
    }

    private static Void sendInPieces(InetSocketAddress to, int id, boolean peerMayFail) throws IOException {
        byte[] data = Payload.of(id, SIZE);
        try (TcpStream conn = TcpStream.connect(to)) {
            for (int off = 0; off < data.length; off += 4000) {
                conn.writeAll(data, off, Math.min(4000, data.length - off));
                Xiio.yieldNow(); // interleave with the other connections
            }
            conn.shutdownOutput();
        } catch (IOException e) {
            // the server closed the connection whose read failed; the client may see that
            if (!peerMayFail) throw e;
        }
        return null;
    }

    private static byte[] readToEnd(TcpStream conn) throws IOException {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        byte[] buf = new byte[8192];
        for (int n; (n = conn.read(buf, 0, buf.length)) > 0; ) out.write(buf, 0, n);
        return out.toByteArray();
    }
}
