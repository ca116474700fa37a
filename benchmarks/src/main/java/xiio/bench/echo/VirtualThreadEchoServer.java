package xiio.bench.echo;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.Set;

/**
 * The plain-JDK peer of the echo benchmark: one virtual thread per connection with
 * blocking {@code java.net} sockets and a 64 KiB buffer, what a Java user writes today
 * when told "virtual threads make blocking code scale".
 *
 * <pre>VirtualThreadEchoServer [--port P]     (port 0 picks a free one)</pre>
 */
public final class VirtualThreadEchoServer {
    private VirtualThreadEchoServer() {}

    public static void main(String[] args) throws IOException {
        PeerArgs options = PeerArgs.parse(args, "VirtualThreadEchoServer [--port P]", Set.of("--port"));
        // the kernel caps the backlog at net.core.somaxconn; the JDK's default of 50 is too small for bursts
        ServerSocket listener = new ServerSocket(options.port(), 4096, InetAddress.getLoopbackAddress());
        ExitOnSignal.install(() -> {
            try {
                listener.close();
            } catch (IOException ignored) {
                // exiting anyway
            }
        });
        System.out.println("vthread-echo listening on " + listener.getLocalSocketAddress() + " (pid "
                + ProcessHandle.current().pid() + ")");
        System.out.flush();
        while (true) {
            Socket conn;
            try {
                conn = listener.accept();
            } catch (IOException closed) {
                if (listener.isClosed()) return; // stopping
                continue; // e.g. too many open files: the client sees a stall, the server goes on
            }
            Thread.ofVirtual().start(() -> echo(conn));
        }
    }

    private static void echo(Socket conn) {
        try (conn; InputStream in = conn.getInputStream(); OutputStream out = conn.getOutputStream()) {
            conn.setTcpNoDelay(true);
            byte[] buf = new byte[64 * 1024];
            for (int n; (n = in.read(buf)) > 0; ) out.write(buf, 0, n);
        } catch (IOException peerGone) {
            // reset or broken pipe: this connection is over, the server goes on
        }
    }
}
