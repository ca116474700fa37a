package xiio.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.BindException;
import java.net.ConnectException;
import java.net.SocketException;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import xiio.concurrent.TaskGroup;
import xiio.core.Xiio;

/** Listeners, connections and each fault of a link, on virtual time. */
class MemoryNetworkTest {

    @Test
    void aServerAndAClientTalkOverTheNetwork() throws Exception {
        String reply = VirtualClock.run(() -> {
            MemoryNetwork net = new MemoryNetwork();
            try (MemoryListener listener = net.bind(0)) {
                return TaskGroup.scope(g -> {
                    g.spawn(() -> {
                        try (MemoryStream s = listener.accept()) {
                            byte[] buf = new byte[16];
                            int n = s.read(buf, 0, buf.length);
                            s.writeAll(("echo " + new String(buf, 0, n)).getBytes(), 0, 5 + n);
                        }
                        return null;
                    });
                    try (MemoryStream c = net.connect(listener.port())) {
                        c.writeAll("hi".getBytes(), 0, 2);
                        return new String(readToEnd(c));
                    }
                });
            }
        });
        assertEquals("echo hi", reply);
    }

    @Test
    void latencyDelaysArrivalByExactlyItsVirtualTime() throws Exception {
        long took = VirtualClock.run(() -> {
            MemoryStream[] p = MemoryStream.pair(Link.PERFECT.withLatency(Duration.ofMillis(40)), Link.PERFECT);
            long t0 = Xiio.nanoTime();
            p[0].writeAll(new byte[3], 0, 3);
            assertEquals(3, p[1].read(new byte[8], 0, 8));
            return Xiio.nanoTime() - t0;
        });
        assertEquals(Duration.ofMillis(40).toNanos(), took);
    }

    @Test
    void aSlowReaderTakesSmallBitesAndASmallWindowHoldsTheWriterBack() throws Exception {
        VirtualClock.run(() -> {
            MemoryStream[] p = MemoryStream.pair(Link.PERFECT.withMaxRead(3).withCapacity(10), Link.PERFECT);
            assertEquals(10, p[0].write(new byte[100], 0, 100), "only the window's worth goes in");
            byte[] buf = new byte[100];
            assertEquals(3, p[1].read(buf, 0, 100));
            return null;
        });
    }

    @Test
    void bytesAfterTheDropPointVanishSilently() throws Exception {
        VirtualClock.run(() -> {
            MemoryStream[] p = MemoryStream.pair(Link.PERFECT.withDropAfter(4), Link.PERFECT);
            p[0].writeAll("abcdefgh".getBytes(), 0, 8); // the writer sees success
            p[0].shutdownOutput();
            assertEquals("abcd", new String(readToEnd(p[1])));
            return null;
        });
    }

    @Test
    void resetAfterDeliversWhatCameThenResetsBothSides() throws Exception {
        VirtualClock.run(() -> {
            MemoryStream[] p = MemoryStream.pair(Link.PERFECT.withResetAfter(5), Link.PERFECT);
            assertEquals(5, p[0].write("abcdefgh".getBytes(), 0, 8));
            assertThrows(SocketException.class, () -> p[0].write("x".getBytes(), 0, 1));
            byte[] buf = new byte[8];
            assertEquals(5, p[1].read(buf, 0, 8));
            SocketException e = assertThrows(SocketException.class, () -> p[1].read(buf, 0, 8));
            assertTrue(e.getMessage().contains("reset"), e.getMessage());
            return null;
        });
    }

    @Test
    void aResetFailsAWaitingReaderOfThePeer() throws Exception {
        VirtualClock.run(() -> TaskGroup.scope(g -> {
            MemoryStream[] p = MemoryStream.pair();
            var reader = g.spawn(() -> {
                try {
                    return p[1].read(new byte[8], 0, 8);
                } catch (SocketException expected) {
                    return -2;
                }
            });
            Testing.waitAllTasksBlocked();
            p[0].reset();
            assertEquals(-2, reader.join(), "the waiting read failed with a reset");
            return null;
        }));
    }

    @Test
    void misuseIsRefusedByName() throws Exception {
        VirtualClock.run(() -> {
            MemoryNetwork net = new MemoryNetwork();
            assertThrows(ConnectException.class, () -> net.connect(80));
            try (MemoryListener l = net.bind(80)) {
                BindException e = assertThrows(BindException.class, () -> net.bind(80));
                assertTrue(e.getMessage().contains("80"), e.getMessage());
            }
            net.bind(80).close(); // free again once closed
            assertThrows(IllegalArgumentException.class, () -> net.bind(70000));
            MemoryListener closed = net.bind(81);
            closed.close();
            assertThrows(IOException.class, closed::accept);
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Link.PERFECT.withCapacity(0));
            assertTrue(e.getMessage().contains("capacity"), e.getMessage());
            return null;
        });
    }

    private static byte[] readToEnd(MemoryStream s) throws IOException {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        byte[] buf = new byte[64];
        for (int n; (n = s.read(buf, 0, buf.length)) != -1; ) out.write(buf, 0, n);
        return out.toByteArray();
    }
}
