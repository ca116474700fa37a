package xiio.testing;

import java.io.IOException;
import xiio.io.ByteStream;

/**
 * One end of a connection in memory: a {@link ByteStream} with no fd, whose waits are
 * on promises and the run's clock, so a test over it is deterministic on a
 * {@link VirtualClock}. Faults come from the {@link Link} of each direction;
 * {@link #reset()} is the abortive close of {@code TcpStream.reset()}. TLS works over
 * it ({@code TlsStream.client(memoryStream, ...)}). Use it from the coroutines of one run.
 *
 * {@snippet :
 * MemoryStream[] pair = MemoryStream.pair();
 * pair[0].writeAll("ping".getBytes(), 0, 4);
 * byte[] buf = new byte[4];
 * pair[1].read(buf, 0, 4);                    // "ping"
 * }
 */
public final class MemoryStream implements ByteStream {
    private final MemoryPipe in, out;
    private final String name;
    private boolean closed;

    private MemoryStream(MemoryPipe in, MemoryPipe out, String name) {
        this.in = in;
        this.out = out;
        this.name = name;
    }

    /** Two connected ends with perfect links. */
    public static MemoryStream[] pair() {
        return pair(Link.PERFECT, Link.PERFECT);
    }

    /** Two connected ends: {@code aToB} carries what the first writes, {@code bToA} what the second writes. */
    public static MemoryStream[] pair(Link aToB, Link bToA) {
        java.util.Objects.requireNonNull(aToB, "aToB");
        java.util.Objects.requireNonNull(bToA, "bToA");
        MemoryPipe ab = new MemoryPipe(aToB), ba = new MemoryPipe(bToA);
        return new MemoryStream[] {new MemoryStream(ba, ab, "memory stream A"), new MemoryStream(ab, ba, "memory stream B")};
    }

    @Override
    public int read(byte[] buf, int off, int len) throws IOException {
        checkOpen("read");
        return in.read(buf, off, len);
    }

    @Override
    public int write(byte[] buf, int off, int len) throws IOException {
        checkOpen("write");
        return out.write(buf, off, len);
    }

    @Override
    public void shutdownOutput() throws IOException {
        checkOpen("shutdownOutput");
        out.shutdown();
    }

    /** Aborts the connection: both ends' reads and writes fail with "connection reset"; this end is closed. */
    public void reset() {
        in.reset();
        out.reset();
        closed = true;
    }

    /** Closes this end: the peer reads end of stream after what is in flight, and its writes fail. Idempotent. */
    @Override
    public void close() {
        if (closed) return;
        closed = true;
        out.shutdown();
        in.readerClosed();
    }

    private void checkOpen(String what) throws IOException {
        if (closed) throw new IOException(what + " on a closed " + name);
    }

    @Override
    public String toString() {
        return name + (closed ? " (closed)" : "");
    }
}
