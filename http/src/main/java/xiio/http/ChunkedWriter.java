package xiio.http;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Objects;
import xiio.io.StreamWriter;

/**
 * Writes a body in the chunked coding (RFC 9112 section 7.1) through a bounded
 * {@link StreamWriter}: each {@link #write} is one chunk, {@link #finish} the last
 * chunk and the trailers. A write waits when the writer's buffer is full, so a peer
 * that reads slowly slows the writer down instead of growing a buffer. Nothing here
 * flushes; the caller decides when bytes leave. Not thread-safe.
 *
 * {@snippet :
 * ChunkedWriter chunks = new ChunkedWriter(out);
 * chunks.write(part, 0, part.length);
 * chunks.finish(null);
 * out.flush();
 * }
 */
public final class ChunkedWriter {
    private static final byte[] CRLF = {'\r', '\n'};
    private static final byte[] LAST = {'0', '\r', '\n'};

    private final StreamWriter out;
    private final byte[] size = new byte[18];
    private boolean finished;

    /**
     * A chunked body on {@code out}, after a head that said {@code Transfer-Encoding: chunked}.
     *
     * @param out the connection's writer
     */
    public ChunkedWriter(StreamWriter out) {
        this.out = Objects.requireNonNull(out, "out");
    }

    /**
     * Writes {@code b[off, off+len)} as one chunk; nothing for {@code len} 0 (an empty
     * chunk would end the body).
     *
     * @param b   the bytes
     * @param off where they start
     * @param len how many
     * @throws IllegalStateException after {@link #finish}
     * @throws IOException if writing fails
     */
    public void write(byte[] b, int off, int len) throws IOException {
        Objects.checkFromIndexSize(off, len, b.length);
        if (finished) throw new IllegalStateException("the chunked body is already finished");
        if (len == 0) return;
        int at = size.length;
        size[--at] = '\n';
        size[--at] = '\r';
        for (int v = len; v != 0 || at == size.length - 2; v >>>= 4) size[--at] = (byte) "0123456789abcdef".charAt(v & 15);
        out.writeAll(size, at, size.length - at);
        out.writeAll(b, off, len);
        out.writeAll(CRLF, 0, 2);
    }

    /**
     * Ends the body: the last chunk, the trailer fields, the empty line. Idempotent.
     *
     * @param trailers fields to send after the body, or null for none
     * @throws IOException if writing fails
     */
    public void finish(HttpHeaders trailers) throws IOException {
        if (finished) return;
        finished = true;
        out.writeAll(LAST, 0, LAST.length);
        if (trailers != null) {
            for (int i = 0; i < trailers.size(); i++) {
                byte[] line = (trailers.name(i) + ": " + trailers.value(i) + "\r\n").getBytes(StandardCharsets.ISO_8859_1);
                out.writeAll(line, 0, line.length);
            }
        }
        out.writeAll(CRLF, 0, 2);
    }

    /** @return whether {@link #finish} was called */
    public boolean isFinished() {
        return finished;
    }
}
