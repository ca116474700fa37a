package xiio.http;

import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Objects;
import xiio.io.LimitExceededException;
import xiio.io.StreamReader;

/**
 * Reads one message body off a connection as its {@link BodyFraming} delimits it,
 * decoding the chunked coding (RFC 9112 section 7.1), for requests and responses
 * alike. It reads only when asked, so a reader that stops reading stops the peer
 * (TCP backpressure), and it never reads past the body: the next message stays in
 * the {@link StreamReader}. Not thread-safe.
 *
 * {@snippet :
 * BodyReader body = new BodyReader(in, BodyFraming.ofRequest(head.headers()), 1 << 20);
 * byte[] buf = new byte[8192];
 * for (int n; (n = body.read(buf, 0, buf.length)) > 0; ) digest.update(buf, 0, n);
 * }
 *
 * <p>Chunk sizes are hex digits only (no sign, no leading space, at most 15 digits),
 * chunk extensions are skipped, and trailer fields are parsed with the header rules
 * and kept ({@link #trailers()}).
 */
public final class BodyReader {
    private static final int MAX_CHUNK_LINE = 4096;
    private static final int MAX_TRAILER_BYTES = 8192, MAX_TRAILER_FIELDS = 32;

    private final StreamReader in;
    private final BodyFraming framing;
    private final long max;
    private long remaining;        // LENGTH: bytes left; CHUNKED: bytes left in the current chunk
    private boolean started;       // CHUNKED: the first size line was read
    private boolean done;
    private long total;
    private HttpHeaders trailers; // null until a chunked body's trailer section is read

    /**
     * A reader of the body that starts at {@code in}'s position.
     *
     * @param in       the connection, positioned after the head
     * @param framing  how the body is delimited
     * @param maxBytes the most body bytes accepted; more is a 413, detected before they
     *                 are read where the length is declared
     * @throws IllegalArgumentException if {@code maxBytes} is negative
     */
    public BodyReader(StreamReader in, BodyFraming framing, long maxBytes) {
        this.in = Objects.requireNonNull(in, "in");
        this.framing = Objects.requireNonNull(framing, "framing");
        if (maxBytes < 0) throw new IllegalArgumentException("maxBytes must be >= 0, got " + maxBytes);
        this.max = maxBytes;
        this.remaining = framing.kind() == BodyFraming.Kind.LENGTH ? framing.length() : 0;
        this.done = framing.kind() == BodyFraming.Kind.NONE || framing.kind() == BodyFraming.Kind.LENGTH && remaining == 0;
    }

    /** @return how the body is delimited */
    public BodyFraming framing() {
        return framing;
    }

    /**
     * Reads at least one body byte, waiting for the peer.
     *
     * @param b   where to put them
     * @param off the first index
     * @param len the most bytes (at least 1)
     * @return how many, or -1 at the end of the body
     * @throws HttpException 413 above the limit, 400 for a malformed chunk
     * @throws EOFException if the connection ends before the body does
     * @throws IOException if reading fails
     */
    public int read(byte[] b, int off, int len) throws IOException {
        Objects.checkFromIndexSize(off, len, b.length);
        if (len == 0) return 0;
        if (done) return -1;
        switch (framing.kind()) {
            case LENGTH -> {
                if (framing.length() > max) throw tooLarge();
                int n = in.read(b, off, (int) Math.min(len, remaining));
                if (n < 0) throw new EOFException("the connection ended " + remaining + " bytes before the end of the body");
                remaining -= n;
                done = remaining == 0;
                return counted(n);
            }
            case CHUNKED -> {
                if (remaining == 0) {
                    if (started && !chunkLine().isEmpty()) throw new HttpException(400, "a chunk is longer than its size says");
                    started = true;
                    remaining = chunkSize(chunkLine());
                    if (remaining == 0) {
                        trailers = readTrailers();
                        done = true;
                        return -1;
                    }
                    if (total + remaining > max) throw tooLarge();
                }
                int n = in.read(b, off, (int) Math.min(len, remaining));
                if (n < 0) throw new EOFException("the connection ended inside a chunk");
                remaining -= n;
                return counted(n);
            }
            case UNTIL_CLOSE -> {
                int n = in.read(b, off, len);
                if (n < 0) {
                    done = true;
                    return -1;
                }
                if (total + n > max) throw tooLarge();
                return counted(n);
            }
            default -> throw new IllegalStateException("NONE is done from the start");
        }
    }

    private int counted(int n) {
        total += n;
        return n;
    }

    /**
     * Reads the rest of the body into {@code sink}.
     *
     * @param sink where the bytes go
     * @return how many bytes it took
     * @throws IOException as {@link #read}, or the sink's own
     */
    public long transferTo(BodySink sink) throws IOException {
        byte[] buf = new byte[64 * 1024]; // a loopback socket holds this much at once: a megabyte in 16 reads
        long n = 0;
        for (int got; (got = read(buf, 0, buf.length)) > 0; n += got) sink.accept(buf, 0, got);
        return n;
    }

    /**
     * The rest of the body in memory (within the limit given at construction).
     *
     * @return the bytes
     * @throws IOException as {@link #read}
     */
    public byte[] readAllBytes() throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        transferTo(out::write);
        return out.toByteArray();
    }

    /**
     * Reads and drops the rest of the body, so the connection can carry the next message.
     *
     * @return how many bytes were dropped
     * @throws IOException as {@link #read}
     */
    public long discard() throws IOException {
        return transferTo((b, off, len) -> {});
    }

    /** @return whether the whole body (and its trailers) has been read */
    public boolean isDone() {
        return done;
    }

    /** @return the body bytes read so far */
    public long bytesRead() {
        return total;
    }

    /** @return the trailer fields of a chunked body once it is done; empty before, and for other framings */
    public HttpHeaders trailers() {
        if (trailers == null) trailers = new HttpHeaders(); // most bodies have none: no field list per request
        return trailers;
    }

    /** {@code 1*HEXDIG [ BWS ";" chunk-ext ]}: anything else is a 400. */
    private static long chunkSize(String line) throws HttpException {
        int digits = 0;
        while (digits < line.length() && Character.digit(line.charAt(digits), 16) >= 0) digits++;
        if (digits == 0 || digits > 15) throw new HttpException(400, "malformed chunk size: " + HttpHeaders.shorten(line));
        int i = digits;
        while (i < line.length() && (line.charAt(i) == ' ' || line.charAt(i) == '\t')) i++;
        if (i < line.length() && line.charAt(i) != ';') throw new HttpException(400, "malformed chunk size: " + HttpHeaders.shorten(line));
        for (int j = i; j < line.length(); j++) {
            char c = line.charAt(j);
            if (c < 0x20 && c != '\t' || c == 0x7f) throw new HttpException(400, "control character in a chunk extension");
        }
        return Long.parseLong(line, 0, digits, 16);
    }

    private String chunkLine() throws IOException {
        try {
            String line = in.readLine(MAX_CHUNK_LINE, StandardCharsets.ISO_8859_1);
            if (line == null) throw new EOFException("the connection ended inside a chunked body");
            return line;
        } catch (LimitExceededException e) {
            throw new HttpException(400, "a chunk-size line is longer than " + MAX_CHUNK_LINE + " bytes");
        }
    }

    private HttpHeaders readTrailers() throws IOException {
        try {
            return HttpHeaders.read(in, MAX_TRAILER_BYTES, MAX_TRAILER_FIELDS);
        } catch (HttpException e) {
            throw new HttpException(400, "bad trailer section: " + e.getMessage());
        }
    }

    private HttpException tooLarge() {
        return new HttpException(413, "the body is larger than " + max + " bytes");
    }
}
