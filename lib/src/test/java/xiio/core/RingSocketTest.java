package xiio.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import xiio.concurrent.TaskGroup;
import xiio.concurrent.Timeout;
import xiio.net.TcpStream;
import xiio.support.Payload;
import xiio.support.TcpPair;

/**
 * Sockets on io_uring read through the multishot receive queue and write through the
 * ring's sends, on real loopback connections: nothing lost or duplicated under
 * cancellation (checked against the bytes the peer sent), bounded memory for a reader
 * that does not read, recovery from an empty buffer ring, a tiny ring, close with
 * operations in flight, end of stream and reset through the queue, bytes a run had
 * queued read by the next run.
 */
class RingSocketTest {
    private static RingReceiver queueOf(TcpStream s) {
        return RingOps.current().receiver(s.fd());
    }

    /** Reads exactly {@code n} bytes. */
    private static byte[] readFully(TcpStream s, int n) throws IOException {
        byte[] b = new byte[n];
        for (int got = 0; got < n; ) {
            int r = s.read(b, got, n - got);
            if (r < 0) throw new IOException("end of stream after " + got + " of " + n + " bytes");
            got += r;
        }
        return b;
    }

    @Test
    void readsComeFromTheReceiveQueue() throws Exception {
        Xiio.run(Poller.ioUring(), () -> {
            try (TcpPair p = TcpPair.open()) {
                p.client().writeAll("ping".getBytes(), 0, 4);
                assertEquals("ping", new String(readFully(p.server(), 4)));
                p.client().writeAll("pong".getBytes(), 0, 4);
                assertEquals("pong", new String(readFully(p.server(), 4)));
                assertTrue(queueOf(p.server()).receiving(), "a multishot receive is armed after the first read");
            }
            return null;
        });
    }

    @Test
    void selectAndIsReadySeeBytesWaitingInTheQueue() throws Exception {
        String chosen = Xiio.run(Poller.ioUring(), () -> {
            try (TcpPair p = TcpPair.open()) {
                p.client().writeAll("a".getBytes(), 0, 1);
                readFully(p.server(), 1); // the queue receives from now on
                assertFalse(Xiio.isReady(p.server().fd(), Interest.READ));
                p.client().writeAll("bc".getBytes(), 0, 2);
                Xiio.sleep(Duration.ofMillis(20)); // the receive takes them: the socket itself is empty
                assertTrue(Xiio.isReady(p.server().fd(), Interest.READ), "bytes wait in the queue");
                return new xiio.concurrent.Select<String>()
                        .onReadable(p.server().fd(), () -> new String(readFully(p.server(), 2)))
                        .onTimeout(Duration.ofSeconds(5), () -> "timeout")
                        .select();
            }
        });
        assertEquals("bc", chosen);
    }

    @Test
    void cancelledReadsLoseAndDuplicateNothing() throws Exception {
        int total = 2 << 20;
        byte[] sent = Payload.of(1, total);
        byte[] got = new byte[total];
        int[] cancelled = {0};
        Xiio.run(Poller.ioUring(), () -> {
            try (TcpPair p = TcpPair.open()) {
                TaskGroup.scope(g -> {
                    g.spawn(() -> {
                        Random rnd = new Random(7);
                        for (int off = 0; off < total; ) {
                            int n = Math.min(total - off, 1 + rnd.nextInt(20_000));
                            p.client().writeAll(sent, off, n);
                            off += n;
                            if (rnd.nextInt(4) == 0) Xiio.sleep(Duration.ofMillis(1));
                        }
                        return null;
                    });
                    Random rnd = new Random(11);
                    int at = 0;
                    while (at < total) {
                        int want = Math.min(total - at, 1 + rnd.nextInt(9000));
                        int at0 = at;
                        Integer n = Timeout.withTimeoutOrNull(Duration.ofNanos(1 + rnd.nextInt(300_000)),
                                () -> p.server().read(got, at0, want));
                        if (n == null) cancelled[0]++;
                        else at += n;
                    }
                    return null;
                });
            }
            return null;
        });
        assertTrue(cancelled[0] > 0, "some reads were cancelled");
        assertEquals(Payload.crc(sent, total), Payload.crc(got, total), "the reader got exactly what was sent");
        Payload.assertPrefix(sent, got, total, "received");
    }

    @Test
    void aReaderThatDoesNotReadHoldsBoundedMemoryAndTheWriterIsHeldBack() throws Exception {
        int total = 64 << 20; // far more than the queue limit and both socket buffers
        byte[] chunk = Payload.of(2, 1 << 20);
        long[] written = {0};
        Xiio.run(Poller.ioUring(), () -> {
            try (TcpPair p = TcpPair.open()) {
                TaskGroup.scope(g -> {
                    g.spawn(() -> {
                        while (written[0] < total) {
                            p.client().writeAll(chunk, 0, chunk.length);
                            written[0] += chunk.length;
                        }
                        return null;
                    });
                    assertEquals(1, p.server().read(new byte[1], 0, 1)); // starts the queue, then stops reading
                    Xiio.sleep(Duration.ofMillis(300));
                    RingReceiver q = queueOf(p.server());
                    assertTrue(q.queued() <= RingReceiver.LIMIT + 4, "queued " + q.queued() + " buffers");
                    assertTrue(written[0] < total, "the writer is held back by TCP, wrote " + written[0]);
                    g.cancel();
                    return null;
                });
            }
            return null;
        });
    }

    @Test
    void anEmptyBufferRingEndsTheMultishotAndNothingIsLost() throws Exception {
        int total = 4 << 20;
        byte[] sent = Payload.of(3, total);
        IoUringPoller poller = IoUringPoller.open(64, 4);
        int starved = Xiio.run(poller, () -> { // 4 buffers: ENOBUFS all the time
            try (TcpPair p = TcpPair.open(); TcpPair hog = TcpPair.open()) {
                // a connection that holds every buffer and is never read again
                hog.client().writeAll(new byte[64 << 10], 0, 64 << 10);
                hog.server().read(new byte[1], 0, 1);
                Xiio.sleep(Duration.ofMillis(20)); // its queue takes the ring's buffers
                TaskGroup.scope(g -> {
                    g.spawn(() -> {
                        p.client().writeAll(sent, 0, total);
                        return null;
                    });
                    Payload.assertPrefix(sent, readFully(p.server(), total), total, "received past ENOBUFS");
                    return null;
                });
            }
            return ((UringOperations) poller.ringOps()).outOfBuffers;
        });
        assertTrue(starved > 0, "ENOBUFS ended a multishot");
    }

    @Test
    void aTinyRingServesManyConnections() throws Exception {
        int n = 200; // 8 submission entries, 16 completions: full queues on every wait
        int[] echoed = {0};
        Xiio.run(IoUringPoller.open(8), () -> {
            List<TcpPair> pairs = new ArrayList<>();
            try {
                for (int i = 0; i < n; i++) pairs.add(TcpPair.open());
                TaskGroup.scope(g -> {
                    for (TcpPair p : pairs) {
                        g.spawn(() -> {
                            byte[] b = new byte[64];
                            for (int r = 0; r < 5; r++) {
                                int got = p.server().read(b, 0, b.length);
                                p.server().writeAll(b, 0, got);
                            }
                            return null;
                        });
                        g.spawn(() -> {
                            byte[] msg = Payload.of(4, 64);
                            for (int r = 0; r < 5; r++) {
                                p.client().writeAll(msg, 0, msg.length);
                                assertTrue(Arrays.equals(msg, readFully(p.client(), 64)));
                                echoed[0]++;
                            }
                            return null;
                        });
                    }
                    return null;
                });
            } finally {
                for (TcpPair p : pairs) p.close();
            }
            return null;
        });
        assertEquals(5 * n, echoed[0]);
    }

    @Test
    void closingWithAReceiveAndASendInFlightFailsTheWaitersAndReleasesTheSocket() throws Exception {
        String[] failures = new String[2];
        Xiio.run(Poller.ioUring(), () -> {
            try (TcpPair p = TcpPair.open()) {
                TcpStream server = p.server();
                TaskGroup.scope(g -> {
                    g.spawn(() -> {
                        try {
                            server.read(new byte[16], 0, 16);
                        } catch (IOException e) {
                            failures[0] = e.getMessage() + " / " + e.getCause().getMessage();
                        }
                        return null;
                    });
                    g.spawn(() -> {
                        byte[] big = new byte[8 << 20]; // the client never reads: a send stays in flight
                        try {
                            server.writeAll(big, 0, big.length);
                        } catch (IOException e) {
                            failures[1] = e.getMessage() + " / " + e.getCause().getMessage();
                        }
                        return null;
                    });
                    Xiio.sleep(Duration.ofMillis(100));
                    server.close();
                    return null;
                });
                // the socket is really closed (nothing in the kernel holds it): the peer reads end of stream
                byte[] sink = new byte[1 << 16];
                Integer end = Timeout.withTimeoutOrNull(Duration.ofSeconds(10), () -> {
                    int r;
                    while ((r = p.client().read(sink, 0, sink.length)) > 0) { }
                    return r;
                });
                assertEquals(-1, end);
            }
            return null;
        });
        assertNotNull(failures[0], "the reader failed");
        assertTrue(failures[0].endsWith("was closed while a coroutine waited on it"), failures[0]);
        assertNotNull(failures[1], "the writer failed");
        assertTrue(failures[1].contains("was closed while a coroutine waited to write to it"), failures[1]);
    }

    @Test
    void closeDoesNotSuspendAndTheSocketIsReleasedAtTheNextWait() throws Exception {
        Xiio.run(Poller.ioUring(), () -> {
            try (TcpPair p = TcpPair.open()) {
                p.client().writeAll("x".getBytes(), 0, 1);
                readFully(p.server(), 1); // a multishot receive is armed now
                byte[] big = new byte[8 << 20];
                for (int i = 0; i < 64 && p.server().tryWrite(big, 0, big.length) > 0; i++) { } // and a send in flight
                boolean[] ranMeanwhile = {false};
                TaskGroup.scope(g -> {
                    g.spawn(() -> ranMeanwhile[0] = true); // starts at the body's next suspension
                    p.server().close();
                    assertFalse(ranMeanwhile[0], "close did not suspend (as on epoll)");
                    assertFalse(p.server().isOpen());
                    return null;
                });
                // the loop has waited since: the kernel let go, the fd was closed, the peer sees the FIN
                byte[] sink = new byte[1 << 16];
                java.lang.foreign.MemorySegment seg = java.lang.foreign.Arena.ofAuto().allocate(sink.length);
                long r = 0;
                for (int tries = 0; tries < 100; tries++) {
                    do {
                        r = xiio.unix.sys.SocketSyscalls.get().recv(p.client().fd(), seg, sink.length,
                                xiio.unix.sys.Constants.MSG_DONTWAIT);
                    } while (r > 0);
                    if (r == 0) break;
                    Xiio.sleep(Duration.ofMillis(10));
                }
                assertEquals(0, r, "end of stream: the socket was really closed");
            }
            return null;
        });
    }

    @Test
    void aWriteAllCancelledMidwaySendsAPrefixAndTheNextWriteFollowsIt() throws Exception {
        byte[] data = Payload.of(5, 16 << 20);
        byte[] marker = "MARK".getBytes();
        Xiio.run(Poller.ioUring(), () -> {
            try (TcpPair p = TcpPair.open()) {
                Object r = Timeout.withTimeoutOrNull(Duration.ofMillis(50),
                        () -> { p.client().writeAll(data, 0, data.length); return "done"; });
                assertEquals(null, r, "the peer reads nothing: the writeAll cannot finish in 50 ms");
                TaskGroup.scope(g -> {
                    g.spawn(() -> {
                        p.client().writeAll(marker, 0, marker.length);
                        p.client().shutdownOutput();
                        return null;
                    });
                    byte[] got = new byte[data.length + marker.length];
                    int n = 0;
                    for (int k; (k = p.server().read(got, n, got.length - n)) > 0; ) n += k;
                    int prefix = n - marker.length;
                    assertTrue(prefix > 0 && prefix < data.length, "a prefix of " + prefix + " bytes");
                    Payload.assertPrefix(data, got, prefix, "the cancelled writeAll's bytes");
                    assertEquals("MARK", new String(got, prefix, marker.length), "the next write follows at once");
                    return null;
                });
            }
            return null;
        });
    }

    @Test
    void endOfStreamAndResetArriveThroughTheQueue() throws Exception {
        Xiio.run(Poller.ioUring(), () -> {
            try (TcpPair p = TcpPair.open()) {
                byte[] b = new byte[16];
                p.client().writeAll("abc".getBytes(), 0, 3);
                p.client().shutdownOutput();
                assertEquals("abc", new String(readFully(p.server(), 3)));
                assertEquals(-1, p.server().read(b, 0, b.length));
                assertEquals(-1, p.server().read(b, 0, b.length), "end of stream stays");
            }
            try (TcpPair p = TcpPair.open()) {
                byte[] b = new byte[16];
                assertFalse(Xiio.isReady(p.server().fd(), Interest.READ));
                p.client().writeAll("xy".getBytes(), 0, 2);
                assertEquals("xy", new String(readFully(p.server(), 2)));
                // the client closes with unread data: Linux answers with RST
                p.server().writeAll("unread".getBytes(), 0, 6);
                Xiio.sleep(Duration.ofMillis(20));
                p.client().close();
                IOException e = assertThrows(IOException.class, () -> p.server().read(b, 0, b.length));
                assertTrue(e.getMessage().toLowerCase().contains("reset"), e.getMessage());
            }
            return null;
        });
    }

    @Test
    void aSendThatFailsLaterIsThrownByTheNextWriteAndTryWriteWaitsForTheSendInFlight() throws Exception {
        Xiio.run(Poller.ioUring(), () -> {
            try (TcpPair p = TcpPair.open()) {
                byte[] big = new byte[64 << 10];
                // the client never reads: after the socket buffers fill, a send stays in flight
                int taken = 0;
                for (int i = 0; i < 200 && taken < 32 << 20; i++) {
                    int n = p.server().tryWrite(big, 0, big.length);
                    if (n == 0) break;
                    taken += n;
                    Xiio.sleep(Duration.ofMillis(1));
                }
                assertTrue(taken < 32 << 20, "tryWrite stopped taking while the send was in flight");
                assertEquals(0, p.server().tryWrite(big, 0, 1), "nothing is taken while a send is in flight");
                p.client().reset(); // RST: the send in flight fails
                IOException e = assertThrows(IOException.class, () -> {
                    for (int i = 0; i < 100; i++) {
                        p.server().write(big, 0, 1024);
                        Xiio.sleep(Duration.ofMillis(5));
                    }
                });
                assertTrue(e.getMessage().contains("send") || e.getMessage().toLowerCase().contains("reset")
                        || e.getMessage().toLowerCase().contains("pipe"), e.getMessage());
            }
            return null;
        });
    }

    @Test
    void bytesQueuedWhenARunEndsAreReadByTheNextRun() throws Exception {
        byte[] sent = Payload.of(6, 100_000);
        TcpPair[] pair = new TcpPair[1];
        try {
            Xiio.run(Poller.ioUring(), () -> {
                pair[0] = TcpPair.open();
                pair[0].client().writeAll(sent, 0, sent.length);
                pair[0].client().shutdownOutput();
                byte[] first = readFully(pair[0].server(), 10);
                Xiio.sleep(Duration.ofMillis(50)); // the queue takes more from the socket meanwhile
                Payload.assertPrefix(sent, first, 10, "first run");
                return null;
            });
            byte[] rest = Xiio.run(Poller.ioUring(), () -> {
                byte[] all = new byte[sent.length];
                System.arraycopy(sent, 0, all, 0, 10);
                int n = 10;
                for (int k; (k = pair[0].server().read(all, n, all.length - n)) > 0; ) n += k;
                assertEquals(sent.length, n);
                return all;
            });
            Payload.assertPrefix(sent, rest, sent.length, "both runs");
        } finally {
            if (pair[0] != null) pair[0].close();
        }
    }
}
