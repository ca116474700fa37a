package xiio.http.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.ConnectException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import xiio.concurrent.Task;
import xiio.concurrent.TaskGroup;
import xiio.concurrent.Timeout;
import xiio.core.Xiio;
import xiio.http.server.HttpServer;
import xiio.http.server.Response;
import xiio.http.server.ServerConfig;
import xiio.net.TcpListener;

/**
 * The client connects through the net layer's happy eyeballs: {@code localhost}
 * resolving to {@code ::1} first and {@code 127.0.0.1} second, with the server on
 * 127.0.0.1 only, is answered at once (the refused first address costs no attempt
 * delay), and a host none of whose addresses answers fails with a
 * {@link ConnectException} naming the host and every address tried. This machine's
 * {@code localhost} has only 127.0.0.1 ({@code getent ahosts localhost}), so the
 * order is the test's own resolver's.
 */
class HappyEyeballsClientTest {
    private static final InetAddress V6 = InetAddress.ofLiteral("::1"), V4 = InetAddress.ofLiteral("127.0.0.1");

    /** Resolves every host to ::1, then 127.0.0.1, and records what it was asked. */
    private static final class SixThenFour implements Resolver {
        final List<String> asked = new CopyOnWriteArrayList<>();

        @Override
        public List<InetAddress> resolve(String host) {
            asked.add(host);
            return List.of(V6, V4);
        }
    }

    @Test
    void aRefusedFirstAddressFallsThroughToTheSecondAtOnce() throws Exception {
        SixThenFour resolver = new SixThenFour();
        Xiio.run(() -> TaskGroup.scope(group -> {
            try (TcpListener listener = TcpListener.bind(new InetSocketAddress(V4, 0))) {
                int port = listener.localAddress().getPort();
                HttpServer server = new HttpServer(r -> Response.text(200, "hello from " + r.peer().getAddress().getHostAddress() + "\n"),
                        ServerConfig.DEFAULT);
                Task<Integer> serving = group.spawn("server", () -> server.serve(listener));
                try (HttpClient client = HttpClient.builder().resolver(resolver).idleTimeout(Duration.ZERO).build()) {
                    String url = "http://localhost:" + port + "/";
                    client.get(url); // warms up the code paths, so the timing below is the connect's
                    long start = System.nanoTime();
                    ClientResponse r = Timeout.withTimeout(Duration.ofSeconds(10), () -> client.get(url));
                    long ms = (System.nanoTime() - start) / 1_000_000;
                    assertEquals(200, r.status());
                    assertEquals("hello from 127.0.0.1\n", r.body().text());
                    // the attempt delay is 250 ms; a refused ::1 must not wait for it (the bound is generous for a loaded machine)
                    assertTrue(ms < 1000, "took " + ms + " ms");
                    assertEquals(List.of("localhost", "localhost"), resolver.asked, "one lookup per new connection, of the URI's host");
                } finally {
                    server.shutdown();
                    serving.join();
                }
            }
            return null;
        }));
    }

    @Test
    void whenEveryAddressRefusesTheErrorNamesTheHostAndEachAddress() throws Exception {
        int port;
        try (java.net.ServerSocket closedSoon = new java.net.ServerSocket(0, 1, V4)) {
            port = closedSoon.getLocalPort(); // free again once closed: nothing listens there
        }
        ConnectException e = Xiio.run(() -> {
            try (HttpClient client = HttpClient.builder().resolver(new SixThenFour()).build()) {
                return assertThrows(ConnectException.class,
                        () -> Timeout.withTimeout(Duration.ofSeconds(10), () -> client.get("http://localhost:" + port + "/")));
            }
        });
        String m = e.getMessage();
        assertTrue(m.startsWith("connect to localhost:" + port + " failed for all 2 addresses:"), m);
        assertTrue(m.contains("[0:0:0:0:0:0:0:1]:" + port), m);
        assertTrue(m.contains("127.0.0.1:" + port), m);
        assertEquals(2, e.getSuppressed().length, "each attempt's own failure is kept");
    }

    @Test
    void anIpLiteralIsConnectedToWithoutAskingTheResolver() throws Exception {
        Xiio.run(() -> TaskGroup.scope(group -> {
            try (TcpListener listener = TcpListener.bind(new InetSocketAddress(V4, 0))) {
                HttpServer server = new HttpServer(r -> Response.text(200, "ok\n"), ServerConfig.DEFAULT);
                Task<Integer> serving = group.spawn("server", () -> server.serve(listener));
                Resolver refusing = host -> {
                    throw new AssertionError("asked to resolve " + host);
                };
                try (HttpClient client = HttpClient.builder().resolver(refusing).build()) {
                    assertEquals("ok\n", client.get("http://127.0.0.1:" + listener.localAddress().getPort() + "/").body().text());
                } finally {
                    server.shutdown();
                    serving.join();
                }
            }
            return null;
        }));
    }

    @Test
    void aResolverThatFindsNothingIsAnUnknownHostNamingIt() throws Exception {
        UnknownHostException e = Xiio.run(() -> {
            try (HttpClient client = HttpClient.builder().resolver(host -> List.of()).build()) {
                return assertThrows(UnknownHostException.class, () -> client.get("http://nowhere.test:80/"));
            }
        });
        assertEquals("the resolver found no address for nowhere.test", e.getMessage());
    }
}
