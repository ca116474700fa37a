package xiio.http.client;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Objects;

/**
 * What a request sends after its head: nothing, bytes held in memory, or a stream a
 * {@link Writer} produces while the request is sent (chunked when its length is not
 * known in advance). Bytes in memory can be sent again, for a redirect that keeps the
 * method (307, 308) or a retry on a fresh connection; a stream cannot.
 *
 * {@snippet :
 * RequestBody json = RequestBody.of("{\"name\": \"xiio\"}");
 * RequestBody upload = RequestBody.ofStream(-1, out -> {      // chunked
 *     for (int i = 0; i < 3; i++) out.write(("line " + i + "\n").getBytes(StandardCharsets.UTF_8));
 * });
 * }
 */
public final class RequestBody {
    /** Produces a streamed body. */
    @FunctionalInterface
    public interface Writer {
        /** Writes the body to {@code out}; it may suspend, and runs in the caller's coroutine. */
        void writeTo(BodySink out) throws Exception;
    }

    /** Where a {@link Writer} writes body bytes; the client frames and buffers them. */
    public interface BodySink {
        /** Sends {@code b[off, off+len)}, waiting for the server to take earlier bytes if needed. */
        void write(byte[] b, int off, int len) throws IOException;

        /** Sends all of {@code b}. */
        default void write(byte[] b) throws IOException {
            write(b, 0, b.length);
        }
    }

    private static final RequestBody EMPTY = new RequestBody(new byte[0], 0, null);

    private final byte[] bytes;     // null for a stream
    private final long length;      // -1: unknown, sent chunked
    private final Writer writer;

    private RequestBody(byte[] bytes, long length, Writer writer) {
        this.bytes = bytes;
        this.length = length;
        this.writer = writer;
    }

    /** No body. */
    public static RequestBody empty() {
        return EMPTY;
    }

    /** These bytes (not copied: do not change them while a request may still send them). */
    public static RequestBody of(byte[] bytes) {
        Objects.requireNonNull(bytes, "bytes");
        return new RequestBody(bytes, bytes.length, null);
    }

    /** {@code text} encoded as UTF-8. */
    public static RequestBody of(String text) {
        return of(text.getBytes(StandardCharsets.UTF_8));
    }

    /**
     * A body {@code writer} produces as the request is sent.
     *
     * @param length the exact number of bytes it will write (sent as Content-Length; writing
     *        more or fewer fails the request), or -1 if unknown (sent chunked)
     * @throws IllegalArgumentException if {@code length} is less than -1
     */
    public static RequestBody ofStream(long length, Writer writer) {
        Objects.requireNonNull(writer, "writer");
        if (length < -1) throw new IllegalArgumentException("length must be -1 (unknown, chunked) or at least 0, got " + length);
        return new RequestBody(null, length, writer);
    }

    /** The body's length, or -1 if it is sent chunked. */
    public long length() {
        return length;
    }

    /** Whether the body can be sent more than once (it is held in memory). */
    public boolean isReplayable() {
        return writer == null;
    }

    byte[] bytes() {
        return bytes;
    }

    Writer writer() {
        return writer;
    }

    @Override
    public String toString() {
        return writer == null ? bytes.length + " bytes" : length < 0 ? "a stream (chunked)" : "a stream of " + length + " bytes";
    }
}
