package xiio.core;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import xiio.concurrent.TaskGroup;
import xiio.net.TcpListener;
import xiio.net.TcpStream;

/**
 * Thousands of idle connections, each with a server task waiting to read, more than the
 * ring has submission entries, while one connection echoes: every poll is submitted (the
 * full queue is flushed as it fills), the active one is served, and closing them all
 * releases every fd. {@code -Dxiio.test.idleConnections=N} for a bigger run (each costs
 * two fds of this process).
 */
class IoUringIdleConnectionsTest {
    private static final int IDLE = Integer.getInteger("xiio.test.idleConnections", IoUringPoller.ENTRIES + 500);

    @Test
    void oneConnectionEchoesWhileThousandsIdle() throws Exception {
        int echoed = Xiio.run(Poller.ioUring(), () -> {
            try (TcpListener listener = TcpListener.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))) {
                return TaskGroup.scope(g -> {
                    g.spawn("acceptor", () -> {
                        for (int i = 0; i <= IDLE; i++) {
                            TcpStream conn = listener.accept();
                            g.spawn(() -> echo(conn));
                        }
                        return null;
                    });
                    List<TcpStream> idle = new ArrayList<>();
                    try {
                        for (int i = 0; i < IDLE; i++) idle.add(TcpStream.connect(listener.localAddress()));
                        try (TcpStream active = TcpStream.connect(listener.localAddress())) {
                            byte[] out = new byte[64], in = new byte[64];
                            for (int round = 0; round < 200; round++) {
                                out[0] = (byte) round;
                                active.writeAll(out, 0, out.length);
                                for (int got = 0; got < in.length; ) got += active.read(in, got, in.length - got);
                                assertArrayEquals(out, in);
                            }
                            return 200;
                        }
                    } finally {
                        for (TcpStream s : idle) s.close(); // each server task reads EOF and ends
                    }
                });
            }
        });
        assertEquals(200, echoed);
    }

    private static Void echo(TcpStream conn) throws IOException {
        try (conn) {
            byte[] buf = new byte[256];
            for (int n; (n = conn.read(buf, 0, buf.length)) > 0; ) conn.writeAll(buf, 0, n);
        }
        return null;
    }
}
