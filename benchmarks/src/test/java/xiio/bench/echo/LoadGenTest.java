package xiio.bench.echo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import xiio.bench.BenchDir;
import xiio.bench.CpuPinning;

/**
 * The load generator's checks are real: against a server that changes one byte, or one
 * that drops idle connections, the window counts errors and the result is not ok; a
 * faithful server gives none. Servers here are plain sockets in this JVM.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class LoadGenTest {
    private final LoadGen loadGen;

    LoadGenTest() throws Exception {
        loadGen = new LoadGen(NativeTools.build(BenchDir.locate(), "loadgen"), new CpuPinning(false, "unpinned in tests"));
    }

    @Test
    void aFaithfulServerGivesRoundTripsAndNoError() throws Exception {
        try (TestServer server = new TestServer(Behaviour.ECHO)) {
            LoadResult r = loadGen.run(server.port(), ProcessHandle.current().pid(), Scenario.parse("c2i3-1k"), 0.1, 0.3);
            assertNull(r.failure(), r.toString());
            assertEquals(0, r.errors(), r.toString());
            assertTrue(r.rtPerSec() > 0 && r.serverCpuSec() >= 0, r.toString());
        }
    }

    @Test
    void aChangedByteIsAnError() throws Exception {
        try (TestServer server = new TestServer(Behaviour.FLIP_A_BYTE)) {
            LoadResult r = loadGen.run(server.port(), ProcessHandle.current().pid(), Scenario.parse("c2-64"), 0, 0.2);
            assertEquals(2, r.errors(), r.toString());
            assertFalse(r.ok());
            assertTrue(r.failure().contains("echoed bytes differ"), r.failure());
        }
    }

    @Test
    void anIdleConnectionDroppedByTheServerIsAnError() throws Exception {
        try (TestServer server = new TestServer(Behaviour.DROP_IDLE)) {
            LoadResult r = loadGen.run(server.port(), ProcessHandle.current().pid(), Scenario.parse("c1i3-64"), 0, 0.2);
            assertEquals(3, r.errors(), r.toString());
            assertFalse(r.ok());
        }
    }

    private enum Behaviour { ECHO, FLIP_A_BYTE, DROP_IDLE }

    /** An echo server on a thread per connection, faithful or not. */
    private static final class TestServer implements AutoCloseable {
        private final ServerSocket listener = new ServerSocket(0, 64, InetAddress.getLoopbackAddress());
        private final List<Socket> accepted = new ArrayList<>();
        private final Thread acceptor;

        TestServer(Behaviour behaviour) throws IOException {
            acceptor = Thread.ofPlatform().daemon().start(() -> {
                try {
                    while (true) {
                        Socket s = listener.accept();
                        synchronized (accepted) {
                            accepted.add(s);
                        }
                        Thread.ofVirtual().start(() -> serve(s, behaviour));
                    }
                } catch (IOException closed) {
                    // the test is over
                }
            });
        }

        int port() {
            return listener.getLocalPort();
        }

        private static void serve(Socket s, Behaviour behaviour) {
            try (InputStream in = s.getInputStream(); OutputStream out = s.getOutputStream()) {
                byte[] buf = new byte[65536];
                for (int n; (n = in.read(buf)) > 0; ) {
                    if (behaviour == Behaviour.FLIP_A_BYTE && n > 1) buf[1] ^= 1;
                    out.write(buf, 0, n);
                    // the load generator's idle connections announce themselves with one byte
                    if (behaviour == Behaviour.DROP_IDLE && n == 1) return;
                }
            } catch (IOException gone) {
                // the load generator closed it
            }
        }

        @Override
        public void close() throws Exception {
            listener.close();
            acceptor.join();
            synchronized (accepted) {
                for (Socket s : accepted) s.close();
            }
        }
    }
}
