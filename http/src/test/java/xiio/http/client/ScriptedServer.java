package xiio.http.client;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import xiio.concurrent.Task;
import xiio.concurrent.TaskGroup;
import xiio.io.StreamReader;
import xiio.net.TcpListener;
import xiio.net.TcpStream;

/**
 * A raw-socket HTTP peer for tests, running in the test's own run: it accepts on
 * 127.0.0.1 and hands each connection to a script that may answer properly, lie,
 * stall or hang up. It counts connections, and the most open at once.
 */
final class ScriptedServer {
    /** What the server does with one connection. */
    @FunctionalInterface
    interface Script {
        void serve(Connection c) throws Exception;
    }

    /** The test's code, run while the server accepts. */
    @FunctionalInterface
    interface Body<T> {
        T run(ScriptedServer server) throws Exception;
    }

    /** One accepted connection, with helpers to read requests and write raw bytes. */
    static final class Connection {
        final TcpStream tcp;
        final StreamReader in;
        final int index;

        Connection(TcpStream tcp, int index) {
            this.tcp = tcp;
            this.in = new StreamReader(tcp);
            this.index = index;
        }

        /** The request head's lines (request line first), or null if the client closed first. */
        List<String> readHead() throws IOException {
            List<String> lines = new ArrayList<>();
            for (String line; (line = in.readLine(65536, StandardCharsets.ISO_8859_1)) != null; ) {
                if (line.isEmpty()) return lines;
                lines.add(line);
            }
            return lines.isEmpty() ? null : lines;
        }

        /** Reads a request head and its Content-Length body; null at a clean close. */
        Request readRequest() throws IOException {
            List<String> head = readHead();
            if (head == null) return null;
            String length = header(head, "Content-Length");
            byte[] body = length == null ? new byte[0] : in.readExactly(Integer.parseInt(length));
            return new Request(head, body);
        }

        void write(String raw) throws IOException {
            byte[] b = raw.getBytes(StandardCharsets.ISO_8859_1);
            tcp.writeAll(b, 0, b.length);
        }

        /** A complete 200 response with {@code body} and a Content-Length. */
        void ok(String body) throws IOException {
            write("HTTP/1.1 200 OK\r\nContent-Length: " + body.length() + "\r\n\r\n" + body);
        }
    }

    /** A request as the server read it. */
    record Request(List<String> head, byte[] body) {
        String line() {
            return head.getFirst();
        }

        String header(String name) {
            return ScriptedServer.header(head, name);
        }
    }

    static String header(List<String> head, String name) {
        for (String l : head.subList(1, head.size())) {
            int colon = l.indexOf(':');
            if (colon > 0 && l.substring(0, colon).equalsIgnoreCase(name)) return l.substring(colon + 1).strip();
        }
        return null;
    }

    private final TcpListener listener;
    private int accepted, open, maxOpen;

    private ScriptedServer(TcpListener listener) {
        this.listener = listener;
    }

    /** Runs {@code body} while a server runs {@code script} for every connection (inside a run). */
    static <T> T with(Script script, Body<T> body) throws Exception {
        try (TcpListener l = TcpListener.bind(new InetSocketAddress(InetAddress.ofLiteral("127.0.0.1"), 0))) {
            ScriptedServer server = new ScriptedServer(l);
            return TaskGroup.scope(g -> {
                Task<Void> acceptor = g.spawn("scripted server", () -> server.acceptLoop(script));
                try {
                    return body.run(server);
                } finally {
                    acceptor.cancel();
                }
            });
        }
    }

    private Void acceptLoop(Script script) throws Exception {
        return TaskGroup.scope(conns -> {
            while (true) {
                TcpStream tcp = listener.accept();
                Connection c = new Connection(tcp, accepted++);
                maxOpen = Math.max(maxOpen, ++open);
                conns.spawn("connection " + c.index, () -> {
                    try (tcp) {
                        script.serve(c);
                    } catch (IOException peerLeft) {
                        // the client closed or reset: what several tests do on purpose
                    } finally {
                        open--;
                    }
                    return null;
                });
            }
        });
    }

    URI uri(String path) {
        return URI.create("http://127.0.0.1:" + listener.localAddress().getPort() + path);
    }

    int port() {
        return listener.localAddress().getPort();
    }

    /** Connections accepted so far. */
    int accepted() {
        return accepted;
    }

    /** The most connections open at once. */
    int maxOpen() {
        return maxOpen;
    }
}
