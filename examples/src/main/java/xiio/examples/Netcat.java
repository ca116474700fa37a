package xiio.examples;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import xiio.concurrent.Task;
import xiio.concurrent.TaskGroup;
import xiio.io.ByteStream;
import xiio.io.FdStream;
import xiio.io.Stdio;
import xiio.net.TcpListener;
import xiio.net.TcpStream;
import xiio.signal.SignalExitException;
import xiio.signal.Signals;
import xiio.tls.TlsConfig;
import xiio.tls.TlsContextBuilder;
import xiio.tls.TlsStream;

/**
 * netcat: one TCP connection between stdin/stdout and a peer. Usage:
 * {@code ./xiio netcat HOST PORT} to connect, {@code ./xiio netcat -l -p PORT} to
 * wait for one connection; {@code --tls} (with {@code --cacert}) or
 * {@code --tls-cert/--tls-key} for TLS.
 *
 * <p>Two coroutines copy at once, stdin to the socket and the socket to stdout, so
 * neither direction waits for the other (a peer that answers while it still reads,
 * like an echo server, would otherwise deadlock us both once the buffers fill).
 * End of stdin half-closes the connection ({@code shutdownOutput}): the peer reads
 * end of stream and may still answer. End of the socket ends the program, once
 * everything received has been written to stdout; the stdin copy is cancelled,
 * which loses nothing (a cancelled read has read nothing).
 */
@Command(name = "netcat", mixinStandardHelpOptions = true,
        description = {"Connect to HOST PORT (or listen with -l -p PORT) and copy stdin to the socket and the socket"
            + " to stdout, both at once.", "End of stdin half-closes the connection; end of the socket ends the program."})
final class Netcat implements Callable<Integer> {
    @Parameters(index = "0", arity = "0..1", paramLabel = "HOST", description = "Host to connect to.")
    String host;

    @Parameters(index = "1", arity = "0..1", paramLabel = "PORT", converter = PortConverter.class, description = "Port to connect to.")
    Integer port;

    @Option(names = {"-l", "--listen"}, description = "Listen for one connection instead of connecting.")
    boolean listen;

    @Option(names = {"-p", "--local-port"}, paramLabel = "PORT", converter = PortConverter.class, description = "With -l: the port to listen on (0 picks one).")
    Integer localPort;

    @Option(names = "--bind", defaultValue = "127.0.0.1", description = "With -l: the address to listen on (default: ${DEFAULT-VALUE}).")
    String bind;

    @Option(names = "--tls", description = "Connect with TLS, checking the server's certificate and name.")
    boolean tls;

    @Option(names = "--cacert", paramLabel = "PEM", description = "With --tls: trust these certificates instead of the JDK's authorities.")
    Path caCert;

    @Option(names = "--tls-cert", paramLabel = "PEM", description = "With -l: serve TLS with this certificate chain (and --tls-key).")
    Path tlsCert;

    @Option(names = "--tls-key", paramLabel = "PEM", description = "With -l: the PKCS#8 private key for --tls-cert.")
    Path tlsKey;

    @Override
    public Integer call() throws Exception {
        if (listen == (host != null)) throw new IllegalArgumentException("give HOST PORT to connect, or -l -p PORT to listen");
        if (listen && localPort == null) throw new IllegalArgumentException("-l needs -p PORT");
        if (!listen && port == null) throw new IllegalArgumentException("give the PORT to connect to after HOST");
        if ((tlsCert == null) != (tlsKey == null)) throw new IllegalArgumentException("--tls-cert and --tls-key go together");
        if (tlsCert != null && !listen) throw new IllegalArgumentException("--tls-cert is for -l; a client says --tls");
        if ((tls || caCert != null) && listen) throw new IllegalArgumentException("--tls and --cacert are for connecting; -l takes --tls-cert/--tls-key");
        try {
            return Signals.runCancellable(() -> {
                try (FdStream stdin = Stdio.stdin(); FdStream stdout = Stdio.stdout(); ByteStream conn = open()) {
                    relay(stdin, stdout, conn);
                }
                return 0;
            });
        } catch (SignalExitException stopped) {
            return stopped.exitStatus();
        }
    }

    /** The connection: connected, or the first one accepted (the listener is closed right after). */
    private ByteStream open() throws Exception {
        if (!listen) {
            TcpStream tcp = TcpStream.connect(host, port);
            if (!tls) return tcp;
            TlsConfig config = caCert == null ? TlsConfig.defaults() : TlsConfig.of(new TlsContextBuilder().trustPem(caCert).build());
            return TlsStream.client(tcp, host, config);
        }
        TlsConfig serverTls = tlsCert == null ? null : TlsConfig.of(new TlsContextBuilder().pemKey(tlsCert, tlsKey).build());
        try (TcpListener listener = TcpListener.bind(new InetSocketAddress(bind, localPort))) {
            // stderr: stdout carries only what the peer sends
            System.err.println("netcat listening on " + listener.localAddress().getHostString() + ":" + listener.localAddress().getPort());
            TcpStream tcp = listener.accept();
            System.err.println("netcat: connection from " + tcp.remoteAddress());
            return serverTls == null ? tcp : TlsStream.server(tcp, serverTls);
        }
    }

    private static void relay(ByteStream stdin, ByteStream stdout, ByteStream conn) throws Exception {
        TaskGroup.scope(group -> {
            Task<Void> upload = group.spawn("stdin -> socket", () -> {
                copy(stdin, conn);
                conn.shutdownOutput(); // half-close: the peer sees end of stream and may still answer
                return null;
            });
            copy(conn, stdout); // returns once stdout has taken every byte the peer sent
            upload.cancel();    // the peer is done: whatever stdin still brings has nowhere to go
            return null;
        });
    }

    /** Copies until end of stream. */
    private static void copy(ByteStream from, ByteStream to) throws IOException {
        byte[] buf = new byte[64 * 1024];
        for (int n; (n = from.read(buf, 0, buf.length)) > 0; ) to.writeAll(buf, 0, n);
    }
}
