package xiio.net;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.BindException;
import java.net.ConnectException;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import xiio.concurrent.TaskGroup;
import xiio.concurrent.Timeout;
import xiio.core.Xiio;
import xiio.unix.Errno;
import xiio.unix.ErrnoException;

class TcpTest {
    static final InetSocketAddress V4 = new InetSocketAddress(InetAddress.ofLiteral("127.0.0.1"), 0);
    static final InetSocketAddress V6 = new InetSocketAddress(InetAddress.ofLiteral("::1"), 0);

    /** Reads until {@code n} bytes or EOF. */
    static byte[] readN(TcpStream s, int n) throws IOException {
        byte[] out = new byte[n];
        int got = 0;
        while (got < n) {
            int r = s.read(out, got, n - got);
            if (r < 0) break;
            got += r;
        }
        return got == n ? out : java.util.Arrays.copyOf(out, got);
    }

    static String echoOnce(InetSocketAddress bindTo, String message) throws Exception {
        return Xiio.run(() -> {
            try (TcpListener listener = TcpListener.bind(bindTo)) {
                InetSocketAddress target = listener.localAddress();
                return TaskGroup.scope(g -> {
                    g.spawn("server", () -> {
                        try (TcpStream conn = listener.accept()) {
                            byte[] buf = new byte[64];
                            for (int n; (n = conn.read(buf, 0, buf.length)) > 0; ) conn.writeAll(buf, 0, n);
                        }
                        return null;
                    });
                    try (TcpStream client = TcpStream.connect(target)) {
                        byte[] msg = message.getBytes(StandardCharsets.UTF_8);
                        client.writeAll(msg, 0, msg.length);
                        client.shutdownOutput();
                        return new String(readN(client, 1 << 16), StandardCharsets.UTF_8);
                    }
                });
            }
        });
    }

    @Test
    void echoesOverIpv4() throws Exception {
        assertEquals("hello v4", echoOnce(V4, "hello v4"));
    }

    @Test
    void echoesOverIpv6() throws Exception {
        assertEquals("hello v6", echoOnce(V6, "hello v6"));
    }

    @Test
    void aDualStackListenerAcceptsIpv4AndIpv6Clients() throws Exception {
        List<InetSocketAddress> peers = Xiio.run(() -> {
            try (TcpListener listener = TcpListener.bind(0)) {
                int port = listener.localAddress().getPort();
                assertInstanceOf(Inet6Address.class, listener.localAddress().getAddress());
                try (TcpStream a = TcpStream.connect("127.0.0.1", port);
                        TcpStream b = TcpStream.connect("::1", port);
                        TcpStream sa = listener.accept();
                        TcpStream sb = listener.accept()) {
                    assertEquals(port, a.remoteAddress().getPort());
                    return List.of(sa.remoteAddress(), sb.remoteAddress(), a.localAddress(), b.localAddress());
                }
            }
        });
        // the IPv4 client shows as plain IPv4, not ::ffff:127.0.0.1
        assertInstanceOf(Inet4Address.class, peers.get(0).getAddress());
        assertEquals(peers.get(2), peers.get(0));
        assertInstanceOf(Inet6Address.class, peers.get(1).getAddress());
        assertEquals(peers.get(3), peers.get(1));
    }

    @Test
    void anIpv6OnlyListenerRefusesIpv4() throws Exception {
        IOException e = assertThrows(IOException.class, () -> Xiio.run(() -> {
            try (TcpListener listener = TcpListener.bind(new InetSocketAddress(InetAddress.ofLiteral("::"), 0),
                    TcpListener.Options.DEFAULT.withIpv6Only(true))) {
                try (TcpStream s = TcpStream.connect("127.0.0.1", listener.localAddress().getPort())) {
                    return s;
                }
            }
        }));
        assertInstanceOf(ConnectException.class, e);
    }

    @Test
    void connectingToAClosedPortNamesTheAddress() throws Exception {
        int port = Xiio.run(() -> {
            try (TcpListener l = TcpListener.bind(V4)) {
                return l.localAddress().getPort();
            }
        });
        ConnectException e = assertThrows(ConnectException.class,
                () -> Xiio.run(() -> TcpStream.connect(new InetSocketAddress(InetAddress.ofLiteral("127.0.0.1"), port))));
        assertTrue(e.getMessage().contains("connect to 127.0.0.1:" + port), e.getMessage());
        assertTrue(e.getMessage().contains("ECONNREFUSED"), e.getMessage());
        assertEquals(Errno.ECONNREFUSED, ((ErrnoException) e.getCause()).errno());
    }

    @Test
    void connectByNameTriesEveryAddressAndReportsThemAll() throws Exception {
        int port = Xiio.run(() -> {
            try (TcpListener l = TcpListener.bind(V4)) {
                return l.localAddress().getPort();
            }
        });
        ConnectException e = assertThrows(ConnectException.class, () -> Xiio.run(() -> TcpStream.connect(
                List.of(new InetSocketAddress(InetAddress.ofLiteral("127.0.0.1"), port),
                        new InetSocketAddress(InetAddress.ofLiteral("::1"), port)),
                Duration.ofMillis(250))));
        assertTrue(e.getMessage().contains("failed for all 2 addresses"), e.getMessage());
        assertEquals(2, e.getSuppressed().length);
    }

    @Test
    void happyEyeballsFallsBackToTheAddressThatAnswers() throws Exception {
        String got = Xiio.run(() -> {
            try (TcpListener l = TcpListener.bind(V6)) {
                int port = l.localAddress().getPort();
                int closedPort;
                try (TcpListener other = TcpListener.bind(V4)) {
                    closedPort = other.localAddress().getPort();
                }
                try (TcpStream s = TcpStream.connect(List.of(
                        new InetSocketAddress(InetAddress.ofLiteral("127.0.0.1"), closedPort),
                        new InetSocketAddress(InetAddress.ofLiteral("::1"), port)), Duration.ofSeconds(10));
                        TcpStream peer = l.accept()) {
                    return s.remoteAddress().getAddress().getHostAddress();
                }
            }
        });
        assertEquals("0:0:0:0:0:0:0:1", got);
    }

    @Test
    void bindingAnAddressInUseNamesIt() throws Exception {
        BindException e = assertThrows(BindException.class, () -> Xiio.run(() -> {
            try (TcpListener first = TcpListener.bind(V4)) {
                try (TcpListener second = TcpListener.bind(first.localAddress())) {
                    return second;
                }
            }
        }));
        assertTrue(e.getMessage().contains("bind to 127.0.0.1:"), e.getMessage());
        assertTrue(e.getMessage().contains("EADDRINUSE"), e.getMessage());
    }

    @Test
    void reusePortLetsTwoListenersShareAPort() throws Exception {
        int shared = Xiio.run(() -> {
            TcpListener.Options opts = TcpListener.Options.DEFAULT.withReusePort(true);
            try (TcpListener a = TcpListener.bind(V4, opts);
                    TcpListener b = TcpListener.bind(a.localAddress(), opts)) {
                return b.localAddress().getPort() == a.localAddress().getPort() ? 1 : 0;
            }
        });
        assertEquals(1, shared);
    }

    @Test
    void optionsCanBeSetAndRead() throws Exception {
        List<Boolean> got = Xiio.run(() -> {
            try (TcpListener l = TcpListener.bind(V4);
                    TcpStream c = TcpStream.connect(l.localAddress());
                    TcpStream s = l.accept()) {
                boolean before = c.noDelay();
                c.setNoDelay(true);
                c.setKeepAlive(Duration.ofSeconds(30), Duration.ofSeconds(5), 3);
                return List.of(before, c.noDelay(), c.keepAlive());
            }
        });
        assertEquals(List.of(false, true, true), got);
    }

    @Test
    void halfCloseLetsThePeerReadEndOfStreamAndStillReply() throws Exception {
        String got = Xiio.run(() -> {
            try (TcpListener l = TcpListener.bind(V4);
                    TcpStream c = TcpStream.connect(l.localAddress());
                    TcpStream s = l.accept()) {
                c.writeAll("question".getBytes(), 0, 8);
                c.shutdownOutput();
                byte[] q = readN(s, 100);
                assertEquals("question", new String(q));
                s.writeAll("answer".getBytes(), 0, 6);
                s.close();
                assertThrows(IOException.class, () -> c.write(new byte[1], 0, 1), "write after shutdownOutput");
                return new String(readN(c, 100));
            }
        });
        assertEquals("answer", got);
    }

    @Test
    void aResetPeerIsAClearExceptionNotAHang() throws Exception {
        SocketException e = assertThrows(SocketException.class, () -> Xiio.run(() -> {
            try (TcpListener l = TcpListener.bind(V4);
                    TcpStream c = TcpStream.connect(l.localAddress())) {
                TcpStream s = l.accept();
                s.reset();
                byte[] chunk = new byte[65536];
                return Timeout.withTimeout(Duration.ofSeconds(10), () -> {
                    while (true) c.writeAll(chunk, 0, chunk.length); // fails with EPIPE or ECONNRESET
                });
            }
        }));
        int errno = ((ErrnoException) e.getCause()).errno();
        assertTrue(errno == Errno.ECONNRESET || errno == Errno.EPIPE, e.getMessage());
        assertTrue(e.getMessage().contains("127.0.0.1:"), e.getMessage());
    }

    @Test
    void readingFromAResetConnectionFailsClearly() throws Exception {
        SocketException e = assertThrows(SocketException.class, () -> Xiio.run(() -> {
            try (TcpListener l = TcpListener.bind(V4);
                    TcpStream c = TcpStream.connect(l.localAddress())) {
                try (TcpStream s = l.accept()) {
                    c.writeAll(new byte[10], 0, 10); // unread data in s makes close send RST
                    Xiio.sleep(Duration.ofMillis(20));
                }
                return c.read(new byte[10], 0, 10);
            }
        }));
        assertTrue(e.getMessage().contains("recv from 127.0.0.1:"), e.getMessage());
        assertTrue(e.getMessage().contains("ECONNRESET"), e.getMessage());
    }

    @Test
    void closingAListenerFailsAPendingAccept() throws Exception {
        IOException e = assertThrows(IOException.class, () -> Xiio.run(() -> {
            TcpListener l = TcpListener.bind(V4);
            return TaskGroup.scope(g -> {
                g.spawn(() -> {
                    Xiio.sleep(Duration.ofMillis(10));
                    l.close();
                    return null;
                });
                return l.accept();
            });
        }));
        assertTrue(e.getMessage().contains("closed"), e.getMessage());
    }

    @Test
    void aCancelledAcceptLeavesTheConnectionQueued() throws Exception {
        byte[] got = Xiio.run(() -> {
            try (TcpListener l = TcpListener.bind(V4)) {
                assertEquals(null, Timeout.withTimeoutOrNull(Duration.ofMillis(10), l::accept));
                try (TcpStream c = TcpStream.connect(l.localAddress())) {
                    c.writeAll(new byte[] {7}, 0, 1);
                    try (TcpStream s = l.accept()) {
                        return readN(s, 1);
                    }
                }
            }
        });
        assertArrayEquals(new byte[] {7}, got);
    }

    @Test
    void aClosedStreamRefusesIoClearly() throws Exception {
        IOException e = assertThrows(IOException.class, () -> Xiio.run(() -> {
            try (TcpListener l = TcpListener.bind(V4)) {
                TcpStream c = TcpStream.connect(l.localAddress());
                l.accept().close();
                c.close();
                c.close(); // idempotent
                assertFalse(c.isOpen());
                return c.read(new byte[1], 0, 1);
            }
        }));
        assertTrue(e.getMessage().contains("it is closed"), e.getMessage());
    }

    @Test
    void unresolvedAndOutOfRangeArgumentsAreRejected() throws Exception {
        assertThrows(IllegalArgumentException.class, () -> Xiio.run(() -> TcpStream.connect("localhost", 70000)));
        assertThrows(IllegalArgumentException.class,
                () -> Xiio.run(() -> TcpListener.bind(InetSocketAddress.createUnresolved("nowhere", 1))));
    }

    /**
     * A listener with backlog 1 that never accepts: Linux completes backlog + 1
     * handshakes, then drops further SYNs, so the next connect hangs in SYN retries.
     */
    static List<TcpStream> fillBacklog(TcpListener l) throws IOException {
        List<TcpStream> fillers = new java.util.ArrayList<>();
        for (int i = 0; i < 2; i++) fillers.add(TcpStream.connect(l.localAddress()));
        return fillers;
    }

    @Test
    void aConnectIsLimitedByTheSurroundingTimeoutAndClosesItsSocket() throws Exception {
        Object got = Xiio.run(() -> {
            try (TcpListener l = TcpListener.bind(V4, TcpListener.Options.DEFAULT.withBacklog(1))) {
                List<TcpStream> fillers = fillBacklog(l);
                try {
                    return Timeout.withTimeoutOrNull(Duration.ofMillis(200), () -> TcpStream.connect(l.localAddress()));
                } finally {
                    for (TcpStream f : fillers) f.close();
                }
            }
        });
        assertEquals(null, got); // and LeakGuard checks the pending socket was closed
    }

    @Test
    void aCancelledHappyEyeballsRaceClosesEveryAttempt() throws Exception {
        Object got = Xiio.run(() -> {
            try (TcpListener l = TcpListener.bind(new InetSocketAddress(InetAddress.ofLiteral("::"), 0),
                    TcpListener.Options.DEFAULT.withBacklog(1))) {
                int port = l.localAddress().getPort();
                List<TcpStream> fillers = fillBacklog(l);
                try {
                    return Timeout.withTimeoutOrNull(Duration.ofMillis(200), () -> TcpStream.connect(List.of(
                            new InetSocketAddress(InetAddress.ofLiteral("127.0.0.1"), port),
                            new InetSocketAddress(InetAddress.ofLiteral("::1"), port)), Duration.ofMillis(20)));
                } finally {
                    for (TcpStream f : fillers) f.close();
                }
            }
        });
        assertEquals(null, got);
    }

    @Test
    void theWinningAttemptCancelsAndClosesTheOneStillPending() throws Exception {
        String got = Xiio.run(() -> {
            try (TcpListener stuck = TcpListener.bind(V4, TcpListener.Options.DEFAULT.withBacklog(1));
                    TcpListener live = TcpListener.bind(V6)) {
                List<TcpStream> fillers = fillBacklog(stuck);
                try (TcpStream s = Timeout.withTimeout(Duration.ofSeconds(10), () -> TcpStream.connect(List.of(
                        stuck.localAddress(), live.localAddress()), Duration.ofMillis(20)));
                        TcpStream peer = live.accept()) {
                    return SockAddr.format(s.remoteAddress());
                } finally {
                    for (TcpStream f : fillers) f.close();
                }
            }
        });
        // the attempt to the stuck listener was cancelled and its socket closed (LeakGuard)
        assertTrue(got.startsWith("[0:0:0:0:0:0:0:1]:"), got);
    }
}
