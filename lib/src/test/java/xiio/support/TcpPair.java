package xiio.support;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import xiio.net.TcpListener;
import xiio.net.TcpStream;

/**
 * Two ends of one real TCP connection on 127.0.0.1, made inside a run: a loopback
 * connect completes in the kernel's backlog, so no task is needed to accept it.
 * Closing the pair closes both ends.
 */
public record TcpPair(TcpStream client, TcpStream server) implements AutoCloseable {

    /** Connects a new pair (must be called inside {@code Xiio.run}). */
    public static TcpPair open() throws IOException {
        try (TcpListener listener = TcpListener.bind(new InetSocketAddress(InetAddress.ofLiteral("127.0.0.1"), 0))) {
            TcpStream client = TcpStream.connect(listener.localAddress());
            try {
                return new TcpPair(client, listener.accept());
            } catch (IOException | RuntimeException | Error e) {
                client.close();
                throw e;
            }
        }
    }

    @Override
    public void close() throws IOException {
        try {
            client.close();
        } finally {
            server.close();
        }
    }
}
