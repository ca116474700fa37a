package xiio.fault;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import xiio.concurrent.TaskGroup;
import xiio.core.Xiio;
import xiio.net.TcpListener;
import xiio.net.TcpStream;

/**
 * The smallest server on the library's accept loop, for {@link OutOfFdsTest} to run in
 * a child JVM: it prints its port, then echoes every connection until the peer closes.
 * Nothing here handles EMFILE; the accept loop must.
 *
 * <p>It first loads every class of the library. In production the library is a jar,
 * which the JVM keeps open; here it is a directory of class files, and the first use of
 * a class opens its file, which fails out of fds with a {@code NoClassDefFoundError}
 * that says nothing about the accept loop.
 */
public final class OutOfFdsEchoServer {
    private OutOfFdsEchoServer() {}

    public static void main(String[] args) throws Exception {
        loadLibraryClasses();
        Xiio.run(() -> {
            try (TcpListener listener = TcpListener.bind(new InetSocketAddress(InetAddress.ofLiteral("127.0.0.1"), 0))) {
                System.out.println("listening on port " + listener.localAddress().getPort());
                System.out.flush();
                return TaskGroup.scope(group -> {
                    while (true) {
                        TcpStream conn = listener.accept();
                        group.spawn(() -> echo(conn));
                    }
                });
            }
        });
    }

    /** Loads (without initializing) every class under {@code xiio/} of the directories on the class path. */
    private static void loadLibraryClasses() throws IOException {
        for (String entry : System.getProperty("java.class.path").split(java.io.File.pathSeparator)) {
            Path dir = Path.of(entry);
            if (!Files.isDirectory(dir.resolve("xiio"))) continue;
            try (Stream<Path> files = Files.walk(dir.resolve("xiio"))) {
                for (Path f : files.filter(p -> p.toString().endsWith(".class")).toList()) {
                    String name = dir.relativize(f).toString().replace('/', '.').replaceAll("\\.class$", "");
                    try {
                        Class.forName(name, false, OutOfFdsEchoServer.class.getClassLoader());
                    } catch (ClassNotFoundException | LinkageError notNeeded) {
                        // a test class whose dependencies are elsewhere: the server does not use it
                    }
                }
            }
        }
    }

    private static Void echo(TcpStream conn) {
        try (conn) {
            byte[] buf = new byte[1024];
            for (int n; (n = conn.read(buf, 0, buf.length)) > 0; ) conn.writeAll(buf, 0, n);
        } catch (IOException peerGone) {
            // this connection is over; the server goes on
        }
        return null;
    }
}
