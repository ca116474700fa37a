package xiio.http.client;

import java.io.EOFException;
import java.io.IOException;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import xiio.http.HttpHeaders;
import xiio.io.LimitExceededException;
import xiio.io.StreamReader;

/**
 * The body of a response, read as it arrives: {@link #read} some bytes,
 * {@link #readAllBytes} or {@link #text} all of it (bounded), or {@link #discard} it.
 * The framing (Content-Length, chunked, or until the server closes) is decoded here;
 * what a read returns is the body alone. A server that closes before the body is
 * complete, or sends a malformed chunk, makes a read throw an {@link IOException}
 * that says so.
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
    private static final int MAX_CHUNK_LINE = 4096, MAX_TRAILER_BYTES = 16 * 1024, MAX_TRAILER_FIELDS = 64;

    private final StreamReader in;      // null once buffered (or for an empty body)
    private final ResponseFraming framing;
    private final long maxBuffered;
    private long remaining;             // LENGTH: body bytes left; CHUNKED: bytes left in this chunk
    private long received;
    private boolean complete;
    private byte[] buffered;            // the whole body, once read by readAllBytes
    private boolean chunkStarted;       // CHUNKED: a chunk's data was read, so its CRLF comes next

    ResponseBody(StreamReader in, ResponseFraming framing, long maxBuffered) {
        this.in = in;
        this.framing = framing;
        this.maxBuffered = maxBuffered;
        this.remaining = framing.kind() == ResponseFraming.Kind.LENGTH ? framing.length() : 0;
        this.complete = framing.kind() == ResponseFraming.Kind.NONE;
    }

    /** A body held in memory (a response {@link HttpClient#send} read completely). */
    static ResponseBody of(byte[] bytes) {
        ResponseBody b = new ResponseBody(null, ResponseFraming.NONE, Long.MAX_VALUE);
        b.buffered = bytes;
        b.received = bytes.length;
        return b;
    }

    /**
     * Reads at least one body byte into {@code b[off, off+len)}, waiting for them.
     *
     * @return how many bytes were read, or -1 at the end of the body
     * @throws EOFException if the server closed the connection before the body's end
     * @throws IOException if a chunk is malformed, or the connection fails
     */
    public int read(byte[] b, int off, int len) throws IOException {
        java.util.Objects.checkFromIndexSize(off, len, b.length);
        if (buffered != null) throw new IllegalStateException("the body was read already; use readAllBytes() or text()");
        if (complete) return -1;
        if (len == 0) return 0;
        int n = switch (framing.kind()) {
            case NONE -> -1;
            case LENGTH -> readLength(b, off, len);
            case CHUNKED -> readChunked(b, off, len);
            case UNTIL_CLOSE -> {
                int got = in.read(b, off, len);
                if (got < 0) complete = true;
                yield got;
            }
        };
        if (n > 0) received += n;
        return n;
    }

    private int readLength(byte[] b, int off, int len) throws IOException {
        int got = in.read(b, off, (int) Math.min(len, remaining));
        if (got < 0) {
            throw new EOFException("the server closed the connection after " + received + " of the "
                    + framing.length() + " body bytes its Content-Length announced");
        }
        if ((remaining -= got) == 0) complete = true;
        return got;
    }

    /** {@code size[;ext] CRLF data CRLF} ... {@code 0 CRLF trailers CRLF} (RFC 9112 section 7.1). */
    private int readChunked(byte[] b, int off, int len) throws IOException {
        if (remaining == 0) {
            if (chunkStarted) expectLineEnd();
            long size = chunkSize();
            chunkStarted = true;
            if (size == 0) {
                readTrailers();
                complete = true;
                return -1;
            }
            remaining = size;
        }
        int got = in.read(b, off, (int) Math.min(len, remaining));
        if (got < 0) throw new EOFException("the server closed the connection inside a chunk, after " + received + " body bytes");
        remaining -= got;
        return got;
    }

    private long chunkSize() throws IOException {
        String line = chunkLine("a chunk size");
        int end = 0;
        while (end < line.length() && Character.digit(line.charAt(end), 16) >= 0) end++;
        if (end == 0 || end > 15) throw new IOException("malformed chunk size: " + Shorten.of(line));
        int rest = end;
        while (rest < line.length() && (line.charAt(rest) == ' ' || line.charAt(rest) == '\t')) rest++;
        if (rest < line.length() && line.charAt(rest) != ';') throw new IOException("malformed chunk size: " + Shorten.of(line));
        return Long.parseLong(line, 0, end, 16); // at most 15 hex digits: no overflow
    }

    private void expectLineEnd() throws IOException {
        String line = chunkLine("the end of a chunk");
        if (!line.isEmpty()) throw new IOException("a chunk is longer than its size says: " + Shorten.of(line));
    }

    private String chunkLine(String what) throws IOException {
        String line;
        try {
            line = in.readLine(MAX_CHUNK_LINE, StandardCharsets.ISO_8859_1);
        } catch (LimitExceededException e) {
            throw new IOException("no line end within " + MAX_CHUNK_LINE + " bytes where " + what + " should be");
        }
        if (line == null) throw new EOFException("the server closed the connection where " + what + " should be, after " + received + " body bytes");
        return line;
    }

    private void readTrailers() throws IOException {
        HttpHeaders.read(in, MAX_TRAILER_BYTES, MAX_TRAILER_FIELDS); // trailer fields: read and ignored
    }

    /**
     * Reads the rest of the body into memory.
     *
     * @throws IOException if it is larger than the client's {@code maxBufferedBody} (stream it with
     *         {@link #read} instead), or as {@link #read} does
     */
    public byte[] readAllBytes() throws IOException {
        if (buffered != null) return buffered;
        if (framing.kind() == ResponseFraming.Kind.LENGTH && framing.length() - received > maxBuffered) {
            throw tooLarge();
        }
        byte[] out = new byte[(int) Math.min(Math.max(remaining, 8192), Math.min(maxBuffered + 1, 1 << 20))];
        int size = 0;
        while (true) {
            if (size == out.length) {
                if (size > maxBuffered) throw tooLarge();
                out = Arrays.copyOf(out, (int) Math.min((long) size * 2, Math.min(maxBuffered + 1, Integer.MAX_VALUE - 8)));
            }
            int n = read(out, size, out.length - size);
            if (n < 0) break;
            size += n;
            if (size > maxBuffered) throw tooLarge();
        }
        buffered = size == out.length ? out : Arrays.copyOf(out, size);
        return buffered;
    }

    private IOException tooLarge() {
        return new IOException("the response body is larger than maxBufferedBody (" + maxBuffered
                + " bytes); read it piece by piece with body().read inside HttpClient.exchange");
    }

    /** The rest of the body decoded as UTF-8; see {@link #readAllBytes}. */
    public String text() throws IOException {
        return text(StandardCharsets.UTF_8);
    }

    /** The rest of the body decoded with {@code charset}; see {@link #readAllBytes}. */
    public String text(Charset charset) throws IOException {
        return new String(readAllBytes(), charset);
    }

    /**
     * Reads and drops the rest of the body, so its connection can carry the next
     * request; returns how many bytes were dropped.
     */
    public long discard() throws IOException {
        if (buffered != null) return 0;
        byte[] sink = new byte[8192];
        long dropped = 0;
        for (int n; (n = read(sink, 0, sink.length)) > 0; ) dropped += n;
        return dropped;
    }

    /** Whether the body was read to its end (a buffered body always was). */
    public boolean isComplete() {
        return complete || buffered != null;
    }

    /** Body bytes received so far. */
    public long received() {
        return received;
    }

    /** The length the response declared (Content-Length), or -1 if it did not (chunked, until close). */
    public long declaredLength() {
        return switch (framing.kind()) {
            case NONE -> buffered != null ? buffered.length : 0;
            case LENGTH -> framing.length();
            default -> -1;
        };
    }
}
