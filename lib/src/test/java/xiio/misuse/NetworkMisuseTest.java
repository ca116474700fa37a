package xiio.misuse;

import java.io.IOException;
import java.net.BindException;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketException;
import java.time.Duration;
import java.util.stream.Stream;
import xiio.concurrent.TaskGroup;
import xiio.core.Xiio;
import xiio.io.StreamReader;
import xiio.net.TcpListener;
import xiio.net.TcpStream;
import xiio.support.TcpPair;

/**
 * A peer that resets, ports that are closed, in use or out of range, and listeners
 * used after close.
 */
class NetworkMisuseTest extends MisuseTable {
    private static final InetSocketAddress LOOPBACK = new InetSocketAddress(InetAddress.ofLiteral("127.0.0.1"), 0);

    static Stream<Row> rows() {
        return Stream.of(
                inside("a peer that resets mid-read", SocketException.class,
                        "recv from 127.0.0.1:# (fd #): ECONNRESET (Connection reset by peer): the peer closed the connection abruptly",
                        () -> {
                    try (TcpPair pair = TcpPair.open()) {
                        return TaskGroup.scope(g -> {
                            g.spawn("rude peer", () -> {
                                pair.client().writeAll("half a mess".getBytes(), 0, 11);
                                pair.client().reset();
                                return null;
                            });
                            return new StreamReader(pair.server()).readExactly(100);
                        });
                    }
                }),
                inside("connecting to a closed port", ConnectException.class,
                        "connect to 127.0.0.1:#: ECONNREFUSED (Connection refused): nothing listens there", () -> {
                    InetSocketAddress closed;
                    try (TcpListener l = TcpListener.bind(LOOPBACK)) {
                        closed = l.localAddress();
                    }
                    return TcpStream.connect(closed);
                }),
                inside("binding an address in use", BindException.class,
                        "bind to 127.0.0.1:#: EADDRINUSE (Address already in use): another socket is bound to it", () -> {
                    try (TcpListener l = TcpListener.bind(LOOPBACK)) {
                        return TcpListener.bind(l.localAddress());
                    }
                }),
                inside("binding a port out of range", IllegalArgumentException.class, "port 70000 is out of range 0..65535",
                        () -> TcpListener.bind(70000)),
                inside("accept on a closed listener", IOException.class,
                        "cannot accept on tcp listener 127.0.0.1:# (fd #): the listener is closed", () -> {
                    TcpListener l = TcpListener.bind(LOOPBACK);
                    l.close();
                    return l.accept();
                }),
                inside("a listener closed by another task while accepting", IOException.class,
                        "cannot accept on tcp listener 127.0.0.1:# (fd #): the listener is closed", () -> {
                    try (TcpListener l = TcpListener.bind(LOOPBACK)) {
                        return TaskGroup.scope(g -> {
                            g.spawn("closer", () -> {
                                Xiio.sleep(Duration.ofMillis(1));
                                l.close();
                                return null;
                            });
                            return l.accept();
                        });
                    }
                }));
    }
}
