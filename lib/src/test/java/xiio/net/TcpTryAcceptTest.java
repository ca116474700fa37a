package xiio.net;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import xiio.concurrent.TaskGroup;
import xiio.core.Xiio;

/** {@link TcpListener#tryAccept()}: the connections already queued, taken without suspending. */
class TcpTryAcceptTest {
    @Test
    void withNothingQueuedItReturnsNullWithoutSuspending() throws Exception {
        boolean[] sibling = {false};
        TcpStream got = Xiio.run(() -> {
            try (TcpListener listener = TcpListener.bind(TcpTest.V4)) {
                return TaskGroup.scope(g -> {
                    g.spawn("sibling", () -> sibling[0] = true); // runs only once the body suspends
                    TcpStream s = listener.tryAccept();
                    assertFalse(sibling[0], "tryAccept suspended");
                    return s;
                });
            }
        });
        assertNull(got);
        assertTrue(sibling[0]);
    }

    @Test
    void itTakesEveryQueuedConnectionThenReturnsNull() throws Exception {
        int n = 5;
        Xiio.run(() -> {
            try (TcpListener listener = TcpListener.bind(TcpTest.V4)) {
                List<TcpStream> clients = new ArrayList<>();
                List<TcpStream> accepted = new ArrayList<>();
                try {
                    // connect() returns once the kernel finished the handshake: the
                    // connection then waits in the listener's queue, accepted or not
                    for (int i = 0; i < n; i++) clients.add(TcpStream.connect(listener.localAddress()));
                    for (int i = 0; i < n; i++) {
                        clients.get(i).writeAll(new byte[] {(byte) i}, 0, 1);
                    }
                    for (TcpStream s; accepted.size() < n && (s = tryAcceptSoon(listener)) != null; ) accepted.add(s);
                    assertEquals(n, accepted.size(), "one per queued connection");
                    assertNull(listener.tryAccept(), "none left");
                    Set<Integer> clientPorts = new HashSet<>(), peerPorts = new HashSet<>(), firstBytes = new HashSet<>();
                    for (TcpStream c : clients) clientPorts.add(c.localAddress().getPort());
                    for (TcpStream a : accepted) {
                        peerPorts.add(a.remoteAddress().getPort());
                        byte[] one = new byte[1];
                        assertEquals(1, a.read(one, 0, 1)); // a working stream, with its own client's byte
                        firstBytes.add((int) one[0]);
                    }
                    assertEquals(clientPorts, peerPorts, "each accepted stream knows its peer");
                    assertEquals(Set.of(0, 1, 2, 3, 4), firstBytes);
                } finally {
                    for (TcpStream s : clients) s.close();
                    for (TcpStream s : accepted) s.close();
                }
            }
            return null;
        });
    }

    @Test
    void onAClosedListenerItFailsSayingSo() throws Exception {
        IOException e = assertThrows(IOException.class, () -> Xiio.run(() -> {
            TcpListener listener = TcpListener.bind(TcpTest.V4);
            listener.close();
            return listener.tryAccept();
        }));
        assertTrue(e.getMessage().contains("the listener is closed"), e.getMessage());
    }

    /**
     * tryAccept, once the kernel has queued the connection: on loopback the handshake is
     * done when connect returns, but wait for readability first all the same (at most
     * a second), so a slow machine cannot fail the count.
     */
    private static TcpStream tryAcceptSoon(TcpListener listener) throws Exception {
        TcpStream s = listener.tryAccept();
        if (s != null) return s;
        Boolean ready = xiio.concurrent.Timeout.withTimeoutOrNull(java.time.Duration.ofSeconds(1), () -> {
            Xiio.await(xiio.core.Condition.readable(listener.fd()));
            return true;
        });
        return ready == null ? null : listener.tryAccept();
    }
}
