package xiio.fault;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import xiio.concurrent.TaskGroup;
import xiio.core.Poller;
import xiio.core.Xiio;
import xiio.io.StreamReader;
import xiio.net.TcpListener;
import xiio.net.TcpStream;
import xiio.support.Faults;
import xiio.support.Faults.Call;
import xiio.support.Payload;
import xiio.support.TcpPair;
import xiio.support.TestPipe;
import xiio.unix.Errno;

/**
 * EINTR from every call the loop makes: the contract is "retried inside, never seen by
 * the caller", and a retry must neither lose nor repeat a byte.
 */
class EintrTest {
    private static final InetSocketAddress LOOPBACK = new InetSocketAddress(InetAddress.ofLiteral("127.0.0.1"), 0);

    @Test
    void rawReadAndWriteRetryWithoutLosingOrRepeatingBytes() throws Exception {
        byte[] data = Payload.of(1, 512 * 1024);
        try (Faults faults = Faults.install(); TestPipe p = new TestPipe()) {
            Faults.Rule reads = faults.on(Call.READ).fd(p.readFd).every(3).fail(Errno.EINTR);
            Faults.Rule writes = faults.on(Call.WRITE).fd(p.writeFd).every(2).fail(Errno.EINTR);
            byte[] got = Xiio.run(Poller.epoll(), () -> TaskGroup.scope(g -> {
                g.spawn("writer", () -> {
                    Xiio.writeAll(p.writeFd, data);
                    p.closeWriteEnd();
                    return null;
                });
                return readToEnd(p.readFd);
            }));
            Payload.assertWhole(data, got, got.length, "pipe");
            assertTrue(reads.hits() >= 2 && writes.hits() >= 2, reads + " " + writes);
        }
    }

    @Test
    void recvAndSendRetryThroughStreams() throws Exception {
        byte[] data = Payload.of(2, 512 * 1024);
        try (Faults faults = Faults.install()) {
            Xiio.run(Poller.epoll(), () -> {
                try (TcpPair pair = TcpPair.open()) {
                    Faults.Rule sends = faults.on(Call.SEND).fd(pair.client().fd()).every(2).fail(Errno.EINTR);
                    Faults.Rule recvs = faults.on(Call.RECV).fd(pair.server().fd()).every(2).fail(Errno.EINTR);
                    byte[] got = TaskGroup.scope(g -> {
                        g.spawn("sender", () -> {
                            // in pieces: loopback takes 512 KiB in one send
                            for (int off = 0; off < data.length; off += 10_000) {
                                pair.client().writeAll(data, off, Math.min(10_000, data.length - off));
                            }
                            return null;
                        });
                        return new StreamReader(pair.server(), 4096).readExactly(data.length);
                    });
                    Payload.assertWhole(data, got, got.length, "tcp");
                    assertTrue(sends.hits() >= 1 && recvs.hits() >= 2, sends + " " + recvs);
                }
                return null;
            });
        }
    }

    @Test
    void acceptRetriesAndTheConnectionIsTheSame() throws Exception {
        try (Faults faults = Faults.install()) {
            Xiio.run(Poller.epoll(), () -> {
                try (TcpListener listener = TcpListener.bind(LOOPBACK)) {
                    Faults.Rule eintr = faults.on(Call.ACCEPT).fd(listener.fd()).times(3).fail(Errno.EINTR);
                    try (TcpStream client = TcpStream.connect(listener.localAddress());
                         TcpStream server = listener.accept()) {
                        assertEquals(3, eintr.hits());
                        assertEquals(4, faults.calls(Call.ACCEPT, listener.fd()));
                        assertEquals(client.localAddress(), server.remoteAddress());
                        roundTrip(client, server);
                    }
                }
                return null;
            });
        }
    }

    @Test
    void connectInterruptedBySignalGoesOnInTheBackground() throws Exception {
        try (Faults faults = Faults.install()) {
            Xiio.run(Poller.epoll(), () -> {
                try (TcpListener listener = TcpListener.bind(LOOPBACK)) {
                    // the kernel started the handshake, then the call reported EINTR (as after a signal)
                    Faults.Rule eintr = faults.on(Call.CONNECT).once().failAfterCalling(Errno.EINTR);
                    try (TcpStream client = TcpStream.connect(listener.localAddress());
                         TcpStream server = listener.accept()) {
                        assertEquals(1, eintr.hits());
                        roundTrip(client, server);
                    }
                }
                return null;
            });
        }
    }

    @Test
    void epollWaitInterruptedKeepsTimersAndFdsRight() throws Exception {
        try (Faults faults = Faults.install(); TestPipe p = new TestPipe()) {
            Faults.Rule eintr = faults.on(Call.EPOLL_WAIT).times(20).fail(Errno.EINTR);
            long took = Xiio.run(Poller.epoll(), () -> {
                long start = System.nanoTime();
                Xiio.sleep(Duration.ofMillis(30));
                long slept = System.nanoTime() - start;
                pipeRoundTrip(p);
                return slept;
            });
            assertEquals(20, eintr.hits());
            assertTrue(took >= 30_000_000L, "the sleep ended early: " + took + " ns");
        }
    }

    @Test
    void epollCtlInterruptedIsRetried() throws Exception {
        try (Faults faults = Faults.install(); TestPipe p = new TestPipe()) {
            Faults.Rule eintr = faults.on(Call.EPOLL_CTL).fd(p.readFd).once().fail(Errno.EINTR);
            Xiio.run(Poller.epoll(), () -> {
                pipeRoundTrip(p);
                return null;
            });
            assertEquals(1, eintr.hits());
        }
    }

    static byte[] readToEnd(int fd) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] buf = new byte[7000];
        for (int n; (n = Xiio.read(fd, buf, 0, buf.length)) > 0; ) out.write(buf, 0, n);
        return out.toByteArray();
    }

    /** Data goes both ways over a connection, through the loop. */
    static void roundTrip(TcpStream a, TcpStream b) throws Exception {
        byte[] ping = "ping".getBytes();
        a.writeAll(ping, 0, ping.length);
        byte[] got = new StreamReader(b).readExactly(4);
        b.writeAll(got, 0, got.length);
        assertEquals("ping", new String(new StreamReader(a).readExactly(4)));
    }

    /** A reader waits on the pipe until a writer task writes; the loop moves the bytes. */
    static void pipeRoundTrip(TestPipe p) throws Exception {
        String got = TaskGroup.scope(g -> {
            g.spawn("writer", () -> {
                Xiio.sleep(Duration.ofMillis(2));
                Xiio.writeAll(p.writeFd, "pong".getBytes());
                return null;
            });
            byte[] buf = new byte[16];
            return new String(buf, 0, Xiio.read(p.readFd, buf));
        });
        assertEquals("pong", got);
    }
}
