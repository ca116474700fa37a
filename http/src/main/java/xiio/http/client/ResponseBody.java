package xiio.http.client;

import java.io.EOFException;
import java.io.IOException;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import xiio.http.BodyFraming;
import xiio.http.BodyReader;
import xiio.http.HttpHeaders;

/**
 * The body of a response, read as it arrives: {@link #read} some bytes,
 * {@link #readAllBytes} or {@link #text} all of it (bounded), or {@link #discard} it.
 * The framing (Content-Length, chunked, or until the server closes) is decoded by the
 * wire layer's {@link BodyReader}; what a read returns is the body alone. A server
 * that closes before the body is complete, or sends a malformed chunk, makes a read
 * throw an {@link IOException} that says so.
 *
 * <p>The connection goes back to the pool only if the body was read to its end
 * ({@link #isComplete}); a body left half-read closes its connection.
 *
 * {@snippet :
 * long bytes = client.exchange(ClientRequest.get(uri), response -> {
 *     byte[] buf = new byte[16 * 1024];
 *     long total = 0;
 *     for (int n; (n = response.body().read(buf, 0, buf.length)) > 0; ) total += n;
 *     return total;
 * });
 * }
 */
public final class ResponseBody {
    private final BodyReader reader;    // null for a body held in memory
    private final long maxBuffered;
    private byte[] buffered;            // the whole body, once read by readAllBytes

    ResponseBody(BodyReader reader, long maxBuffered) {
        this.reader = reader;
        this.maxBuffered = maxBuffered;
    }

    /** A body held in memory (a response {@link HttpClient#send} read completely). */
    static ResponseBody of(byte[] bytes) {
        ResponseBody b = new ResponseBody(null, Long.MAX_VALUE);
        b.buffered = bytes;
        return b;
    }

    /**
     * Reads at least one body byte into {@code b[off, off+len)}, waiting for them.
     *
     * @param b where to put them
     * @param off the first index
     * @param len the most bytes
     * @return how many bytes were read, or -1 at the end of the body
     * @throws EOFException if the server closed the connection before the body's end
     * @throws IOException if a chunk is malformed, or the connection fails
     * @throws IllegalStateException if the body was already read into memory
     */
    public int read(byte[] b, int off, int len) throws IOException {
        if (buffered != null) throw new IllegalStateException("the body is in memory already: use readAllBytes() or text()");
        return reader.read(b, off, len);
    }

    /**
     * The rest of the body in memory; later calls return the same bytes.
     *
     * @return the bytes
     * @throws IOException if the body is larger than the client's {@code maxBufferedBody}
     *         (stream it with {@link #read} instead), or as {@link #read} does
     */
    public byte[] readAllBytes() throws IOException {
        if (buffered != null) return buffered;
        BodyFraming framing = reader.framing();
        if (framing.kind() == BodyFraming.Kind.LENGTH && framing.length() > maxBuffered) throw tooLarge();
        int capacity = (int) Math.min(maxBuffered + 1, framing.kind() == BodyFraming.Kind.LENGTH ? framing.length() : 8192);
        byte[] out = new byte[Math.max(capacity, 1)];
        int size = 0;
        for (int n; (n = reader.read(out, size, out.length - size)) > 0; ) {
            size += n;
            if (size > maxBuffered) throw tooLarge();
            if (size == out.length) out = Arrays.copyOf(out, (int) Math.min(2L * size, Math.min(maxBuffered + 1, Integer.MAX_VALUE - 8)));
        }
        buffered = size == out.length ? out : Arrays.copyOf(out, size);
        return buffered;
    }

    private IOException tooLarge() {
        return new IOException("the response body is larger than maxBufferedBody (" + maxBuffered
                + " bytes); read it piece by piece with body().read inside HttpClient.exchange");
    }

    /**
     * The rest of the body decoded as UTF-8; see {@link #readAllBytes}.
     *
     * @return the text
     * @throws IOException as {@link #readAllBytes} does
     */
    public String text() throws IOException {
        return text(StandardCharsets.UTF_8);
    }

    /**
     * The rest of the body decoded with {@code charset}; see {@link #readAllBytes}.
     *
     * @param charset how the bytes encode text
     * @return the text
     * @throws IOException as {@link #readAllBytes} does
     */
    public String text(Charset charset) throws IOException {
        return new String(readAllBytes(), charset);
    }

    /**
     * Reads and drops the rest of the body, so its connection can carry the next request.
     *
     * @return how many bytes were dropped
     * @throws IOException as {@link #read} does
     */
    public long discard() throws IOException {
        return buffered != null ? 0 : reader.discard();
    }

    /** @return whether the body was read to its end (a body in memory always was) */
    public boolean isComplete() {
        return buffered != null || reader.isDone();
    }

    /** @return body bytes received so far */
    public long received() {
        return buffered != null ? buffered.length : reader.bytesRead();
    }

    /** @return the length the response declared (Content-Length), or -1 if it did not (chunked, until close) */
    public long declaredLength() {
        if (buffered != null) return buffered.length;
        BodyFraming f = reader.framing();
        return f.kind() == BodyFraming.Kind.LENGTH ? f.length() : f.kind() == BodyFraming.Kind.NONE ? 0 : -1;
    }

    /** @return the trailer fields of a chunked body once it was read to its end; empty otherwise */
    public HttpHeaders trailers() {
        return reader == null ? new HttpHeaders() : reader.trailers();
    }
}
