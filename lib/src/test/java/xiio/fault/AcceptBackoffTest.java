package xiio.fault;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import xiio.concurrent.TaskGroup;
import xiio.concurrent.Timeout;
import xiio.core.Xiio;
import xiio.io.StreamReader;
import xiio.net.TcpListener;
import xiio.net.TcpStream;
import xiio.support.Faults;
import xiio.support.Faults.Call;
import xiio.testing.VirtualClock;
import xiio.unix.Errno;

/**
 * Running out of fds while accepting (EMFILE and its kin). The contract, as in Go's
 * net/http and Netty: accept pauses (5 ms doubling to 1 s) and tries again, logging
 * once per shortage, so a server's accept loop survives the shortage and serves again
 * once fds are free. The pauses are checked on a virtual clock, to the nanosecond;
 * {@link OutOfFdsTest} runs out of fds for real.
 */
class AcceptBackoffTest {
    private static final InetSocketAddress LOOPBACK = new InetSocketAddress(InetAddress.ofLiteral("127.0.0.1"), 0);
    private static final long MS = 1_000_000L;

    private final Logger netLog = Logger.getLogger("xiio.net"); // held: JUL keeps loggers weakly
    private final List<LogRecord> logged = Collections.synchronizedList(new ArrayList<>());
    private final Handler capture = new Handler() {
        @Override
        public void publish(LogRecord record) {
            logged.add(record);
        }

        @Override
        public void flush() {}

        @Override
        public void close() {}
    };

    @BeforeEach
    void captureLog() {
        netLog.addHandler(capture);
        netLog.setUseParentHandlers(false);
    }

    @AfterEach
    void releaseLog() {
        netLog.removeHandler(capture);
        netLog.setUseParentHandlers(true);
    }

    @Test
    void acceptPausesLongerEachTimeThenTakesTheQueuedConnection() throws Exception {
        try (Faults faults = Faults.install()) {
            VirtualClock.run(() -> {
                try (TcpListener listener = TcpListener.bind(LOOPBACK);
                     TcpStream client = TcpStream.connect(listener.localAddress())) {
                    Faults.Rule emfile = faults.on(Call.ACCEPT).fd(listener.fd()).times(5).fail(Errno.EMFILE);
                    long t0 = Xiio.nanoTime();
                    try (TcpStream server = listener.accept()) {
                        assertEquals((5 + 10 + 20 + 40 + 80) * MS, Xiio.nanoTime() - t0, "virtual time spent pausing");
                        assertEquals(5, emfile.hits());
                        assertEquals(6, faults.calls(Call.ACCEPT, listener.fd()), "one accept per pause, no spinning");
                        assertEquals(client.localAddress(), server.remoteAddress());
                        EintrTest.roundTrip(client, server);
                    }
                    String where = "accept on 127.0.0.1:" + listener.localAddress().getPort() + " (fd " + listener.fd() + ")";
                    // once when the shortage begins, once when it ends: not once per retry
                    assertEquals(2, logged.size(), logged.toString());
                    LogRecord first = logged.getFirst();
                    assertEquals(Level.WARNING, first.getLevel());
                    assertEquals(where + ": EMFILE (Too many open files): this process is out of file descriptors"
                            + " (close idle connections, or raise `ulimit -n`); the connection stays queued, retrying"
                            + " with pauses from 5 ms doubling up to 1 s; logged once until accepting works again",
                            first.getMessage());
                    assertEquals(Level.INFO, logged.get(1).getLevel());
                    assertTrue(logged.get(1).getMessage().endsWith("after 5 failed attempts in 155 ms"), logged.get(1).getMessage());
                }
                return null;
            });
        }
    }

    @Test
    void pausesStopGrowingAtOneSecond() throws Exception {
        try (Faults faults = Faults.install()) {
            VirtualClock.run(() -> {
                try (TcpListener listener = TcpListener.bind(LOOPBACK);
                     TcpStream client = TcpStream.connect(listener.localAddress())) {
                    faults.on(Call.ACCEPT).fd(listener.fd()).times(11).fail(Errno.ENFILE);
                    long t0 = Xiio.nanoTime();
                    try (TcpStream server = listener.accept()) {
                        long expected = (5 + 10 + 20 + 40 + 80 + 160 + 320 + 640 + 1000 + 1000 + 1000) * MS;
                        assertEquals(expected, Xiio.nanoTime() - t0);
                    }
                    assertTrue(logged.getFirst().getMessage().contains("ENFILE"), logged.getFirst().getMessage());
                }
                return null;
            });
        }
    }

    @Test
    void aServerLoopKeepsServingThroughAShortage() throws Exception {
        int clients = 6;
        try (Faults faults = Faults.install()) {
            List<String> replies = Xiio.run(() -> {
                try (TcpListener listener = TcpListener.bind(LOOPBACK)) {
                    // the 2nd to 5th accepts find no free fd (as if other connections held them all)
                    Faults.Rule shortage = faults.on(Call.ACCEPT).fd(listener.fd()).after(1).times(4).fail(Errno.EMFILE);
                    List<String> out = Collections.synchronizedList(new ArrayList<>());
                    TaskGroup.scope(g -> {
                        g.spawn("accept loop", () -> {
                            TaskGroup.scope(conns -> {
                                for (int i = 0; i < clients; i++) {
                                    TcpStream conn = listener.accept(); // the loop of a server: must not throw
                                    conns.spawn("echo", () -> echoLine(conn));
                                }
                                return null;
                            });
                            return null;
                        });
                        for (int i = 0; i < clients; i++) {
                            int id = i;
                            g.spawn("client " + i, () -> {
                                try (TcpStream c = TcpStream.connect(listener.localAddress())) {
                                    byte[] line = ("hello " + id + "\n").getBytes();
                                    c.writeAll(line, 0, line.length);
                                    out.add(new StreamReader(c).readLine(100));
                                }
                                return null;
                            });
                        }
                        return null;
                    });
                    assertEquals(4, shortage.hits());
                    return out;
                }
            });
            Collections.sort(replies);
            assertEquals(List.of("hello 0", "hello 1", "hello 2", "hello 3", "hello 4", "hello 5"), replies);
        }
    }

    @Test
    void closingTheListenerEndsAPauseAtOnce() throws Exception {
        try (Faults faults = Faults.install()) {
            VirtualClock.run(() -> {
                try (TcpListener listener = TcpListener.bind(LOOPBACK);
                     TcpStream client = TcpStream.connect(listener.localAddress())) {
                    faults.on(Call.ACCEPT).fd(listener.fd()).fail(Errno.EMFILE); // for good
                    long t0 = Xiio.nanoTime();
                    TaskGroup.scope(g -> {
                        g.spawn("closer", () -> {
                            // 2275 ms of pauses have passed; the one running now would end at 3275 ms
                            Xiio.sleep(Duration.ofMillis(2500));
                            listener.close();
                            return null;
                        });
                        IOException e = assertThrows(IOException.class, listener::accept);
                        assertEquals(2500 * MS, Xiio.nanoTime() - t0, "the pause ended when the listener closed");
                        assertTrue(e.getMessage().endsWith(": the listener is closed"), e.getMessage());
                        return null;
                    });
                    assertEquals(10, faults.calls(Call.ACCEPT, listener.fd()));
                }
                return null;
            });
        }
    }

    @Test
    void aCancelledPauseLeavesTheConnectionQueued() throws Exception {
        try (Faults faults = Faults.install()) {
            Xiio.run(() -> {
                try (TcpListener listener = TcpListener.bind(LOOPBACK);
                     TcpStream client = TcpStream.connect(listener.localAddress())) {
                    faults.on(Call.ACCEPT).fd(listener.fd()).fail(Errno.EMFILE);
                    assertNull(Timeout.withTimeoutOrNull(Duration.ofMillis(40), listener::accept));
                    faults.clear(); // fds are free again
                    try (TcpStream server = listener.accept()) {
                        EintrTest.roundTrip(client, server);
                    }
                }
                return null;
            });
        }
    }

    @Test
    void otherAcceptFailuresStillThrowAtOnceAndTheListenerStaysUsable() throws Exception {
        try (Faults faults = Faults.install()) {
            Xiio.run(() -> {
                try (TcpListener listener = TcpListener.bind(LOOPBACK);
                     TcpStream client = TcpStream.connect(listener.localAddress())) {
                    faults.on(Call.ACCEPT).fd(listener.fd()).once().fail(Errno.EINVAL);
                    SocketException e = assertThrows(SocketException.class, listener::accept);
                    assertEquals("accept on 127.0.0.1:" + listener.localAddress().getPort() + " (fd " + listener.fd()
                            + "): EINVAL (Invalid argument)", e.getMessage());
                    try (TcpStream server = listener.accept()) {
                        EintrTest.roundTrip(client, server);
                    }
                }
                return null;
            });
            assertInstanceOf(List.class, logged);
            assertTrue(logged.isEmpty(), logged.toString());
        }
    }

    private static Void echoLine(TcpStream conn) throws IOException {
        try (conn) {
            byte[] line = (new StreamReader(conn).readLine(100) + "\n").getBytes();
            conn.writeAll(line, 0, line.length);
        }
        return null;
    }
}
