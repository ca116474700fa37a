package xiio.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import xiio.concurrent.TaskGroup;
import xiio.concurrent.Timeout;
import xiio.core.Xiio;

class StreamWriterTest {

    @Test
    void smallWritesStayBufferedUntilFlush() throws Exception {
        Xiio.run(() -> {
            try (Pipe p = Pipe.open()) {
                StreamWriter w = new StreamWriter(p.writer(), 16);
                w.writeAll("abc".getBytes(), 0, 3);
                w.writeAll("def".getBytes(), 0, 3);
                assertEquals(6, w.buffered());
                assertEquals(0, w.bytesWritten());
                w.flush();
                assertEquals(0, w.buffered());
                assertEquals(6, w.bytesWritten());
                byte[] buf = new byte[16];
                assertEquals("abcdef", new String(buf, 0, p.reader().read(buf, 0, 16)));
                return null;
            }
        });
    }

    @Test
    void aSlowReaderMakesTheWriterWaitWithBoundedMemory() throws Exception {
        byte[] data = new byte[300_000];
        for (int i = 0; i < data.length; i++) data[i] = (byte) (i * 7 + 3);
        byte[] received = Xiio.run(() -> {
            try (Pipe p = Pipe.open()) {
                StreamWriter w = new StreamWriter(p.writer(), 1000);
                ByteArrayOutputStream sink = new ByteArrayOutputStream();
                TaskGroup.scope(g -> {
                    g.spawn("slow reader", () -> {
                        byte[] buf = new byte[4096];
                        for (int n; (n = p.reader().read(buf, 0, buf.length)) > 0; ) {
                            sink.write(buf, 0, n);
                            Xiio.sleep(Duration.ofMillis(1));
                        }
                        return null;
                    });
                    // small pieces, so everything passes through the bounded buffer
                    for (int off = 0; off < data.length; off += 333) {
                        w.writeAll(data, off, Math.min(333, data.length - off));
                        assertTrue(w.buffered() <= w.limit(), "buffered " + w.buffered());
                    }
                    w.flush();
                    p.writer().close();
                    return null;
                });
                return sink.toByteArray();
            }
        });
        assertArrayEquals(data, received);
    }

    @Test
    void aCancelledWriteAllReportsHowMuchWentIn() throws Exception {
        Xiio.run(() -> {
            try (Pipe p = Pipe.open()) {
                StreamWriter w = new StreamWriter(p.writer(), 1024);
                byte[] big = new byte[4 << 20]; // far more than the pipe (64 KiB) and the buffer hold
                long before = w.bytesAccepted();
                assertNull(Timeout.withTimeoutOrNull(Duration.ofMillis(30), () -> {
                    w.writeAll(big, 0, big.length);
                    return "done";
                }));
                long took = w.bytesAccepted() - before;
                assertTrue(took > 0 && took < big.length, "took " + took);
                assertEquals(took, w.bytesWritten() + w.buffered());
                assertTrue(w.buffered() <= 1024);
                // the writer is still usable: drain the pipe while finishing the rest
                long[] drained = new long[1];
                TaskGroup.scope(g -> {
                    g.spawn(() -> {
                        byte[] buf = new byte[65536];
                        for (int n; (n = p.reader().read(buf, 0, buf.length)) > 0; ) drained[0] += n;
                        return null;
                    });
                    w.writeAll(big, (int) took, big.length - (int) took);
                    w.flush();
                    p.writer().close();
                    return null;
                });
                assertEquals(big.length, drained[0]);
                assertEquals(big.length, w.bytesWritten());
                return null;
            }
        });
    }

    @Test
    void badArgumentsAreRejected() throws Exception {
        Xiio.run(() -> {
            try (Pipe p = Pipe.open()) {
                assertThrows(IllegalArgumentException.class, () -> new StreamWriter(p.writer(), 0));
                StreamWriter w = new StreamWriter(p.writer());
                assertThrows(IndexOutOfBoundsException.class, () -> w.write(new byte[2], 1, 2));
                return null;
            }
        });
    }
}
