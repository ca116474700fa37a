package xiio.net;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.PortUnreachableException;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import xiio.concurrent.Timeout;
import xiio.core.Xiio;

class UdpTest {

    @Test
    void roundTripWithAddresses() throws Exception {
        List<Object> got = Xiio.run(() -> {
            try (UdpSocket server = UdpSocket.bind(TcpTest.V4); UdpSocket client = UdpSocket.bind(TcpTest.V4)) {
                client.send("ping".getBytes(), 0, 4, server.localAddress());
                byte[] buf = new byte[100];
                UdpSocket.Received r = server.receiveFrom(buf, 0, buf.length);
                server.send("pong".getBytes(), 0, 4, r.sender());
                UdpSocket.Received back = client.receiveFrom(buf, 0, buf.length);
                return List.of(r.sender(), client.localAddress(), new String(buf, 0, back.length()), back.sender(), server.localAddress());
            }
        });
        assertEquals(got.get(1), got.get(0));
        assertEquals("pong", got.get(2));
        assertEquals(got.get(4), got.get(3));
    }

    @Test
    void connectedSocketsAndTruncation() throws Exception {
        List<Object> got = Xiio.run(() -> {
            try (UdpSocket a = UdpSocket.bind(TcpTest.V6); UdpSocket b = UdpSocket.bind(TcpTest.V6)) {
                a.connect(b.localAddress());
                b.connect(a.localAddress());
                a.send("0123456789".getBytes(), 0, 10);
                byte[] small = new byte[4];
                UdpSocket.Received r = b.receiveFrom(small, 0, small.length);
                b.send("ok".getBytes(), 0, 2);
                byte[] buf = new byte[10];
                int n = a.receive(buf, 0, buf.length);
                return List.of(r.length(), r.truncated(), new String(small), new String(buf, 0, n), a.remoteAddress().equals(b.localAddress()));
            }
        });
        assertEquals(List.of(4, true, "0123", "ok", true), got);
    }

    @Test
    void aDualStackSocketTalksToIpv4() throws Exception {
        InetSocketAddress sender = Xiio.run(() -> {
            try (UdpSocket server = UdpSocket.bind(new InetSocketAddress(InetAddress.ofLiteral("::"), 0));
                    UdpSocket client = UdpSocket.bind(TcpTest.V4)) {
                client.send(new byte[] {1}, 0, 1, new InetSocketAddress(InetAddress.ofLiteral("127.0.0.1"), server.localAddress().getPort()));
                UdpSocket.Received r = server.receiveFrom(new byte[8], 0, 8);
                server.send(new byte[] {2}, 0, 1, r.sender()); // IPv4 destination on an IPv6 socket: mapped
                client.receive(new byte[8], 0, 8);
                return r.sender();
            }
        });
        assertInstanceOf(Inet4Address.class, sender.getAddress());
    }

    @Test
    void aConnectedSocketLearnsThatNobodyListens() throws Exception {
        PortUnreachableException e = assertThrows(PortUnreachableException.class, () -> Xiio.run(() -> {
            int closedPort;
            try (UdpSocket gone = UdpSocket.bind(TcpTest.V4)) {
                closedPort = gone.localAddress().getPort();
            }
            try (UdpSocket s = UdpSocket.bind(TcpTest.V4)) {
                s.connect(new InetSocketAddress(InetAddress.ofLiteral("127.0.0.1"), closedPort));
                s.send(new byte[] {1}, 0, 1);
                return Timeout.withTimeout(Duration.ofSeconds(10), () -> s.receive(new byte[8], 0, 8));
            }
        }));
        assertTrue(e.getMessage().contains("127.0.0.1:"), e.getMessage());
    }

    @Test
    void aReceiveCanBeCancelled() throws Exception {
        Object got = Xiio.run(() -> {
            try (UdpSocket s = UdpSocket.bind(TcpTest.V4)) {
                return Timeout.withTimeoutOrNull(Duration.ofMillis(10), () -> s.receive(new byte[8], 0, 8));
            }
        });
        assertEquals(null, got);
    }
}
