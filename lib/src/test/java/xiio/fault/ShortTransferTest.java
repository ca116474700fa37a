package xiio.fault;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;
import xiio.concurrent.TaskGroup;
import xiio.core.Xiio;
import xiio.io.ByteStream;
import xiio.io.StreamReader;
import xiio.io.StreamWriter;
import xiio.support.Faults;
import xiio.support.Faults.Call;
import xiio.support.Payload;
import xiio.support.TcpPair;
import xiio.support.TestPipe;

/**
 * Reads and writes that move less than asked, down to one byte: every layer that loops
 * over a partial transfer (writeAll, StreamWriter's flush, StreamReader's exact reads)
 * must advance by exactly what the kernel took.
 */
class ShortTransferTest {
    private static final int MIB = 1024 * 1024;

    @Test
    void oneMebibyteThroughStreamWriterAndStreamReaderWithShortSendsAndRecvs() throws Exception {
        byte[] data = Payload.of(6, MIB);
        try (Faults faults = Faults.install()) {
            Xiio.run(() -> {
                try (TcpPair pair = TcpPair.open()) {
                    int out = pair.client().fd(), in = pair.server().fd();
                    // every 2nd send and 3rd recv moves one byte, the others at most ~100
                    Faults.Rule oneByteSends = faults.on(Call.SEND).fd(out).every(2).atMost(1);
                    faults.on(Call.SEND).fd(out).atMost(97);
                    Faults.Rule oneByteRecvs = faults.on(Call.RECV).fd(in).every(3).atMost(1);
                    faults.on(Call.RECV).fd(in).atMost(113);
                    byte[] got = transferThroughStreams(data, pair.client(), pair.server(), 8192, 4096, new Random(1));
                    Payload.assertWhole(data, got, got.length, "tcp");
                    assertTrue(oneByteSends.hits() > 1000 && oneByteRecvs.hits() > 1000, oneByteSends + " " + oneByteRecvs);
                }
                return null;
            });
        }
    }

    @Test
    void oneMebibyteThroughRawWriteAllWithShortWritesAndReads() throws Exception {
        byte[] data = Payload.of(7, MIB);
        try (Faults faults = Faults.install(); TestPipe p = new TestPipe()) {
            Faults.Rule oneByteWrites = faults.on(Call.WRITE).fd(p.writeFd).every(2).atMost(1);
            faults.on(Call.WRITE).fd(p.writeFd).atMost(101);
            Faults.Rule oneByteReads = faults.on(Call.READ).fd(p.readFd).every(2).atMost(1);
            faults.on(Call.READ).fd(p.readFd).atMost(89);
            Random random = new Random(2);
            byte[] got = Xiio.run(() -> TaskGroup.scope(g -> {
                g.spawn("writer", () -> {
                    // whole-array writes and slices at odd offsets
                    int off = 0;
                    while (off < data.length) {
                        int len = Math.min(data.length - off, 1 + random.nextInt(20_000));
                        Xiio.writeAll(p.writeFd, data, off, len);
                        off += len;
                    }
                    p.closeWriteEnd();
                    return null;
                });
                return EintrTest.readToEnd(p.readFd);
            }));
            Payload.assertWhole(data, got, got.length, "pipe");
            assertTrue(oneByteWrites.hits() > 1000 && oneByteReads.hits() > 1000, oneByteWrites + " " + oneByteReads);
        }
    }

    @Test
    void everyCallMovingOneByteStillDeliversEverything() throws Exception {
        byte[] data = Payload.of(8, 64 * 1024);
        try (Faults faults = Faults.install()) {
            Xiio.run(() -> {
                try (TcpPair pair = TcpPair.open()) {
                    faults.on(Call.SEND).fd(pair.client().fd()).atMost(1);
                    faults.on(Call.RECV).fd(pair.server().fd()).atMost(1);
                    byte[] got = transferThroughStreams(data, pair.client(), pair.server(), 1000, 100, new Random(3));
                    Payload.assertWhole(data, got, got.length, "tcp");
                    assertEquals(data.length, faults.calls(Call.SEND, pair.client().fd()));
                }
                return null;
            });
        }
    }

    /**
     * Sends {@code data} through a StreamWriter in random pieces while a StreamReader
     * takes it in random exact reads and plain reads; returns what arrived.
     */
    static byte[] transferThroughStreams(byte[] data, ByteStream from, ByteStream to, int writerLimit,
                                         int readerBuffer, Random random) throws Exception {
        return TaskGroup.scope(g -> {
            g.spawn("sender", () -> {
                StreamWriter w = new StreamWriter(from, writerLimit);
                int off = 0;
                while (off < data.length) {
                    int len = Math.min(data.length - off, 1 + random.nextInt(writerLimit * 2));
                    long before = w.bytesAccepted();
                    w.writeAll(data, off, len);
                    assertEquals(before + len, w.bytesAccepted());
                    off += len;
                }
                w.flush();
                assertEquals(data.length, w.bytesWritten());
                from.shutdownOutput();
                return null;
            });
            StreamReader r = new StreamReader(to, readerBuffer);
            byte[] got = new byte[data.length + 1];
            int n = 0;
            while (n < data.length) {
                int want = Math.min(data.length - n, 1 + random.nextInt(readerBuffer * 3));
                if (random.nextBoolean()) {
                    r.readExactly(got, n, want);
                    n += want;
                } else {
                    int k = r.read(got, n, want);
                    assertTrue(k > 0, "early end of stream after " + n + " bytes");
                    n += k;
                }
            }
            assertEquals(-1, r.read(got, n, 1), "bytes after the end");
            return java.util.Arrays.copyOf(got, n);
        });
    }
}
