package xiio.http.server;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import xiio.file.AsyncFile;
import xiio.http.HttpDate;
import xiio.http.HttpHeaders;
import xiio.http.HttpStatus;
import xiio.io.ByteStream;
import xiio.io.StreamWriter;

/**
 * Writes response heads and raw body bytes (RFC 9112 section 4) through a bounded
 * {@link StreamWriter}: nothing is sent until {@link #flush()} or until 16 KiB are
 * pending, so answers to pipelined requests leave in one write, and a client that
 * reads slowly makes the writer wait rather than buffer. A client that takes no
 * bytes for the write timeout is given up on ({@link StallLimitedStream}).
 *
 * <p>A head is encoded into a byte array this writer keeps, from status lines and
 * fixed fields encoded once, so writing one allocates nothing. The {@code Date} line
 * is read once per write to the client: answers that leave together (a pipelined
 * batch) carry the time the first of them was made, and the clock is read once for
 * them all rather than once each.
 */
final class ResponseWriter {
    /** Framing passed to {@link #writeHead}: chunked, or none (the body ends with the connection). */
    static final long CHUNKED = -1, UNTIL_CLOSE = -2;
    /**
     * Bytes pending per connection at most. Not 64 KiB: the buffer lives as long as its
     * connection, and a collector copies it until it is old, so 256 fresh connections
     * with 64 KiB each (16 MB) were a 60 ms young pause of the Serial collector a
     * one-CPU JVM runs. A pipelined batch of 16 answers is 5 KiB; larger body pieces
     * skip the buffer ({@link #writeRaw}).
     */
    static final int BUFFER = 16 * 1024;

    private static final byte[] CONTINUE = ascii("HTTP/1.1 100 Continue\r\n\r\n");
    private static final byte[] CONTENT_LENGTH = ascii("Content-Length: ");
    private static final byte[] TRANSFER_CHUNKED = ascii("Transfer-Encoding: chunked\r\n");
    private static final byte[] CLOSE = ascii("Connection: close\r\n");
    private static final byte[] KEEP_ALIVE = ascii("Connection: keep-alive\r\n");
    private static final byte[] CRLF = ascii("\r\n");
    private static final byte[][] STATUS_LINES = new byte[600][];

    static {
        for (int status = 100; status < STATUS_LINES.length; status++) STATUS_LINES[status] = statusLine(status);
    }

    private final StallLimitedStream stream;
    private final StreamWriter out;
    private final HttpDate date;
    private final byte[] server;
    private byte[] dateLine; // for the answers pending now; null after a flush
    private byte[] encoded = new byte[512];
    private int encodedLength;

    ResponseWriter(ByteStream stream, Duration stallLimit, HttpDate date, String serverName) {
        this.stream = new StallLimitedStream(stream, stallLimit);
        this.out = new StreamWriter(this.stream, BUFFER);
        this.date = date;
        this.server = serverName == null ? null : ascii("Server: " + serverName + "\r\n");
    }

    /** The interim response a client that sent {@code Expect: 100-continue} waits for; sent at once. */
    void writeContinue() throws IOException {
        writeRaw(CONTINUE, 0, CONTINUE.length);
        flush();
    }

    /**
     * Writes a head: {@code length} is the Content-Length, or {@link #CHUNKED}, or
     * {@link #UNTIL_CLOSE}; with {@code keepAlive} false it says {@code Connection:
     * close}, with {@code sayKeepAlive} {@code Connection: keep-alive} (which an
     * HTTP/1.0 client needs to hear). A 204 or 304 gets no length.
     */
    void writeHead(int status, HttpHeaders headers, long length, boolean keepAlive, boolean sayKeepAlive) throws IOException {
        encodedLength = 0;
        put(status >= 100 && status < STATUS_LINES.length ? STATUS_LINES[status] : statusLine(status));
        if (headers.count("Date") == 0) { // a handler's own Date or Server replaces ours: one of each
            if (dateLine == null) dateLine = date.line();
            put(dateLine);
        }
        if (server != null && headers.count("Server") == 0) put(server);
        for (int i = 0; i < headers.size(); i++) {
            putLatin1(headers.name(i));
            ensure(2);
            encoded[encodedLength++] = ':';
            encoded[encodedLength++] = ' ';
            putLatin1(headers.value(i));
            put(CRLF);
        }
        if (!HttpStatus.hasNoBody(status)) {
            if (length >= 0) {
                put(CONTENT_LENGTH);
                putDecimal(length);
                put(CRLF);
            } else if (length == CHUNKED) {
                put(TRANSFER_CHUNKED);
            }
        }
        if (!keepAlive) put(CLOSE);
        else if (sayKeepAlive) put(KEEP_ALIVE);
        put(CRLF);
        writeRaw(encoded, 0, encodedLength);
    }

    /**
     * Body bytes; waits (at most the stall limit) only when the buffer is full. A piece
     * at least the buffer's size goes from the caller's array straight to the socket,
     * after what is pending: through the buffer, every send would carry at most the
     * buffer while the kernel takes a megabyte at once (a 1 MB echo was 19 sends and a copy of the body,
     * now 2 sends).
     */
    void writeRaw(byte[] b, int off, int len) throws IOException {
        stream.startOperation();
        if (len >= BUFFER) out.flush(); // then the writer hands the whole piece to the socket
        out.writeAll(b, off, len);
    }

    /** Whether the connection is a plain fd stream, which sendfile can write to. */
    boolean canSendFile() {
        return stream.canSendFile();
    }

    /**
     * Sends what is pending, then one sendfile of up to {@code count} bytes of
     * {@code file} (at most the stall limit of waiting for the client).
     *
     * @return the bytes sent (at least 1), or -1 at the end of the file
     */
    long sendFile(AsyncFile file, long position, long count) throws IOException {
        flush();
        stream.startOperation();
        return stream.sendFile(file, position, count);
    }

    /** Sends everything pending. */
    void flush() throws IOException {
        dateLine = null;
        if (out.buffered() == 0) return;
        stream.startOperation();
        out.flush();
    }

    /** The buffered writer, for the chunked coding. */
    StreamWriter out() {
        stream.startOperation();
        return out;
    }

    private void put(byte[] b) {
        ensure(b.length);
        System.arraycopy(b, 0, encoded, encodedLength, b.length);
        encodedLength += b.length;
    }

    private void putLatin1(String s) {
        ensure(s.length());
        for (int i = 0; i < s.length(); i++) encoded[encodedLength++] = (byte) s.charAt(i); // HttpHeaders allows only Latin-1
    }

    private void putDecimal(long v) {
        ensure(20);
        if (v == 0) {
            encoded[encodedLength++] = '0';
            return;
        }
        int digits = 0;
        for (long t = v; t > 0; t /= 10) digits++;
        for (int i = encodedLength + digits - 1; i >= encodedLength; i--, v /= 10) encoded[i] = (byte) ('0' + v % 10);
        encodedLength += digits;
    }

    private void ensure(int more) {
        if (encoded.length - encodedLength < more) encoded = Arrays.copyOf(encoded, Math.max(encoded.length * 2, encodedLength + more));
    }

    private static byte[] statusLine(int status) {
        return ascii("HTTP/1.1 " + status + " " + HttpStatus.reason(status) + "\r\n");
    }

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }
}
