package xiio.http.server;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.io.RandomAccessFile;
import java.lang.management.ManagementFactory;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import xiio.tls.TlsConfig;
import xiio.tls.TlsContextBuilder;

/**
 * Static files with sendfile(2): byte-exact over plain HTTP (whole, one range) where
 * {@link ZeroCopySend} counts the bodies it sent, and over HTTPS and as multipart,
 * which must keep the copying path; a client that reads nothing of a 100 MB file is
 * dropped after the write timeout with the server's memory untouched.
 */
class StaticFilesSendFileTest {
    private static final int SIZE = 12 << 20;
    private static StaticFilesFixture tree;
    private static byte[] bytes;
    private static TlsConfig tls;

    @BeforeAll
    static void makeTree() throws Exception {
        tree = new StaticFilesFixture();
        bytes = new byte[SIZE];
        new Random(12).nextBytes(bytes);
        StaticFilesFixture.write(tree.root.resolve("big.bin"), bytes);
        Path cert = tree.base.resolve("cert.pem"), key = tree.base.resolve("key.pem");
        HttpServerClientsTest.run(null, "openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256",
                "-nodes", "-keyout", key.toString(), "-out", cert.toString(), "-days", "2",
                "-subj", "/CN=localhost", "-addext", "subjectAltName=DNS:localhost,IP:127.0.0.1");
        tls = TlsConfig.of(new TlsContextBuilder().pemKey(cert, key).build()).withApplicationProtocols("http/1.1");
    }

    @AfterAll
    static void removeTree() throws IOException {
        bytes = null;
        tree.close();
    }

    private static long sendfileBodies() {
        return ZeroCopySend.BODIES.sum();
    }

    @Test
    void plainHttpSendsTheFileAndOneRangeWithSendfileByteExact() throws Exception {
        Path whole = tree.base.resolve("whole.bin"), range = tree.base.resolve("range.bin");
        long[] bodies = new long[4];
        StaticFilesFixture.Raw[] raw = tree.serve(tree.files().build().addTo(new Router()), port -> {
            String url = "http://127.0.0.1:" + port + "/files/big.bin";
            bodies[0] = sendfileBodies();
            assertEquals("200", StaticFilesPathTest.curl("-o", whole.toString(), url));
            assertEquals("206", StaticFilesPathTest.curl("-r", "1000001-9000000", "-o", range.toString(), url));
            bodies[1] = sendfileBodies();
            StaticFilesFixture.Raw multipart = StaticFilesFixture.request(port, "GET", "/files/big.bin", "Range: bytes=0-9,200000-299999");
            StaticFilesFixture.Raw head = StaticFilesFixture.request(port, "HEAD", "/files/big.bin");
            StaticFilesFixture.Raw notModified = StaticFilesFixture.request(port, "GET", "/files/big.bin",
                    "If-None-Match: " + head.field("ETag"));
            // a small region is copied from the mapping: a second open of the file would cost more
            StaticFilesFixture.Raw small = StaticFilesFixture.request(port, "GET", "/files/big.bin", "Range: bytes=5-" + (4 + ZeroCopySend.MIN_BYTES - 1));
            bodies[2] = sendfileBodies();
            return new StaticFilesFixture.Raw[] {multipart, head, notModified, small};
        });
        assertArrayEquals(bytes, Files.readAllBytes(whole));
        assertArrayEquals(Arrays.copyOfRange(bytes, 1_000_001, 9_000_001), Files.readAllBytes(range));
        assertEquals(2, bodies[1] - bodies[0], "the whole file and the range went with sendfile");

        List<StaticFilesRangeTest.Part> parts = StaticFilesRangeTest.parseMultipart(raw[0]);
        assertArrayEquals(Arrays.copyOfRange(bytes, 0, 10), parts.get(0).bytes());
        assertArrayEquals(Arrays.copyOfRange(bytes, 200_000, 300_000), parts.get(1).bytes());
        assertEquals(String.valueOf(SIZE), raw[1].field("Content-Length"));
        assertEquals(0, raw[1].body().length, "a HEAD has no body");
        assertEquals(304, raw[2].status());
        assertArrayEquals(Arrays.copyOfRange(bytes, 5, 5 + (int) ZeroCopySend.MIN_BYTES - 1), raw[3].body());
        assertEquals(0, bodies[2] - bodies[1], "multipart, HEAD, 304 and a small range send no file with sendfile");
        Files.delete(whole);
        Files.delete(range);
    }

    @Test
    void httpsServesTheFileAndARangeByteExactByCopying() throws Exception {
        Path whole = tree.base.resolve("tls-whole.bin"), range = tree.base.resolve("tls-range.bin");
        long before = sendfileBodies();
        HttpServer server = new HttpServer(tree.files().build().addTo(new Router()), ServerConfig.DEFAULT);
        ServerFixture.withServer(server, tls, port -> {
            String url = "https://127.0.0.1:" + port + "/files/big.bin";
            HttpServerClientsTest.curl(null, "--http1.1", "-k", "-sS", "-o", whole.toString(), url);
            HttpServerClientsTest.curl(null, "--http1.1", "-k", "-sS", "-r", "-777777", "-o", range.toString(), url);
            return null;
        });
        assertEquals(List.of(), StaticFilesFixture.openFilesUnder(tree.root), "files the server left open");
        assertEquals(before, sendfileBodies(), "TLS cannot use sendfile");
        assertArrayEquals(bytes, Files.readAllBytes(whole));
        assertArrayEquals(Arrays.copyOfRange(bytes, SIZE - 777_777, SIZE), Files.readAllBytes(range));
        Files.delete(whole);
        Files.delete(range);
    }

    @Test
    void aClientThatReadsNothingOfAHundredMegabytesIsDroppedAfterTheWriteTimeout() throws Exception {
        Path hundred = tree.root.resolve("hundred.bin");
        try (RandomAccessFile f = new RandomAccessFile(hundred.toFile(), "rw")) {
            f.setLength(100L << 20); // sparse: read as zeros, without 100 MB of disk
        }
        AtomicLong written = new AtomicLong();
        AtomicBoolean ended = new AtomicBoolean();
        Duration writeTimeout = Duration.ofMillis(500);
        ServerConfig config = ServerConfig.DEFAULT.withWriteTimeout(writeTimeout);
        // the server runs on this thread (the fixture's run): what it allocates meanwhile is its memory cost
        long loopThread = Thread.currentThread().threadId();
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long before = sendfileBodies();
        long[] measured = new long[3];
        tree.serve(new Router().get("/files/{path...}", StaticFilesBigFileTest.watched(tree.files().build(), written, ended)), config, port -> {
            try (Socket s = new Socket()) {
                s.setReceiveBufferSize(64 * 1024);
                s.connect(new InetSocketAddress("127.0.0.1", port));
                long allocated0 = threads.getThreadAllocatedBytes(loopThread);
                long t0 = System.nanoTime();
                s.getOutputStream().write("GET /files/hundred.bin HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
                long deadline = t0 + TimeUnit.SECONDS.toNanos(30);
                while (!ended.get() && System.nanoTime() < deadline) Thread.sleep(10); // and never read
                measured[0] = (System.nanoTime() - t0) / 1_000_000;
                measured[1] = threads.getThreadAllocatedBytes(loopThread) - allocated0;
                InputStream in = s.getInputStream();
                byte[] buf = new byte[64 * 1024];
                long got = 0;
                try {
                    for (int r; (r = in.read(buf)) > 0; ) got += r; // what the kernel had buffered, then the close
                } catch (java.net.SocketException reset) {
                    // a close with unsent bytes may reach the client as a reset
                }
                measured[2] = got;
                return null;
            }
        });
        Files.delete(hundred);
        System.out.printf("100 MB to a client that read nothing: dropped after %d ms, %d KiB sent, %d KiB allocated by the loop%n",
                measured[0], written.get() >> 10, measured[1] >> 10);
        assertTrue(ended.get(), "the stalled body was not given up on");
        assertEquals(1, sendfileBodies() - before, "the body went with sendfile");
        assertTrue(measured[0] >= writeTimeout.toMillis(), "dropped before the write timeout: " + measured[0] + " ms");
        assertTrue(written.get() < 16L << 20, "sent " + written.get() + " bytes to a client that read nothing");
        assertTrue(measured[2] <= written.get() + 1024, "the client got more than was sent: " + measured[2]);
        assertTrue(measured[1] < 8L << 20, "the loop allocated " + measured[1] + " bytes for a stalled body");
    }
}
