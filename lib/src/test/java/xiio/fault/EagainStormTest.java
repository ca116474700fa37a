package xiio.fault;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import xiio.concurrent.TaskGroup;
import xiio.core.Poller;
import xiio.core.Xiio;
import xiio.io.Pipe;
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
 * Readiness that lies: epoll says ready and the call says EAGAIN, many times in a row.
 * The loop must go back to waiting each time (one call per lie, no more: counted) and
 * move every byte once.
 */
class EagainStormTest {
    private static final int STORM = 1000;

    @Test
    void spuriousReadinessCostsOneReadPerLieAndNoneWhileIdle() throws Exception {
        try (Faults faults = Faults.install(); TestPipe p = new TestPipe()) {
            Faults.Rule lies = faults.on(Call.EPOLL_WAIT).times(STORM).reportReadable(p.readFd);
            String got = Xiio.run(Poller.epoll(), () -> TaskGroup.scope(g -> {
                g.spawn("late writer", () -> {
                    while (lies.hits() < STORM) Xiio.sleep(Duration.ofMillis(1));
                    Xiio.sleep(Duration.ofMillis(20)); // the reader sleeps for real now
                    Xiio.writeAll(p.writeFd, "data".getBytes());
                    return null;
                });
                byte[] buf = new byte[16];
                return new String(buf, 0, Xiio.read(p.readFd, buf));
            }));
            assertEquals("data", got);
            assertEquals(STORM, lies.hits());
            // each lie woke the reader once, its read found nothing, and it waited again;
            // after the storm it slept until the data came: one more read
            assertEquals(STORM + 1, faults.calls(Call.READ, p.readFd));
            assertTrue(faults.calls(Call.EPOLL_WAIT) <= STORM + 30, "epoll_wait calls: " + faults.calls(Call.EPOLL_WAIT));
        }
    }

    @Test
    void eagainStormOnStreamReadsLosesNothing() throws Exception {
        byte[] data = Payload.of(3, 64 * 1024);
        try (Faults faults = Faults.install()) {
            Xiio.run(Poller.epoll(), () -> {
                try (Pipe p = Pipe.open()) {
                    int fd = p.reader().fd();
                    Faults.Rule storm = faults.on(Call.READ).fd(fd).times(STORM).fail(Errno.EAGAIN);
                    byte[] got = TaskGroup.scope(g -> {
                        g.spawn("writer", () -> {
                            p.writer().writeAll(data, 0, data.length);
                            p.writer().close();
                            return null;
                        });
                        return new StreamReader(p.reader(), 4096).readExactly(data.length);
                    });
                    Payload.assertWhole(data, got, got.length, "pipe");
                    assertEquals(STORM, storm.hits());
                    int reads = faults.calls(Call.READ, fd);
                    // 16 reads of 4 KiB at most, plus the pipe being empty now and then
                    assertTrue(reads <= STORM + 64, "reads: " + reads);
                    assertTrue(faults.calls(Call.EPOLL_WAIT) <= reads + 5, "epoll_wait calls: " + faults.calls(Call.EPOLL_WAIT));
                }
                return null;
            });
        }
    }

    @Test
    void eagainStormOnSendAndRecvLosesNothing() throws Exception {
        byte[] data = Payload.of(4, 256 * 1024);
        try (Faults faults = Faults.install()) {
            Xiio.run(Poller.epoll(), () -> {
                try (TcpPair pair = TcpPair.open()) {
                    Faults.Rule sendStorm = faults.on(Call.SEND).fd(pair.client().fd()).times(STORM).fail(Errno.EAGAIN);
                    Faults.Rule recvStorm = faults.on(Call.RECV).fd(pair.server().fd()).times(STORM).fail(Errno.EAGAIN);
                    byte[] got = TaskGroup.scope(g -> {
                        g.spawn("sender", () -> {
                            for (int off = 0; off < data.length; off += 8192) {
                                pair.client().writeAll(data, off, Math.min(8192, data.length - off));
                            }
                            return null;
                        });
                        return new StreamReader(pair.server(), 8192).readExactly(data.length);
                    });
                    Payload.assertWhole(data, got, got.length, "tcp");
                    assertEquals(STORM, sendStorm.hits());
                    assertEquals(STORM, recvStorm.hits());
                    int sends = faults.calls(Call.SEND, pair.client().fd());
                    assertTrue(sends <= STORM + 32 + 8, "sends: " + sends); // 32 pieces, and a full buffer now and then
                }
                return null;
            });
        }
    }

    @Test
    void eagainStormOnRawWritesLosesNothing() throws Exception {
        byte[] data = Payload.of(5, 200_000);
        try (Faults faults = Faults.install(); TestPipe p = new TestPipe()) {
            Faults.Rule storm = faults.on(Call.WRITE).fd(p.writeFd).every(2).times(STORM).fail(Errno.EAGAIN);
            byte[] got = Xiio.run(Poller.epoll(), () -> TaskGroup.scope(g -> {
                g.spawn("writer", () -> {
                    for (int off = 0; off < data.length; off += 100) Xiio.writeAll(p.writeFd, data, off, Math.min(100, data.length - off));
                    p.closeWriteEnd();
                    return null;
                });
                return EintrTest.readToEnd(p.readFd);
            }));
            Payload.assertWhole(data, got, got.length, "pipe");
            assertEquals(STORM, storm.hits());
        }
    }

    @Test
    void eagainStormOnAcceptStillAcceptsTheConnection() throws Exception {
        try (Faults faults = Faults.install()) {
            Xiio.run(Poller.epoll(), () -> {
                try (TcpListener listener = TcpListener.bind(new InetSocketAddress(InetAddress.ofLiteral("127.0.0.1"), 0))) {
                    Faults.Rule storm = faults.on(Call.ACCEPT).fd(listener.fd()).times(200).fail(Errno.EAGAIN);
                    try (TcpStream client = TcpStream.connect(listener.localAddress());
                         TcpStream server = listener.accept()) {
                        assertEquals(200, storm.hits());
                        assertEquals(201, faults.calls(Call.ACCEPT, listener.fd()));
                        EintrTest.roundTrip(client, server);
                    }
                }
                return null;
            });
        }
    }
}
