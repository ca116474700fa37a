package xiio.tls;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.net.InetAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import xiio.concurrent.Task;
import xiio.concurrent.TaskGroup;
import xiio.concurrent.Timeout;
import xiio.core.Suspendable;
import xiio.core.Xiio;
import xiio.net.Dns;
import xiio.thread.ThreadPool;
import xiio.tls.TlsTestSupport.Certs;
import xiio.tls.TlsTestSupport.PipeStream;

/**
 * DNS lookups, TLS delegated tasks and {@link ThreadPool#runInThread} run on pools of
 * their own: a hung resolver (which cannot be interrupted) stalls neither TLS
 * handshakes nor blocking calls, and a common pool full of hung calls stalls neither
 * handshakes nor lookups. Each side is hung with as many calls as the common pool has
 * workers, the most the pools ever shared.
 */
class PoolIsolationTest {
    private static final Duration LIMIT = Duration.ofSeconds(10);
    private static final AtomicInteger NAMES = new AtomicInteger();

    @TempDir
    static Path dir;
    static TlsConfig serverConfig, clientConfig;

    @BeforeAll
    static void makeCertificates() throws Exception {
        Certs certs = Certs.create(dir);
        serverConfig = TlsConfig.of(certs.server());
        clientConfig = TlsConfig.of(certs.client());
    }

    @Test
    void hungLookupsStallNeitherTlsNorRunInThread() throws Exception {
        int hung = ThreadPool.common().maxWorkers();
        try (HangingResolver.Hold resolver = HangingResolver.hold()) {
            List<List<InetAddress>> found = Xiio.run(() -> TaskGroup.scope(g -> {
                List<Task<List<InetAddress>>> lookups = new ArrayList<>();
                for (int i = 0; i < hung; i++) {
                    String name = "lookup-" + NAMES.incrementAndGet() + HangingResolver.HANGING_SUFFIX;
                    lookups.add(g.spawn(name, () -> Dns.resolve(name)));
                }
                Xiio.yieldNow(); // every lookup has been handed to a worker (or queued for one)
                awaitBlocked(resolver);

                within("a TLS handshake, while " + hung + " lookups hang,", PoolIsolationTest::handshake);
                String ran = within("runInThread, while " + hung + " lookups hang,",
                        () -> ThreadPool.runInThread(() -> "ran"));
                assertEquals("ran", ran);

                resolver.close(); // the lookups finish
                List<List<InetAddress>> results = new ArrayList<>();
                for (Task<List<InetAddress>> t : lookups) results.add(t.join());
                return results;
            }));
            assertEquals(hung, found.size());
            for (List<InetAddress> f : found) assertEquals(List.of(InetAddress.ofLiteral("127.0.0.1")), f);
        }
    }

    @Test
    void hungBlockingCallsStallNeitherTlsNorDns() throws Exception {
        int hung = ThreadPool.common().maxWorkers();
        CountDownLatch release = new CountDownLatch(1);
        AtomicInteger running = new AtomicInteger();
        try {
            Xiio.run(() -> TaskGroup.scope(g -> {
                for (int i = 0; i < hung; i++) {
                    g.spawn("blocking call", () -> ThreadPool.runInThread(() -> {
                        running.incrementAndGet();
                        release.await();
                        return null;
                    }));
                }
                Xiio.yieldNow();
                while (running.get() < hung) Xiio.sleep(Duration.ofMillis(1));

                within("a TLS handshake, while " + hung + " blocking calls hang,", PoolIsolationTest::handshake);
                String name = "free-" + NAMES.incrementAndGet() + HangingResolver.HANGING_SUFFIX; // not held: resolves at once
                List<InetAddress> found = within("a DNS lookup, while " + hung + " blocking calls hang,", () -> Dns.resolve(name));
                assertEquals(List.of(InetAddress.ofLiteral("127.0.0.1")), found);

                release.countDown();
                return null;
            }));
        } finally {
            release.countDown();
        }
    }

    /** Waits until the resolver holds a lookup: the test resolver is the one in use. */
    private static void awaitBlocked(HangingResolver.Hold resolver) {
        long deadline = System.nanoTime() + LIMIT.toNanos();
        while (resolver.blocked() == 0) {
            if (System.nanoTime() > deadline) fail("no lookup reached the test resolver: is HangingResolver installed?");
            Xiio.sleep(Duration.ofMillis(1));
        }
    }

    /** {@code body} within {@link #LIMIT}, or a failure that says what stalled. */
    private static <T> T within(String what, Suspendable<T> body) throws Exception {
        try {
            return Timeout.withTimeout(LIMIT, body);
        } catch (TimeoutException e) {
            throw new AssertionError(what + " did not complete within " + LIMIT.toSeconds() + " s", e);
        }
    }

    /** A full TLS handshake over a pipe pair: three delegated tasks or so on each side. */
    private static Void handshake() throws Exception {
        PipeStream[] pipes = TlsTestSupport.pipePair();
        try (TlsStream s = TlsStream.server(pipes[0], serverConfig);
                TlsStream c = TlsStream.client(pipes[1], "localhost", clientConfig)) {
            TaskGroup.scope(g -> {
                g.spawn("server", () -> {
                    s.handshake();
                    return null;
                });
                c.handshake();
                return null;
            });
            assertTrue(c.toString() != null);
        }
        return null;
    }
}
