package xiio.tls;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import xiio.concurrent.TaskGroup;
import xiio.core.Xiio;
import xiio.testing.Link;
import xiio.testing.MemoryStream;
import xiio.testing.StreamChecks;
import xiio.testing.VirtualClock;
import xiio.tls.TlsTestSupport.Certs;

/** TLS over the testing package's memory streams, on virtual time: the handshake's delegated tasks run on a real pool meanwhile. */
class TlsOverMemoryTest {
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
    void aHandshakeOverASlowLinkTakesItsRoundTripsInVirtualTime() throws Exception {
        long[] took = new long[1];
        String got = VirtualClock.run(() -> {
            Link slow = Link.PERFECT.withLatency(Duration.ofMillis(50));
            MemoryStream[] p = MemoryStream.pair(slow, slow);
            long t0 = Xiio.nanoTime();
            try (TlsStream server = TlsStream.server(p[0], serverConfig);
                    TlsStream client = TlsStream.client(p[1], "localhost", clientConfig)) {
                return TaskGroup.scope(g -> {
                    g.spawn(() -> {
                        TlsStreamTest.send(server, "over memory");
                        server.shutdownOutput();
                        return null;
                    });
                    String text = TlsStreamTest.readAll(client);
                    took[0] = Xiio.nanoTime() - t0;
                    return text;
                });
            }
        });
        assertEquals("over memory", got);
        assertEquals(0, took[0] % Duration.ofMillis(50).toNanos(), "only whole latencies passed: " + took[0]);
    }

    @Test
    void tlsOverMemoryStreamsPassesTheStreamChecks() throws Exception {
        VirtualClock.run(() -> {
            StreamChecks.checkTwoWayStream(() -> {
                MemoryStream[] p = MemoryStream.pair();
                TlsStream server = TlsStream.server(p[0], serverConfig);
                TlsStream client = TlsStream.client(p[1], "localhost", clientConfig);
                return new StreamChecks.Pair(client, server);
            });
            return null;
        });
    }
}
