package xiio.docs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import xiio.concurrent.TaskGroup;
import xiio.concurrent.Timeout;
import xiio.core.Xiio;
import xiio.file.AsyncFile;
import xiio.io.FdStream;
import xiio.io.Pipe;
import xiio.io.StreamReader;
import xiio.io.StreamWriter;
import xiio.net.Dns;
import xiio.net.TcpListener;
import xiio.net.TcpStream;
import xiio.net.UdpSocket;
import xiio.net.UnixAddress;
import xiio.net.UnixListener;
import xiio.net.UnixStream;

/** The examples of docs/guide-io-net.md, on real pipes and loopback sockets. */
class GuideIoNetTest {

    @Test
    void pipeStreams() throws Exception {
        String got = Xiio.run(() -> {
            // region pipe
            try (Pipe pipe = Pipe.open()) {
                FdStream out = pipe.writer(), in = pipe.reader();
                byte[] ping = "ping".getBytes(StandardCharsets.UTF_8);
                out.writeAll(ping, 0, ping.length);        // tries at once; waits only on EAGAIN
                out.close();                               // the reader sees end of stream after the data
                byte[] buf = new byte[16];
                int n = in.read(buf, 0, buf.length);       // waits until readable, then one read(2): 4
                int end = in.read(buf, 0, buf.length);     // -1
                return new String(buf, 0, n, StandardCharsets.UTF_8) + " " + end;
            }
            // endregion
        });
        assertEquals("ping -1", got);
    }

    // region serve
    /** Answers every line with the line in upper case, until the client half-closes. */
    static Void serveUpperCase(TcpStream conn, Duration idleLimit) throws Exception {
        try (conn) {
            StreamReader in = new StreamReader(conn);
            StreamWriter out = new StreamWriter(conn, 16 * 1024);   // at most 16 KiB pending
            String line;
            while ((line = Timeout.withTimeout(idleLimit, () -> in.readLine(8192))) != null) {
                byte[] reply = (line.toUpperCase() + "\n").getBytes(StandardCharsets.UTF_8);
                out.writeAll(reply, 0, reply.length);               // waits only when 16 KiB are pending
                if (in.buffered() == 0) out.flush();                // pipelined lines share one write
            }
            out.flush();
        } catch (IOException | TimeoutException e) {   // reset, idle, a line over 8 KiB: this client only
            System.err.println(conn.remoteAddress() + ": " + e.getMessage());
        }
        return null;
    }
    // endregion

    @Test
    void tcpServerAndClient() throws Exception {
        List<String> replies = Xiio.run(() -> {
            // region tcp
            try (TcpListener listener = TcpListener.bind(new InetSocketAddress("127.0.0.1", 0))) {
                int port = listener.localAddress().getPort();
                return TaskGroup.scope(group -> {
                    group.spawn("accept loop", () -> {
                        while (true) {
                            TcpStream conn = listener.accept();
                            group.spawn("conn " + conn.remoteAddress(), () -> serveUpperCase(conn, Duration.ofSeconds(30)));
                        }
                    });
                    List<String> got = new ArrayList<>();
                    try (TcpStream client = TcpStream.connect("127.0.0.1", port)) {
                        client.setNoDelay(true);
                        byte[] request = "hello\nworld\n".getBytes(StandardCharsets.UTF_8);
                        client.writeAll(request, 0, request.length);
                        client.shutdownOutput();                    // half-close: "no more lines"
                        StreamReader in = new StreamReader(client);
                        for (String line; (line = in.readLine(8192)) != null; ) got.add(line);
                    }
                    group.cancel();                                 // stops the accept loop
                    return got;
                });
            }
            // endregion
        });
        assertEquals(List.of("HELLO", "WORLD"), replies);
    }

    /** The line server outlives what one client can do to it: reset mid-conversation, or say nothing. */
    @Test
    void theLineServerOutlivesAClientThatResetsAndOneThatSitsIdle() throws Exception {
        List<String> replies = Xiio.run(() -> {
            try (TcpListener listener = TcpListener.bind(new InetSocketAddress("127.0.0.1", 0))) {
                int port = listener.localAddress().getPort();
                return TaskGroup.scope(group -> {
                    group.spawn("accept loop", () -> {
                        while (true) {
                            TcpStream conn = listener.accept();
                            group.spawn(() -> serveUpperCase(conn, Duration.ofMillis(300)));
                        }
                    });
                    List<String> got = new ArrayList<>();
                    try (TcpStream idle = TcpStream.connect("127.0.0.1", port);
                         TcpStream good = TcpStream.connect("127.0.0.1", port)) {
                        try (TcpStream resetting = TcpStream.connect("127.0.0.1", port)) {
                            byte[] lines = "one\n".repeat(10_000).getBytes(StandardCharsets.UTF_8);
                            resetting.writeAll(lines, 0, lines.length);   // never reads the answers
                            resetting.reset();
                        }
                        got.add(ask(good, "hello"));
                        byte[] buf = new byte[1];
                        got.add("idle client read " + Timeout.withTimeout(Duration.ofSeconds(10), () -> idle.read(buf, 0, 1)));
                    }
                    try (TcpStream late = TcpStream.connect("127.0.0.1", port)) {
                        got.add(ask(late, "still serving"));
                    }
                    group.cancel();
                    return got;
                });
            }
        });
        assertEquals(List.of("HELLO", "idle client read -1", "STILL SERVING"), replies);
    }

    private static String ask(TcpStream conn, String line) throws Exception {
        byte[] request = (line + "\n").getBytes(StandardCharsets.UTF_8);
        conn.writeAll(request, 0, request.length);
        return Timeout.withTimeout(Duration.ofSeconds(10), () -> new StreamReader(conn).readLine(8192));
    }

    @Test
    void exactSizesAndDelimiters() throws Exception {
        List<String> got = Xiio.run(() -> {
            try (Pipe pipe = Pipe.open()) {
                byte[] data = "\u0000\u0000\u0000\u0005hellokey=value;rest".getBytes(StandardCharsets.UTF_8);
                pipe.writer().writeAll(data, 0, data.length);
                pipe.writer().close();
                // region frames
                StreamReader in = new StreamReader(pipe.reader());
                int length = java.nio.ByteBuffer.wrap(in.readExactly(4)).getInt();   // a 4-byte length prefix
                String body = new String(in.readExactly(length), StandardCharsets.UTF_8);
                byte[] field = in.readUntil(";".getBytes(StandardCharsets.UTF_8), 256);   // "key=value;"
                // endregion
                return List.of(body, new String(field, StandardCharsets.UTF_8), in.readLine(100));
            }
        });
        assertEquals(List.of("hello", "key=value;", "rest"), got);
    }

    @Test
    void regularFiles(@TempDir Path dir) throws Exception {
        Path path = dir.resolve("notes.txt");
        List<String> got = Xiio.run(() -> {
            // region files
            try (AsyncFile file = AsyncFile.open(path, StandardOpenOption.READ, StandardOpenOption.WRITE,
                    StandardOpenOption.CREATE)) {
                byte[] text = "hello, disk\nsecond line\n".getBytes(StandardCharsets.UTF_8);
                file.writeAll(0, text, 0, text.length);       // at a position: the file keeps none
                file.force(false);                            // fdatasync: on the device now
                byte[] word = new byte[4];
                file.readNBytes(7, word, 0, word.length);     // "disk"; any number of readers at once
                StreamReader lines = new StreamReader(file.stream(12));   // a sequential view from byte 12
                return List.of(new String(word, StandardCharsets.UTF_8), lines.readLine(100),
                        String.valueOf(file.size()));         // ["disk", "second line", "24"]
            }
            // endregion
        });
        assertEquals(List.of("disk", "second line", "24"), got);
    }

    @Test
    void copyingAFileInPieces(@TempDir Path dir) throws Exception {
        Path path = dir.resolve("big.bin");
        java.nio.file.Files.write(path, new byte[8 << 20]);
        long total = Xiio.run(() -> {
            // region file-copy
            try (AsyncFile in = AsyncFile.open(path);
                 AsyncFile out = AsyncFile.open(path.resolveSibling("copy.bin"), StandardOpenOption.WRITE,
                         StandardOpenOption.CREATE_NEW)) {
                byte[] buf = new byte[256 * 1024];
                long at = 0;
                for (int n; (n = in.read(at, buf, 0, buf.length)) > 0; at += n) {
                    out.writeAll(at, buf, 0, n);   // every coroutine of the run keeps going meanwhile
                }
                return at;
            }
            // endregion
        });
        assertEquals(8 << 20, total);
        assertEquals(8 << 20, java.nio.file.Files.size(dir.resolve("copy.bin")));
    }

    @Test
    void unixSockets(@TempDir Path dir) throws Exception {
        String got = Xiio.run(() -> {
            Path socketFile = dir.resolve("app.sock");
            // region unix
            try (UnixListener listener = UnixListener.bind(UnixAddress.of(socketFile))) {
                return TaskGroup.scope(group -> {
                    group.spawn("server", () -> {
                        try (UnixStream conn = listener.accept()) {
                            byte[] hi = "hi\n".getBytes(StandardCharsets.UTF_8);
                            conn.writeAll(hi, 0, hi.length);
                        }
                        return null;
                    });
                    try (UnixStream conn = UnixStream.connect(UnixAddress.of(socketFile))) {
                        return new StreamReader(conn).readLine(100);   // "hi"
                    }
                });
            }                                           // close() deletes the socket file
            // endregion
        });
        assertEquals("hi", got);
        assertFalse(dir.resolve("app.sock").toFile().exists());
    }

    @Test
    void abstractUnixNames() throws Exception {
        String name = "xiio-guide-" + ProcessHandle.current().pid();
        String got = Xiio.run(() -> {
            // region abstract
            UnixAddress address = UnixAddress.ofAbstract(name);   // no file; gone with the socket
            // endregion
            try (UnixListener listener = UnixListener.bind(address);
                 UnixStream client = UnixStream.connect(address);
                 UnixStream server = listener.accept()) {
                return server.remoteAddress() + " -> " + listener.localAddress();
            }
        });
        assertTrue(got.endsWith("-> @" + name), got);
    }

    @Test
    void udp() throws Exception {
        String got = Xiio.run(() -> {
            // region udp
            try (UdpSocket server = UdpSocket.bind(new InetSocketAddress("127.0.0.1", 0));
                 UdpSocket client = UdpSocket.bind(new InetSocketAddress("127.0.0.1", 0))) {
                byte[] query = "time?".getBytes(StandardCharsets.UTF_8);
                client.send(query, 0, query.length, server.localAddress());
                byte[] buf = new byte[1500];
                UdpSocket.Received q = server.receiveFrom(buf, 0, buf.length);   // one whole datagram
                server.send(buf, 0, q.length(), q.sender());                     // echo it to its sender
                int n = client.receive(buf, 0, buf.length);
                return new String(buf, 0, n, StandardCharsets.UTF_8);
            }
            // endregion
        });
        assertEquals("time?", got);
    }

    @Test
    void dnsAndHappyEyeballs() throws Exception {
        String got = Xiio.run(() -> {
            // region dns
            List<InetAddress> addresses = Timeout.withTimeout(Duration.ofSeconds(5), () -> Dns.resolve("localhost"));
            // endregion
            assertFalse(addresses.isEmpty());
            try (TcpListener listener = TcpListener.bind(new InetSocketAddress("127.0.0.1", 0))) {
                int port = listener.localAddress().getPort();
                return TaskGroup.scope(group -> {
                    group.spawn("accept", () -> { listener.accept().close(); return null; });
                    // region eyeballs
                    // tries every address of "localhost" (say ::1, then 127.0.0.1), a new attempt
                    // every 250 ms or as soon as one fails; the first to connect wins
                    try (TcpStream conn = Timeout.withTimeout(Duration.ofSeconds(5),
                            () -> TcpStream.connect("localhost", port))) {
                        return conn.remoteAddress().getAddress().getHostAddress();   // 127.0.0.1
                    }
                    // endregion
                });
            }
        });
        assertEquals("127.0.0.1", got);
    }

    @Test
    void refusedConnectionsUseTheJdkTypes() throws Exception {
        String message = Xiio.run(() -> {
            int port;
            try (TcpListener listener = TcpListener.bind(new InetSocketAddress("127.0.0.1", 0))) {
                port = listener.localAddress().getPort();
            }                                                  // nothing listens there now
            // region refused
            try {
                TcpStream.connect(new InetSocketAddress("127.0.0.1", port)).close();
                return "connected";
            } catch (ConnectException e) {
                return e.getMessage();     // "connect to 127.0.0.1:PORT: ECONNREFUSED (Connection refused)"
            }
            // endregion
        });
        assertTrue(message.contains("ECONNREFUSED"), message);
    }
}
