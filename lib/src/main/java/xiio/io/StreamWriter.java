package xiio.io;

import java.io.IOException;
import java.util.Objects;

/**
 * Buffered writing over any {@link ByteStream}, with backpressure and a hard memory
 * bound.
 *
 * <p><b>Bounded.</b> The buffer is allocated once at {@code limit} bytes and never
 * grows. When it is full, {@link #write} and {@link #writeAll} wait until the stream
 * takes bytes: a slow reader slows the writer down, and memory stays at
 * {@code limit} whatever the peer does (the out-of-memory that unbounded outbound
 * queues cause cannot happen here). Writes of at least {@code limit} bytes into an
 * empty buffer go to the stream directly, without a copy.
 *
 * <p><b>Cancellation and partial progress.</b> {@link #write} is cancel-safe: it is
 * cancelled only while it waits, before taking any byte of its call, and returns
 * how many bytes it took. {@link #writeAll} and {@link #flush} loop; if cancelled
 * (or failed) midway, the bytes taken so far stay taken: {@link #bytesAccepted()}
 * tells how many bytes this writer has taken in total, so
 * {@code bytesAccepted() - before} is how much of the array went in, and
 * {@link #bytesWritten()} how many reached the stream. Accepted bytes that were not
 * written yet stay buffered for the next {@link #flush}.
 *
 * {@snippet :
 * StreamWriter out = new StreamWriter(conn, 64 * 1024);
 * for (String line : lines) {
 *     byte[] b = (line + "\n").getBytes(StandardCharsets.UTF_8);
 *     out.writeAll(b, 0, b.length);   // waits only when 64 KiB are pending
 * }
 * out.flush();
 * }
 *
 * <p>It owns no fd (the stream does): close the stream, not the writer. Not
 * thread-safe, and meant for one writing coroutine at a time.
 */
public final class StreamWriter {
    /** The buffer size when none is given: 64 KiB. */
    public static final int DEFAULT_LIMIT = 64 * 1024;

    private final ByteStream out;
    private final byte[] buf;
    private int start, end; // pending bytes are buf[start, end)
    private long accepted;
    private long written;

    /** A writer with a {@value #DEFAULT_LIMIT}-byte buffer. */
    public StreamWriter(ByteStream out) {
        this(out, DEFAULT_LIMIT);
    }

    /**
     * A writer that holds at most {@code limit} pending bytes.
     *
     * @throws IllegalArgumentException if {@code limit} is less than 1
     */
    public StreamWriter(ByteStream out, int limit) {
        this.out = Objects.requireNonNull(out, "out");
        if (limit < 1) throw new IllegalArgumentException("limit must be at least 1 byte, got " + limit);
        this.buf = new byte[limit];
    }

    /** The stream this writer writes to. */
    public ByteStream stream() {
        return out;
    }

    /** The most bytes this writer ever holds. */
    public int limit() {
        return buf.length;
    }

    /** Bytes taken but not yet written to the stream. */
    public int buffered() {
        return end - start;
    }

    /** Total bytes taken by {@link #write} and {@link #writeAll} since creation. */
    public long bytesAccepted() {
        return accepted;
    }

    /** Total bytes written to the stream since creation. */
    public long bytesWritten() {
        return written;
    }

    /**
     * Takes at least one byte of {@code b[off, off+len)} (as many as fit), waiting for
     * the stream only when the buffer is full.
     *
     * @return the number of bytes taken (0 only when {@code len} is 0)
     */
    public int write(byte[] b, int off, int len) throws IOException {
        Objects.checkFromIndexSize(off, len, b.length);
        if (len == 0) return 0;
        if (start == end && len >= buf.length) {
            int n = out.write(b, off, len);
            accepted += n;
            written += n;
            return n;
        }
        if (end - start == buf.length) flushOnce();
        if (end == buf.length) compact();
        int n = Math.min(len, buf.length - end);
        System.arraycopy(b, off, buf, end, n);
        end += n;
        accepted += n;
        return n;
    }

    /**
     * Takes all of {@code b[off, off+len)}, waiting for the stream as often as the
     * buffer fills. See the class comment for what a cancellation leaves behind.
     */
    public void writeAll(byte[] b, int off, int len) throws IOException {
        Objects.checkFromIndexSize(off, len, b.length);
        while (len > 0) {
            int n = write(b, off, len);
            off += n;
            len -= n;
        }
    }

    /** Writes every buffered byte to the stream, waiting as needed. */
    public void flush() throws IOException {
        while (start < end) flushOnce();
    }

    /** One write of the stream (which waits for room only if the kernel has none). */
    private void flushOnce() throws IOException {
        int n = out.write(buf, start, end - start);
        start += n;
        written += n;
        if (start == end) start = end = 0;
    }

    private void compact() {
        System.arraycopy(buf, start, buf, 0, end - start);
        end -= start;
        start = 0;
    }

    @Override
    public String toString() {
        return "StreamWriter[" + out + ", " + buffered() + " of " + buf.length + " bytes pending]";
    }
}
