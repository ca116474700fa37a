package xiio.io;

import java.io.IOException;

/**
 * A bidirectional async byte stream: a pipe pair, a TCP or Unix socket, a TLS
 * session over either. Every method may suspend; all are cancel-safe: a read
 * cancelled while it waits has consumed nothing, and a write cancelled while it
 * waits has written nothing (see {@link #write} for partial progress).
 *
 * <p>Buffered reading (lines, exact sizes, delimiters) and bounded buffered writing
 * are layered on top of any stream.
 */
public interface ByteStream extends AutoCloseable {

    /**
     * Reads at least one byte into {@code buf[off, off+len)}, waiting until some arrive.
     *
     * @return the number of bytes read, or -1 at end of stream
     */
    int read(byte[] buf, int off, int len) throws IOException;

    /**
     * Writes at least one byte of {@code buf[off, off+len)}, waiting for room.
     *
     * @return the number of bytes written (0 only when {@code len} is 0)
     */
    int write(byte[] buf, int off, int len) throws IOException;

    /** Writes all of {@code buf[off, off+len)}, waiting for room as often as needed. */
    default void writeAll(byte[] buf, int off, int len) throws IOException {
        java.util.Objects.checkFromIndexSize(off, len, buf.length);
        while (len > 0) {
            int n = write(buf, off, len);
            off += n;
            len -= n;
        }
    }

    /** Half-close: no more writes; the peer reads end of stream. Reading still works. */
    void shutdownOutput() throws IOException;

    /** Closes the stream and releases its fds; waiters on them fail. Idempotent. */
    @Override
    void close() throws IOException;
}
