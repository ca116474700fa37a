package xiio.examples;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.Arrays;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import xiio.concurrent.TaskGroup;
import xiio.core.Xiio;
import xiio.net.TcpListener;
import xiio.net.TcpStream;
import xiio.signal.SignalExitException;
import xiio.signal.Signals;

/**
 * A TCP echo server: one coroutine per connection in a task group, each reading up
 * to 64 KiB and writing it all back until the peer closes; one loop thread, one
 * shared read buffer. It runs until SIGINT or SIGTERM, then closes every connection
 * and exits 130 (143 after SIGTERM). The benchmark command measures it against Netty, virtual threads and
 * a C server.
 */
@Command(name = "echo-server", mixinStandardHelpOptions = true,
        description = "A TCP echo server on one loop thread; stops cleanly on SIGINT/SIGTERM.")
final class EchoServer implements Callable<Integer> {
    @Option(names = "--port", required = true, converter = PortConverter.class, description = "TCP port to listen on (0 picks a free one).")
    int port;

    @Option(names = "--host", defaultValue = "127.0.0.1", description = "Address to listen on (default: ${DEFAULT-VALUE}).")
    String host;

    @Option(names = "--backend", description = "Coroutine backend: continuation or vthread. The launcher"
            + " passes it to the JVM as -Dxiio.backend (it is chosen once per JVM).")
    String backend;

    @Override
    public Integer call() throws Exception {
        if (backend != null && !backend.equals(Xiio.backend())) {
            throw new IllegalArgumentException("this JVM runs the " + Xiio.backend() + " backend; start it with"
                    + " ./xiio echo-server --backend " + backend + " (the launcher sets -Dxiio.backend)");
        }
        try {
            Signals.runCancellable(() -> {
                try (TcpListener listener = TcpListener.bind(new InetSocketAddress(host, port))) {
                    // the port on stdout, for scripts that asked for port 0
                    System.out.println("echo-server listening on " + listener.localAddress()
                            + " (backend " + Xiio.backend() + ", pid " + ProcessHandle.current().pid() + ")");
                    System.out.flush();
                    byte[] shared = new byte[READ_SIZE];
                    TaskGroup.scope(connections -> {
                        while (true) {
                            TcpStream conn = listener.accept();
                            connections.spawn("conn " + conn.remoteAddress(), () -> echo(conn, shared));
                        }
                    });
                }
                return null;
            });
        } catch (SignalExitException stopped) {
            System.out.println("echo-server stopped by " + stopped.signal());
            return stopped.exitStatus(); // 130 after Ctrl-C, as for every example
        }
        return 0;
    }

    /** The size of one read: what the echo protocol asks for. */
    static final int READ_SIZE = 64 * 1024;

    /**
     * Echoes until the peer closes; a reset peer ends only its own connection.
     *
     * <p>Every connection reads into {@code shared}, one buffer for the whole loop: with
     * one loop thread, nothing else runs between a read and a write that does not
     * suspend. Only when the kernel takes less than the whole message does the rest
     * get a copy of its own, because waiting for room lets other connections run. So
     * 10,000 idle connections cost no buffers at all.
     */
    static Void echo(TcpStream conn, byte[] shared) throws IOException {
        try (conn) {
            conn.setNoDelay(true);
            for (int n; (n = conn.read(shared, 0, shared.length)) > 0; ) {
                int written = conn.tryWrite(shared, 0, n);
                if (written < n) conn.writeAll(Arrays.copyOfRange(shared, written, n), 0, n - written);
            }
        } catch (IOException peerGone) {
            // reset or broken pipe: this connection is over, the server goes on
        }
        return null;
    }
}
