package xiio.net;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;
import xiio.concurrent.TaskGroup;
import xiio.concurrent.Timeout;
import xiio.core.Xiio;
import xiio.thread.ThreadPool;

class DnsTest {

    @Test
    void localhostResolvesToALoopbackAddress() throws Exception {
        List<InetAddress> addresses = Xiio.run(() -> Dns.resolve("localhost"));
        assertFalse(addresses.isEmpty());
        for (InetAddress a : addresses) assertTrue(a.isLoopbackAddress(), a.toString());
    }

    @Test
    void literalsNeedNoThread() throws Exception {
        try (ThreadPool closed = new ThreadPool("closed", 1)) {
            closed.close(); // a lookup on it would be rejected
            List<InetAddress> got = Xiio.run(() -> List.of(Dns.resolve("10.1.2.3", closed).getFirst(), Dns.resolve("[::1]", closed).getFirst()));
            assertEquals(List.of(InetAddress.ofLiteral("10.1.2.3"), InetAddress.ofLiteral("::1")), got);
        }
    }

    @Test
    void anUnknownHostNamesTheHost() {
        UnknownHostException e = assertThrows(UnknownHostException.class, () -> Xiio.run(() -> Dns.resolve("no-such-host.invalid")));
        assertTrue(e.getMessage().contains("no-such-host.invalid"), e.getMessage());
    }

    @Test
    void aCancelledLookupLeaksNeitherThreadNorFd() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        try (ThreadPool pool = new ThreadPool("dns-test", 1)) {
            Object got = Xiio.run(() -> TaskGroup.scope(g -> {
                // occupy the only worker so the lookup is still queued, then cancel it
                g.spawn(() -> pool.call(() -> {
                    release.await();
                    return null;
                }));
                Xiio.yieldNow(); // the blocker submits its job first: the lookup queues behind it
                Object r = Timeout.withTimeoutOrNull(Duration.ofMillis(20), () -> Dns.resolve("localhost", pool));
                release.countDown();
                return r;
            }));
            assertNull(got);
            pool.close();
            assertTrue(pool.awaitTermination(10_000), "the worker finished the abandoned lookup and stopped");
        }
        // LeakGuard checks that the lookup's eventfd was closed
    }

    @Test
    void connectByHostName() throws Exception {
        String got = Xiio.run(() -> {
            try (TcpListener l = TcpListener.bind(0); TcpStream c = TcpStream.connect("localhost", l.localAddress().getPort());
                    TcpStream s = l.accept()) {
                return c.remoteAddress().getAddress().isLoopbackAddress() ? "loopback" : c.remoteAddress().toString();
            }
        });
        assertEquals("loopback", got);
    }
}
