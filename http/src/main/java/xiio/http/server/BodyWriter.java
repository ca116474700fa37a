package xiio.http.server;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import xiio.file.AsyncFile;
import xiio.http.ChunkedWriter;

/**
 * Where a response body goes. Writes are buffered (16 KiB) and wait for the client
 * when the buffer is full, so a client that reads slowly, or not at all, slows the
 * writer down instead of growing memory; one that takes nothing for the server's
 * {@code writeTimeout} gets its connection closed (the write then throws). Bodies of
 * unknown length go out chunked (to an HTTP/1.0 client: until the close). The
 * answer to a {@code HEAD} request drops the bytes. Use it from the handler's
 * coroutine only.
 */
public final class BodyWriter {
    private final ResponseWriter out;
    private final ChunkedWriter chunked; // null unless chunked
    private final long length;           // the promised length, or -1
    private final boolean discard;       // HEAD, 204, 304
    private long written;

    BodyWriter(ResponseWriter out, long length, boolean chunked, boolean discard) {
        this.out = out;
        this.length = length;
        this.discard = discard;
        this.chunked = chunked && !discard ? new ChunkedWriter(out.out()) : null;
    }

    /**
     * Writes {@code b[off, off+len)}.
     *
     * @param b   the bytes
     * @param off where they start
     * @param len how many
     * @throws IOException if the client went away or stalled, or more bytes were
     *         written than the response's declared length
     */
    public void write(byte[] b, int off, int len) throws IOException {
        java.util.Objects.checkFromIndexSize(off, len, b.length);
        if (length >= 0 && written + len > length) {
            throw new IOException("the body is longer than its declared length of " + length + " bytes");
        }
        written += len;
        if (discard) return;
        if (chunked != null) chunked.write(b, off, len);
        else out.writeRaw(b, off, len);
    }

    /**
     * Writes all of {@code b}.
     *
     * @param b the bytes
     * @throws IOException as {@link #write(byte[], int, int)}
     */
    public void write(byte[] b) throws IOException {
        write(b, 0, b.length);
    }

    /**
     * Writes {@code s} in UTF-8.
     *
     * @param s the text
     * @throws IOException as {@link #write(byte[], int, int)}
     */
    public void write(String s) throws IOException {
        write(s.getBytes(StandardCharsets.UTF_8));
    }

    /**
     * Sends what is buffered and waits until the kernel took it (at most the write
     * timeout): for a stream of events that must reach the client now.
     *
     * @throws IOException if the client went away or stalled
     */
    public void flush() throws IOException {
        if (!discard) out.flush();
    }

    /**
     * Whether {@link #sendFile} may be used: the bytes go as they are (no chunked coding,
     * not dropped for a HEAD) to a plain socket (not TLS, which must encrypt them).
     */
    boolean canSendFile() {
        return !discard && chunked == null && out.canSendFile();
    }

    /**
     * Sends {@code count} bytes of {@code file} from {@code position} with sendfile(2),
     * after what is buffered; the write timeout applies to each call as to a write.
     * Only when {@link #canSendFile()}.
     *
     * @throws IOException if the client went away or stalled, the file ended first,
     *         or more bytes were sent than the response's declared length
     */
    void sendFile(AsyncFile file, long position, long count) throws IOException {
        if (length >= 0 && written + count > length) {
            throw new IOException("the body is longer than its declared length of " + length + " bytes");
        }
        for (long end = position + count; position < end; ) {
            long n = out.sendFile(file, position, end - position);
            if (n < 0) throw ZeroCopySend.shrank();
            position += n;
            written += n;
        }
    }

    /** @return the body bytes written so far */
    public long bytesWritten() {
        return written;
    }

    /** Ends the body: the last chunk; checks a declared length was kept. */
    void finish() throws IOException {
        if (length >= 0 && written != length && !discard) {
            throw new IOException("the body has " + written + " bytes but declared " + length);
        }
        if (chunked != null) chunked.finish(null);
    }
}
