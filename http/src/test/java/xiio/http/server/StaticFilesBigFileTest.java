package xiio.http.server;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import xiio.thread.ThreadPool;

/**
 * A 50 MB file: downloaded whole by curl and checked by SHA-256, its end asked for
 * as a range, and sent to a client that never reads, which must cost the server a
 * bounded amount (the writer waits, the reading stops, the write timeout ends it).
 */
class StaticFilesBigFileTest {
    private static final int SIZE = 50 << 20;
    private static StaticFilesFixture tree;
    private static byte[] bytes;
    private static String sha256;

    @BeforeAll
    static void makeTree() throws Exception {
        tree = new StaticFilesFixture();
        bytes = new byte[SIZE];
        new Random(50).nextBytes(bytes);
        StaticFilesFixture.write(tree.root.resolve("big.bin"), bytes);
        sha256 = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    }

    @AfterAll
    static void removeTree() throws IOException {
        bytes = null;
        tree.close();
    }

    @Test
    void curlDownloadsIt() throws Exception {
        Path out = tree.base.resolve("download.bin");
        String status = tree.serve(tree.files().build().addTo(new Router()), port -> {
            long t0 = System.nanoTime();
            String s = StaticFilesPathTest.curl("-o", out.toString(), "http://127.0.0.1:" + port + "/files/big.bin");
            System.out.printf("50 MB by curl: %d ms%n", (System.nanoTime() - t0) / 1_000_000);
            return s;
        });
        assertEquals("200", status);
        Process sum = new ProcessBuilder("sha256sum", out.toString()).start();
        String line = new String(sum.getInputStream().readAllBytes(), StandardCharsets.US_ASCII);
        assertEquals(0, sum.waitFor());
        assertEquals(sha256, line.split(" ")[0], "sha256sum of what curl wrote");
        Files.delete(out);
    }

    @Test
    void rangesAtTheEndOfIt() throws Exception {
        Path out = tree.base.resolve("tail.bin");
        StaticFilesFixture.Raw suffix = tree.serve(tree.files().build().addTo(new Router()), port -> {
            assertEquals("206", StaticFilesPathTest.curl("-r", (SIZE - 1_000_000) + "-", "-o", out.toString(),
                    "http://127.0.0.1:" + port + "/files/big.bin"));
            return StaticFilesFixture.request(port, "GET", "/files/big.bin", "Range: bytes=-7");
        });
        assertArrayEquals(Arrays.copyOfRange(bytes, SIZE - 1_000_000, SIZE), Files.readAllBytes(out));
        assertEquals("bytes " + (SIZE - 7) + "-" + (SIZE - 1) + "/" + SIZE, suffix.field("Content-Range"));
        assertArrayEquals(Arrays.copyOfRange(bytes, SIZE - 7, SIZE), suffix.body());
        Files.delete(out);
    }

    /** {@code files} with its bodies watched: how far each got, and that it ended. */
    static Handler watched(StaticFiles files, AtomicLong written, AtomicBoolean ended) {
        return r -> {
            Response inner = files.handle(r);
            return Response.of(inner.status(), inner.header("Content-Type"), new Response.Body() {
                @Override
                public long length() {
                    return inner.body().length();
                }

                @Override
                public void writeTo(BodyWriter out) throws Exception {
                    try {
                        inner.body().writeTo(out);
                    } finally {
                        written.set(out.bytesWritten());
                        ended.set(true);
                    }
                }

                @Override
                public void close() {
                    inner.body().close();
                }
            });
        };
    }

    /** Drops a file's pages from the page cache: written back first, then POSIX_FADV_DONTNEED through dd. */
    private static void evict(Path p) throws Exception {
        for (String[] cmd : new String[][] {{"sync", p.toString()}, {"dd", "if=" + p, "iflag=nocache", "count=0", "status=none"}}) {
            Process proc = new ProcessBuilder(cmd).redirectErrorStream(true).start();
            String out = new String(proc.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertEquals(0, proc.waitFor(), String.join(" ", cmd) + ": " + out);
        }
    }

    @Test
    void aFileNotInThePageCacheIsReadOnAWorkerAndArrivesIntact() throws Exception {
        Path cold = tree.root.resolve("cold.bin");
        byte[] content = Arrays.copyOf(bytes, 8 << 20);
        StaticFilesFixture.write(cold, content);
        evict(cold);
        Path out = tree.base.resolve("cold-download.bin");
        long[] fromWorkers = new long[2];
        try (ThreadPool disk = new ThreadPool("static-disk", 2)) {
            tree.serve(tree.files().threadPool(disk).build().addTo(new Router()), port -> {
                String url = "http://127.0.0.1:" + port + "/files/cold.bin";
                long before = FileBody.PIECES_FROM_WORKERS.sum();
                assertEquals("200", StaticFilesPathTest.curl("-o", out.toString(), url));
                fromWorkers[0] = FileBody.PIECES_FROM_WORKERS.sum() - before;
                assertArrayEquals(content, Files.readAllBytes(out));
                before = FileBody.PIECES_FROM_WORKERS.sum();
                assertEquals("200", StaticFilesPathTest.curl("-o", out.toString(), url)); // now it is in the page cache
                fromWorkers[1] = FileBody.PIECES_FROM_WORKERS.sum() - before;
                return null;
            });
        }
        System.out.printf("8 MB cold: %d pieces read on a worker first; warm: %d%n", fromWorkers[0], fromWorkers[1]);
        assertTrue(fromWorkers[0] > 0, "a file not in the page cache was copied from its mapping on the loop");
        assertEquals(0, fromWorkers[1], "a file in the page cache went to a worker");
        assertArrayEquals(content, Files.readAllBytes(out));
        Files.delete(out);
        Files.delete(cold);
    }

    @Test
    void aFileTruncatedWhileItIsSentEndsTheConnectionAndTheServerGoesOn() throws Exception {
        Path shrinking = StaticFilesFixture.write(tree.root.resolve("shrinking.bin"), Arrays.copyOf(bytes, 20 << 20));
        long[] got = new long[1];
        StaticFilesFixture.Raw after = tree.serve(tree.files().build().addTo(new Router()), port -> {
            try (Socket s = new Socket("127.0.0.1", port)) {
                s.setSoTimeout(20_000);
                s.getOutputStream().write("GET /files/shrinking.bin HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
                InputStream in = s.getInputStream();
                byte[] buf = new byte[64 * 1024];
                long n = 0;
                for (int r; n < 1 << 20 && (r = in.read(buf)) > 0; ) n += r;
                try (java.nio.channels.FileChannel w = java.nio.channels.FileChannel.open(shrinking, java.nio.file.StandardOpenOption.WRITE)) {
                    w.truncate(1000);
                }
                for (int r; (r = in.read(buf)) > 0; ) n += r; // until the server closes
                got[0] = n;
            }
            return StaticFilesFixture.request(port, "GET", "/files/shrinking.bin");
        });
        assertTrue(got[0] < 20 << 20, "a body longer than the file: " + got[0]);
        assertEquals(200, after.status(), "the next request is answered");
        assertArrayEquals(Arrays.copyOf(bytes, 1000), after.body());
    }

    @Test
    void offsetsPastTwoAndFourGibibytesInASparseFile() throws Exception {
        long size = 5L << 30; // sparse: a few blocks on disk
        long at4g = 4L << 30;
        Path sparse = tree.root.resolve("sparse.bin");
        byte[] marker = "marker at 4 GiB".getBytes(StandardCharsets.US_ASCII), end = "the last bytes".getBytes(StandardCharsets.US_ASCII);
        try (java.io.RandomAccessFile f = new java.io.RandomAccessFile(sparse.toFile(), "rw")) {
            f.setLength(size);
            f.seek(at4g);
            f.write(marker);
            f.seek(size - end.length);
            f.write(end);
        }
        StaticFilesFixture.Raw[] got = tree.serve(tree.files().build().addTo(new Router()), port -> new StaticFilesFixture.Raw[] {
            StaticFilesFixture.request(port, "HEAD", "/files/sparse.bin"),
            StaticFilesFixture.request(port, "GET", "/files/sparse.bin", "Range: bytes=-" + end.length),
            StaticFilesFixture.request(port, "GET", "/files/sparse.bin", "Range: bytes=" + at4g + "-" + (at4g + marker.length - 1)),
            StaticFilesFixture.request(port, "GET", "/files/sparse.bin", "Range: bytes=" + (at4g - 2) + "-" + (at4g + 1) + "," + (size - 1) + "-"),
        });
        Files.delete(sparse);
        assertEquals(String.valueOf(size), got[0].field("Content-Length"));
        assertEquals("bytes " + (size - end.length) + "-" + (size - 1) + "/" + size, got[1].field("Content-Range"));
        assertArrayEquals(end, got[1].body());
        assertArrayEquals(marker, got[2].body());
        List<StaticFilesRangeTest.Part> parts = StaticFilesRangeTest.parseMultipart(got[3]);
        assertEquals("bytes " + (at4g - 2) + "-" + (at4g + 1) + "/" + size, parts.get(0).contentRange());
        assertArrayEquals(new byte[] {0, 0, 'm', 'a'}, parts.get(0).bytes());
        assertArrayEquals(new byte[] {'s'}, parts.get(1).bytes());
    }

    @Test
    void aClientThatResetsMidwayEndsTheBodyAndTheFileIsClosed() throws Exception {
        AtomicLong written = new AtomicLong();
        AtomicBoolean ended = new AtomicBoolean();
        long[] endedAfterMillis = {-1};
        tree.serve(new Router().get("/files/{path...}", watched(tree.files().build(), written, ended)), port -> {
            try (Socket s = new Socket("127.0.0.1", port)) {
                s.getOutputStream().write("GET /files/big.bin HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
                InputStream in = s.getInputStream();
                byte[] buf = new byte[64 * 1024];
                for (long got = 0; got < 1 << 20; ) got += in.read(buf);
                s.setSoLinger(true, 0); // close with a reset
                long t0 = System.nanoTime();
                s.close();
                while (!ended.get() && System.nanoTime() - t0 < TimeUnit.SECONDS.toNanos(10)) Thread.sleep(5);
                endedAfterMillis[0] = (System.nanoTime() - t0) / 1_000_000;
                return null;
            }
        });
        assertTrue(ended.get(), "the body still ran after the reset");
        System.out.printf("reset after 1 MB: the body ended %d ms later, at %d KiB%n", endedAfterMillis[0], written.get() >> 10);
        assertTrue(written.get() < SIZE, "the whole file was sent to a client that had gone");
    }

    @Test
    void aClientThatNeverReadsCostsABoundedAmount() throws Exception {
        AtomicLong written = new AtomicLong();
        AtomicBoolean ended = new AtomicBoolean();
        Handler watched = watched(tree.files().build(), written, ended);
        ServerConfig config = ServerConfig.DEFAULT.withWriteTimeout(Duration.ofMillis(500));
        tree.serve(new Router().get("/files/{path...}", watched), config, port -> {
            try (Socket s = new Socket()) {
                s.setReceiveBufferSize(64 * 1024);
                s.connect(new InetSocketAddress("127.0.0.1", port));
                OutputStream o = s.getOutputStream();
                o.write("GET /files/big.bin HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
                while (!ended.get() && System.nanoTime() < deadline) Thread.sleep(20); // and never read
                InputStream in = s.getInputStream();
                assertTrue(in.read() >= 0, "what the kernel buffered is still there to read");
                return null;
            }
        });
        assertTrue(ended.get(), "the stalled body was not given up on");
        // what left the process sits in kernel buffers (a few MB at most); the server holds 64 KiB
        System.out.printf("sent to a client that read nothing: %d KiB of %d%n", written.get() >> 10, SIZE >> 10);
        assertTrue(written.get() < 16L << 20, "read and sent " + written.get() + " bytes to a client that read nothing");
    }
}
