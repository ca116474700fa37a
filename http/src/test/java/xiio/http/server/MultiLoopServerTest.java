package xiio.http.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import java.io.IOException;
import java.io.InputStream;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import xiio.concurrent.TaskGroup;
import xiio.core.Xiio;
import xiio.net.TcpListener;
import xiio.thread.Futures;
import xiio.thread.LoopGroup;

/**
 * Two loops of a {@link LoopGroup}, each with its own server on its own SO_REUSEPORT
 * listener on one port (the examples' {@code --loops 2}): both serve; one loop's
 * failure, a shutdown of the group, and a graceful shutdown of every server each end
 * both loops cleanly, with a request in flight: listeners closed, the handler's
 * {@code finally} run, no thread or fd left (the leak guard).
 */
class MultiLoopServerTest {
    private final CompletableFuture<Integer> port = new CompletableFuture<>();
    private final CountDownLatch bound = new CountDownLatch(2), slowStarted = new CountDownLatch(1), slowEnded = new CountDownLatch(1);
    private final HttpServer[] servers = new HttpServer[2];

    @BeforeEach
    void twoLoopsNeedTheFastBackendHere() {
        int carriers = Integer.getInteger("jdk.virtualThreadScheduler.parallelism", Runtime.getRuntime().availableProcessors());
        assumeFalse(Xiio.backend().equals("vthread") && carriers <= 2, "LoopGroup refuses 2 loops on the virtual-thread backend with " + carriers + " carriers");
    }

    private Router router(int loop, Duration slow) {
        return new Router()
                .get("/who", r -> Response.text(200, "loop " + loop + "\n"))
                .get("/slow", r -> {
                    slowStarted.countDown();
                    try {
                        Xiio.sleep(slow);
                        return Response.text(200, "slow done\n");
                    } finally {
                        slowEnded.countDown();
                    }
                });
    }

    /** Both loops serving; {@code loop1Extra} runs beside loop 1's server (a failure there fails the loop). */
    private LoopGroup start(Duration slow, CompletableFuture<Void> breakLoop1) throws IOException {
        return LoopGroup.start("http-test", 2, loop -> {
            int p = loop.index() == 0 ? 0 : Futures.await(port); // the first loop picks the port, the second shares it
            TcpListener listener = TcpListener.bind(new InetSocketAddress("127.0.0.1", p), TcpListener.Options.DEFAULT.withReusePort(true));
            port.complete(listener.localAddress().getPort());
            HttpServer server = new HttpServer(router(loop.index(), slow), ServerConfig.DEFAULT.withGracePeriod(Duration.ofSeconds(5)));
            servers[loop.index()] = server;
            bound.countDown();
            if (loop.index() == 1 && breakLoop1 != null) {
                TaskGroup.scope(g -> {
                    g.spawn("server", () -> server.serve(listener));
                    Futures.await(breakLoop1);
                    throw new IllegalStateException("loop 1 broke");
                });
            } else {
                server.serve(listener);
            }
        });
    }

    @Test
    void oneLoopsFailureEndsBothWithTheRequestInFlightCancelled() throws Exception {
        CompletableFuture<Void> breakLoop1 = new CompletableFuture<>();
        LoopGroup group = start(Duration.ofSeconds(30), breakLoop1);
        try {
            assertTrue(bound.await(10, TimeUnit.SECONDS));
            assertEquals(Set.of("loop 0\n", "loop 1\n"), whoAnswers(port.join()), "the kernel spreads connections over both listeners");
            try (Socket inFlight = slowRequest(port.join())) {
                breakLoop1.complete(null);
                group.terminated().get(10, TimeUnit.SECONDS);
                IllegalStateException e = assertThrows(IllegalStateException.class, group::join);
                assertEquals("loop 1 broke", e.getMessage());
                assertTrue(slowEnded.await(5, TimeUnit.SECONDS), "the handler's finally ran");
                assertEquals(-1, readQuietly(inFlight.getInputStream()), "the connection in flight was closed");
            }
            assertThrows(ConnectException.class, () -> new Socket("127.0.0.1", port.join()).close(), "both listeners are closed");
        } finally {
            group.shutdown();
            joinQuietly(group);
        }
    }

    @Test
    void aShutdownOfTheGroupEndsBothLoopsAtOnce() throws Exception {
        LoopGroup group = start(Duration.ofSeconds(30), null);
        try {
            assertTrue(bound.await(10, TimeUnit.SECONDS));
            try (Socket inFlight = slowRequest(port.join())) {
                group.shutdown();
                group.terminated().get(10, TimeUnit.SECONDS);
                group.join(); // a shutdown is no failure
                assertTrue(slowEnded.await(5, TimeUnit.SECONDS), "the handler's finally ran");
                assertEquals(-1, readQuietly(inFlight.getInputStream()));
            }
            assertThrows(ConnectException.class, () -> new Socket("127.0.0.1", port.join()).close());
        } finally {
            group.shutdown();
            joinQuietly(group);
        }
    }

    @Test
    void aGracefulShutdownOfEveryServerLetsTheRequestInFlightFinish() throws Exception {
        LoopGroup group = start(Duration.ofMillis(500), null);
        try {
            assertTrue(bound.await(10, TimeUnit.SECONDS));
            try (Socket inFlight = slowRequest(port.join())) {
                // what Ctrl-C does in the examples' server: each server is shut down on its own loop
                for (int i = 0; i < 2; i++) {
                    HttpServer server = servers[i];
                    group.loop(i).submit(server::shutdown).get(5, TimeUnit.SECONDS);
                }
                String answer = new String(inFlight.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1);
                assertTrue(answer.startsWith("HTTP/1.1 200 OK") && answer.contains("Connection: close") && answer.endsWith("slow done\n"), answer);
                group.terminated().get(10, TimeUnit.SECONDS);
                group.join();
            }
            assertThrows(ConnectException.class, () -> new Socket("127.0.0.1", port.join()).close());
        } finally {
            group.shutdown();
            joinQuietly(group);
        }
    }

    /** What {@code GET /who} answers on 40 new connections. */
    private static Set<String> whoAnswers(int port) throws IOException {
        Set<String> seen = new TreeSet<>();
        for (int i = 0; i < 40; i++) {
            try (RawClient c = new RawClient(port)) {
                seen.add(c.send("GET /who HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n").read().text());
            }
        }
        return seen;
    }

    /** A connection whose {@code GET /slow} is being handled. */
    private Socket slowRequest(int port) throws Exception {
        Socket s = new Socket("127.0.0.1", port);
        s.setSoTimeout(10_000);
        s.getOutputStream().write("GET /slow HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
        assertTrue(slowStarted.await(10, TimeUnit.SECONDS), "the slow handler did not start");
        return s;
    }

    /** The next byte, or -1 at end of stream or a reset (both: the server closed). */
    private static int readQuietly(InputStream in) throws IOException {
        try {
            return in.read();
        } catch (SocketException reset) {
            return -1;
        }
    }

    private static void joinQuietly(LoopGroup group) {
        try {
            group.join();
        } catch (Exception alreadyChecked) {
            // the test looked at the failure it expected
        }
    }
}
