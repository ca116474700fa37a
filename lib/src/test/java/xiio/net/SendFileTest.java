package xiio.net;

import static java.nio.file.StandardOpenOption.CREATE;
import static java.nio.file.StandardOpenOption.READ;
import static java.nio.file.StandardOpenOption.WRITE;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.zip.CRC32;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import xiio.core.CancelScope;
import xiio.core.Xiio;
import xiio.file.AsyncFile;
import xiio.support.TcpPair;
import xiio.unix.Errno;
import xiio.unix.sys.Constants;
import xiio.unix.sys.FileSyscalls;

/**
 * sendfile(2) from a file to a socket ({@link xiio.io.FdStream#sendFile},
 * {@link AsyncFile#sendTo}), read on the other side by a plain JDK socket on a thread
 * of its own, so the receiving end is not the code under test.
 */
class SendFileTest {
    private static final int BIG = 20 * 1024 * 1024;

    @TempDir
    Path dir;

    private Path fileOf(byte[] content) throws IOException {
        Path p = dir.resolve("content.bin");
        Files.write(p, content);
        return p;
    }

    private static byte[] random(int n) {
        byte[] b = new byte[n];
        new Random(n).nextBytes(b);
        return b;
    }

    private static long crc(byte[] b, int off, int len) {
        CRC32 c = new CRC32();
        c.update(b, off, len);
        return c.getValue();
    }

    /** A JDK socket that connects to {@code port} and reads to end of stream, after {@code go} opens. */
    private static final class Reader extends Thread {
        final ByteArrayOutputStream got = new ByteArrayOutputStream();
        final AtomicReference<Throwable> failure = new AtomicReference<>();
        private final int port;
        private final CountDownLatch go;
        private final int receiveBuffer;

        Reader(int port, CountDownLatch go, int receiveBuffer) {
            super("sendfile-reader");
            this.port = port;
            this.go = go;
            this.receiveBuffer = receiveBuffer;
            setDaemon(true);
        }

        @Override
        public void run() {
            try (Socket s = new Socket()) {
                if (receiveBuffer > 0) s.setReceiveBufferSize(receiveBuffer); // before connect: the window is agreed then
                s.connect(new InetSocketAddress(InetAddress.ofLiteral("127.0.0.1"), port));
                go.await();
                InputStream in = s.getInputStream();
                byte[] buf = new byte[64 * 1024];
                for (int n; (n = in.read(buf)) > 0; ) got.write(buf, 0, n);
            } catch (Throwable t) {
                failure.set(t);
            }
        }

        byte[] finish() throws Throwable {
            join(TimeUnit.SECONDS.toMillis(60));
            assertTrue(!isAlive(), "the reader did not see the end of the stream");
            if (failure.get() != null) throw failure.get();
            return got.toByteArray();
        }
    }

    /** Sends {@code count} bytes from {@code offset} with as many calls as it takes; returns what was sent. */
    private static long sendAll(AsyncFile file, TcpStream out, long offset, long count) throws IOException {
        long sent = 0;
        while (sent < count) {
            long n = file.sendTo(out, offset + sent, count - sent);
            if (n < 0) break;
            sent += n;
        }
        return sent;
    }

    /** Accepts one connection of a {@link Reader} and runs {@code serve} on it, then closes it. */
    private interface Serve {
        long on(TcpStream conn) throws Exception;
    }

    private static long serveOne(Reader[] reader, CountDownLatch go, int receiveBuffer, Serve serve) throws Exception {
        return Xiio.run(() -> {
            try (TcpListener listener = TcpListener.bind(new InetSocketAddress(InetAddress.ofLiteral("127.0.0.1"), 0))) {
                reader[0] = new Reader(listener.localAddress().getPort(), go, receiveBuffer);
                reader[0].start();
                try (TcpStream conn = listener.accept()) {
                    return serve.on(conn);
                }
            }
        });
    }

    @Test
    void aTwentyMegabyteFileArrivesWhole() throws Throwable {
        byte[] content = random(BIG);
        Path p = fileOf(content);
        Reader[] reader = new Reader[1];
        long sent = serveOne(reader, new CountDownLatch(0), 0, conn -> {
            try (AsyncFile file = AsyncFile.open(p, READ)) {
                return sendAll(file, conn, 0, BIG);
            }
        });
        byte[] got = reader[0].finish();
        assertEquals(BIG, sent);
        assertEquals(BIG, got.length);
        assertEquals(crc(content, 0, BIG), crc(got, 0, got.length));
    }

    @Test
    void anOffsetAndCountSendThatSliceAndLeaveTheFilePositionAlone() throws Throwable {
        byte[] content = random(3 * 1024 * 1024 + 17);
        Path p = fileOf(content);
        int offset = 12_345, count = 2 * 1024 * 1024 + 3;
        Reader[] reader = new Reader[1];
        long[] pastEnd = new long[1];
        long sent = serveOne(reader, new CountDownLatch(0), 0, conn -> {
            int fd = FileSyscalls.get().open(p.toString(), Constants.O_RDONLY | Constants.O_CLOEXEC, 0);
            try {
                long total = 0;
                while (total < count) total += conn.sendFile(fd, offset + total, count - total);
                pastEnd[0] = conn.sendFile(fd, content.length, 10);
                byte[] first = new byte[4];
                // sendfile took an offset pointer: the fd's own position is still 0
                assertEquals(4, FileSyscalls.get().read(fd, first, 0, 4));
                assertArrayEquals(Arrays.copyOf(content, 4), first);
                return total;
            } finally {
                FileSyscalls.get().close(fd);
            }
        });
        byte[] got = reader[0].finish();
        assertEquals(count, sent);
        assertEquals(-1, pastEnd[0], "an offset at the end of the file is the end of the file");
        assertArrayEquals(Arrays.copyOfRange(content, offset, offset + count), got);
    }

    @Test
    void bytesWrittenBeforeAndAfterKeepTheirPlace() throws Throwable {
        // on io_uring the head goes through the ring's send: sendfile must wait for it
        byte[] content = random(1024 * 1024);
        Path p = fileOf(content);
        byte[] head = "HEAD-".repeat(10_000).getBytes(), tail = "-TAIL".getBytes();
        Reader[] reader = new Reader[1];
        serveOne(reader, new CountDownLatch(0), 0, conn -> {
            try (AsyncFile file = AsyncFile.open(p, READ)) {
                conn.writeAll(head, 0, head.length);
                sendAll(file, conn, 0, content.length);
                conn.writeAll(tail, 0, tail.length);
                return 0;
            }
        });
        byte[] got = reader[0].finish();
        byte[] expected = new byte[head.length + content.length + tail.length];
        System.arraycopy(head, 0, expected, 0, head.length);
        System.arraycopy(content, 0, expected, head.length, content.length);
        System.arraycopy(tail, 0, expected, head.length + content.length, tail.length);
        assertEquals(expected.length, got.length);
        assertArrayEquals(expected, got);
    }

    @Test
    void aDeadlineCancelsTheSendToAPeerThatStoppedReadingWithProgressCounted() throws Throwable {
        byte[] content = random(BIG);
        Path p = fileOf(content);
        Reader[] reader = new Reader[1];
        CountDownLatch go = new CountDownLatch(1);
        long[] sent = new long[1];
        Object[] outcome = new Object[1];
        serveOne(reader, go, 64 * 1024, conn -> {
            try (AsyncFile file = AsyncFile.open(p, READ)) {
                outcome[0] = CancelScope.open(Duration.ofMillis(300), scope -> {
                    while (true) {
                        long n = file.sendTo(conn, sent[0], BIG - sent[0]);
                        if (n < 0) return "ended";
                        sent[0] += n;
                    }
                });
            } finally {
                go.countDown(); // the reader reads what was sent, then the close ends it
            }
            return 0;
        });
        byte[] got = reader[0].finish();
        assertNull(outcome[0], "the deadline cancelled the send");
        assertTrue(sent[0] > 0 && sent[0] < BIG, "some bytes went before the peer's window filled: " + sent[0]);
        assertEquals(sent[0], got.length, "the peer got exactly what the calls reported, nothing twice");
        assertEquals(crc(content, 0, got.length), crc(got, 0, got.length));
    }

    @Test
    void badArgumentsAndClosedEndsFailClearly() throws Exception {
        Path p = fileOf(random(1000));
        Path writeOnly = dir.resolve("w.bin");
        Xiio.run(() -> {
            try (TcpPair pair = TcpPair.open(); AsyncFile file = AsyncFile.open(p, READ);
                 AsyncFile w = AsyncFile.open(writeOnly, WRITE, CREATE)) {
                TcpStream out = pair.server();
                IllegalArgumentException offset = assertThrows(IllegalArgumentException.class, () -> file.sendTo(out, -1, 10));
                assertTrue(offset.getMessage().contains("-1"), offset.getMessage());
                IllegalArgumentException count = assertThrows(IllegalArgumentException.class, () -> file.sendTo(out, 0, -5));
                assertTrue(count.getMessage().contains("count"), count.getMessage());
                assertThrows(IllegalArgumentException.class, () -> out.sendFile(0, -1, 1));
                assertThrows(IllegalArgumentException.class, () -> out.sendFile(0, 0, -1));
                assertEquals(0, file.sendTo(out, 0, 0));
                assertEquals(-1, file.sendTo(out, 1000, 1), "at the end of the file");
                IOException readOnly = assertThrows(IOException.class, () -> w.sendTo(out, 0, 1));
                assertTrue(readOnly.getMessage().contains("opened for"), readOnly.getMessage());

                // a closed file fd: EBADF, named
                int fd = FileSyscalls.get().open(p.toString(), Constants.O_RDONLY | Constants.O_CLOEXEC, 0);
                FileSyscalls.get().close(fd);
                IOException badFd = assertThrows(IOException.class, () -> out.sendFile(fd, 0, 1));
                assertEquals(Errno.EBADF, NetErrors.errno(badFd));
                assertTrue(badFd.getMessage().contains("sendfile(from fd " + fd + ")"), badFd.getMessage());

                // not a file: a socket has no offsets to read from (Linux says ESPIPE)
                IOException notFile = assertThrows(IOException.class, () -> out.sendFile(pair.client().fd(), 0, 1));
                assertEquals(Errno.ESPIPE, NetErrors.errno(notFile));

                // after shutdownOutput, nothing more goes out
                out.shutdownOutput();
                IOException shut = assertThrows(IOException.class, () -> file.sendTo(out, 0, 1));
                assertTrue(shut.getMessage().contains("shut down"), shut.getMessage());

                // a closed AsyncFile, and a closed stream
                file.close();
                IOException closedFile = assertThrows(IOException.class, () -> file.sendTo(pair.client(), 0, 1));
                assertTrue(closedFile.getMessage().contains("closed"), closedFile.getMessage());
                pair.client().close();
                try (AsyncFile again = AsyncFile.open(p, READ)) {
                    IOException closedStream = assertThrows(IOException.class, () -> again.sendTo(pair.client(), 0, 1));
                    assertTrue(closedStream.getMessage().contains("closed"), closedStream.getMessage());
                }
            }
            return null;
        });
    }
}
