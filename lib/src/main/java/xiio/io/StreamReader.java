package xiio.io;

import java.io.EOFException;
import java.io.IOException;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Objects;

/**
 * Buffered reading over any {@link ByteStream}: some bytes, an exact count, a line,
 * or everything up to a delimiter.
 *
 * <p><b>Cancel-safe.</b> Bytes the stream delivered are never lost: a cancelled (or
 * failed) call leaves everything it read in the buffer, so the next call sees it.
 * {@link #readExactly(byte[], int, int)} reads straight into the caller's array and,
 * if interrupted, puts what it got back in front of the buffer.
 *
 * <p><b>Bounded.</b> The buffer starts at the given size and grows only as far as a
 * call asks: {@code maxLength} plus the delimiter for {@link #readLine} and
 * {@link #readUntil}, and what an interrupted exact read must put back. A line that
 * does not end within its limit is a {@link LimitExceededException}, with the bytes
 * still buffered.
 *
 * {@snippet :
 * StreamReader in = new StreamReader(conn);
 * String requestLine = in.readLine(8192);              // "GET / HTTP/1.1"
 * byte[] header = in.readExactly(4);                   // a length prefix
 * byte[] record = in.readUntil(new byte[] {0}, 1024);  // a NUL-terminated record, NUL included
 * }
 *
 * <p>Not thread-safe, and meant for one reading coroutine at a time.
 */
public final class StreamReader {
    /** The initial buffer size when none is given. */
    public static final int DEFAULT_BUFFER_SIZE = 8192;
    private static final byte[] NEWLINE = {'\n'};

    private final ByteStream in;
    private byte[] buf;
    private int start, end; // the buffered bytes are buf[start, end)

    /** A reader with a {@value #DEFAULT_BUFFER_SIZE}-byte buffer. */
    public StreamReader(ByteStream in) {
        this(in, DEFAULT_BUFFER_SIZE);
    }

    /** A reader whose buffer starts at {@code bufferSize} bytes. */
    public StreamReader(ByteStream in, int bufferSize) {
        this.in = Objects.requireNonNull(in, "in");
        if (bufferSize < 1) throw new IllegalArgumentException("bufferSize must be at least 1, got " + bufferSize);
        this.buf = new byte[bufferSize];
    }

    /** The stream this reader reads from. */
    public ByteStream stream() {
        return in;
    }

    /** How many bytes are buffered (readable without waiting). */
    public int buffered() {
        return end - start;
    }

    /**
     * Reads at least one byte into {@code b[off, off+len)}: from the buffer if it has
     * any, else with one read of the stream (straight into {@code b} when it is at
     * least as large as the buffer).
     *
     * @return the number of bytes read, or -1 at end of stream
     */
    public int read(byte[] b, int off, int len) throws IOException {
        Objects.checkFromIndexSize(off, len, b.length);
        if (len == 0) return 0;
        if (start == end) {
            if (len >= buf.length) return in.read(b, off, len);
            if (!fill(buf.length)) return -1;
        }
        int n = Math.min(len, end - start);
        System.arraycopy(buf, start, b, off, n);
        consume(n);
        return n;
    }

    /**
     * Reads exactly {@code n} bytes into a new array.
     *
     * @throws EOFException if the stream ends first; the bytes that did arrive stay buffered
     */
    public byte[] readExactly(int n) throws IOException {
        if (n < 0) throw new IllegalArgumentException("n must not be negative, got " + n);
        byte[] out = new byte[n];
        readExactly(out, 0, n);
        return out;
    }

    /**
     * Fills {@code b[off, off+len)} completely.
     *
     * @throws EOFException if the stream ends first (the message says how many bytes
     *         arrived); those bytes are put back in the buffer, as they are when the
     *         call is cancelled or fails
     */
    public void readExactly(byte[] b, int off, int len) throws IOException {
        Objects.checkFromIndexSize(off, len, b.length);
        int got = Math.min(len, end - start);
        System.arraycopy(buf, start, b, off, got);
        consume(got);
        try {
            while (got < len) {
                int want = len - got;
                int n;
                if (want >= buf.length) {
                    n = in.read(b, off + got, want); // large: no copy
                } else if (fill(buf.length)) {
                    n = Math.min(want, end - start);
                    System.arraycopy(buf, start, b, off + got, n);
                    consume(n);
                } else {
                    n = -1;
                }
                if (n < 0) {
                    throw new EOFException("end of stream after " + got + " of " + len + " bytes (readExactly);"
                            + " the " + got + " bytes that arrived are still buffered");
                }
                got += n;
            }
        } catch (IOException | RuntimeException | Error e) { // Error includes CancelledError
            unread(b, off, got);
            throw e;
        }
    }

    /**
     * Reads a line ended by {@code "\n"} (a {@code "\r\n"} ending is accepted too) and
     * decodes it as UTF-8, without the ending.
     *
     * @param maxLength the most bytes allowed before the {@code '\n'}
     * @return the line, the unterminated rest at end of stream, or {@code null} at end
     *         of stream with nothing buffered
     * @throws LimitExceededException if no line ends within {@code maxLength} bytes;
     *         nothing is consumed
     */
    public String readLine(int maxLength) throws IOException {
        return readLine(maxLength, StandardCharsets.UTF_8);
    }

    /** {@link #readLine(int)} with another charset (one where {@code '\n'} is the byte 10). */
    public String readLine(int maxLength, Charset charset) throws IOException {
        Objects.requireNonNull(charset, "charset");
        int at = find(NEWLINE, maxLength, true);
        if (at == -1) return null;
        int lineEnd;
        int next;
        if (at == -2) { // end of stream: the rest is the last line
            lineEnd = end;
            next = end;
        } else {
            lineEnd = at > start && buf[at - 1] == '\r' ? at - 1 : at;
            next = at + 1;
        }
        String line = new String(buf, start, lineEnd - start, charset);
        consume(next - start);
        return line;
    }

    /**
     * Reads up to and including the first occurrence of {@code delimiter}.
     *
     * @param maxLength the most bytes allowed before the delimiter
     * @return the bytes including the delimiter, or {@code null} at end of stream with
     *         nothing buffered
     * @throws LimitExceededException if the delimiter does not start within
     *         {@code maxLength} bytes; nothing is consumed
     * @throws EOFException if the stream ends in the middle of a record; its bytes stay buffered
     */
    public byte[] readUntil(byte[] delimiter, int maxLength) throws IOException {
        Objects.requireNonNull(delimiter, "delimiter");
        if (delimiter.length == 0) throw new IllegalArgumentException("delimiter must not be empty");
        int at = find(delimiter, maxLength, false);
        if (at == -1) return null;
        byte[] out = Arrays.copyOfRange(buf, start, at + delimiter.length);
        consume(out.length);
        return out;
    }

    /**
     * Buffers until {@code delimiter} is found and returns its index in {@code buf}:
     * -1 at end of stream with nothing buffered; -2 at end of stream with bytes
     * buffered, when {@code restAtEof} (else that is an EOFException).
     */
    private int find(byte[] delimiter, int maxLength, boolean restAtEof) throws IOException {
        if (maxLength < 0) throw new IllegalArgumentException("maxLength must not be negative, got " + maxLength);
        int dlen = delimiter.length;
        long needed = (long) maxLength + dlen; // bytes that must be buffered to decide
        int capacity = (int) Math.min(needed, Integer.MAX_VALUE - 8);
        int scanned = 0; // offset from start up to which no delimiter can begin
        while (true) {
            int found = indexOf(delimiter, start + scanned, end);
            if (found >= 0) {
                if (found - start > maxLength) throw tooLong(delimiter, maxLength);
                return found;
            }
            if (end - start >= needed) throw tooLong(delimiter, maxLength);
            scanned = Math.max(0, end - start - dlen + 1);
            if (!fill(capacity)) {
                if (start == end) return -1;
                if (restAtEof) return -2;
                throw new EOFException("end of stream after " + (end - start) + " bytes without the delimiter"
                        + " (readUntil); they are still buffered");
            }
        }
    }

    private int indexOf(byte[] d, int from, int to) {
        byte first = d[0];
        outer:
        for (int i = from, last = to - d.length; i <= last; i++) {
            if (buf[i] != first) continue;
            for (int j = 1; j < d.length; j++) if (buf[i + j] != d[j]) continue outer;
            return i;
        }
        return -1;
    }

    private LimitExceededException tooLong(byte[] delimiter, int maxLength) {
        String what = delimiter == NEWLINE ? "line end" : "delimiter";
        return new LimitExceededException("no " + what + " within " + maxLength + " bytes (" + (end - start)
                + " bytes buffered); nothing was consumed: read them with read(), or allow a longer limit", maxLength);
    }

    /**
     * Reads once from the stream into the buffer, making room first (compacting, or
     * growing up to {@code capacity}). False at end of stream. Cancel-safe: the read
     * either happened (its bytes are buffered) or did not.
     */
    private boolean fill(int capacity) throws IOException {
        if (end == buf.length) {
            if (start > 0) {
                System.arraycopy(buf, start, buf, 0, end - start);
                end -= start;
                start = 0;
            } else {
                int grown = (int) Math.min(Math.max((long) buf.length * 2, 16), Math.max(capacity, buf.length + 1));
                buf = Arrays.copyOf(buf, grown);
            }
        }
        int n = in.read(buf, end, buf.length - end);
        if (n < 0) return false;
        end += n;
        return true;
    }

    private void consume(int n) {
        start += n;
        if (start == end) start = end = 0;
    }

    /** Puts {@code src[off, off+n)} back in front of the buffered bytes. */
    private void unread(byte[] src, int off, int n) {
        if (n == 0) return;
        if (start >= n) {
            start -= n;
            System.arraycopy(src, off, buf, start, n);
            return;
        }
        int have = end - start;
        byte[] target = have + n <= buf.length ? buf : new byte[have + n];
        System.arraycopy(buf, start, target, n, have);
        System.arraycopy(src, off, target, 0, n);
        buf = target;
        start = 0;
        end = have + n;
    }

    @Override
    public String toString() {
        return "StreamReader[" + in + ", " + (end - start) + " bytes buffered]";
    }
}
