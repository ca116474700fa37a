package xiio.examples;

import xiio.http.HttpDate;
import xiio.http.HttpStatus;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import xiio.io.ByteStream;
import xiio.io.StreamWriter;

/**
 * Writes responses (RFC 9112 section 4) through a bounded {@link StreamWriter}:
 * status line, header fields (Date, Server, Content-Length and Connection are added
 * here), then the body. Nothing is sent until {@link #flush()}, so answers to
 * pipelined requests leave in one write. A client that does not take what it is
 * sent within {@code stallLimit} is given up on ({@link StallLimitedStream}).
 *
 * <p>A response head is encoded straight into a byte array this writer keeps, from
 * status lines and fixed fields encoded once, so writing one allocates nothing.
 */
final class HttpResponseWriter {
    private static final byte[] CONTINUE = ascii("HTTP/1.1 100 Continue\r\n\r\n");
    private static final byte[] SERVER = ascii("Server: xiio-example\r\n");
    private static final byte[] CONTENT_LENGTH = ascii("Content-Length: ");
    private static final byte[] CLOSE = ascii("Connection: close\r\n");
    private static final byte[] KEEP_ALIVE = ascii("Connection: keep-alive\r\n");
    private static final byte[] CRLF = ascii("\r\n");
    private static final byte[][] STATUS_LINES = new byte[600][]; // for the statuses reason() knows

    static {
        for (int status = 100; status < STATUS_LINES.length; status++) {
            String reason = HttpStatus.reason(status);
            if (!reason.startsWith("Status ")) STATUS_LINES[status] = statusLine(status);
        }
    }

    private final StallLimitedStream stream;
    private final StreamWriter out;
    private final HttpDate date;
    private byte[] encoded = new byte[512]; // the head being written
    private int encodedLength;

    HttpResponseWriter(ByteStream stream, Duration stallLimit, HttpDate date) {
        this.stream = new StallLimitedStream(stream, stallLimit);
        this.out = new StreamWriter(this.stream, 64 * 1024);
        this.date = date;
    }

    /** The interim response a client that sent {@code Expect: 100-continue} waits for. */
    void writeContinue() throws IOException {
        writeBody(CONTINUE, 0, CONTINUE.length);
        flush();
    }

    /**
     * Writes {@code r} (its body unless {@code head}); with {@code keepAlive} false it
     * says {@code Connection: close}, with {@code sayKeepAlive} {@code Connection:
     * keep-alive} (which an HTTP/1.0 client needs to hear). Closes the body.
     */
    void write(HttpResponse r, boolean head, boolean keepAlive, boolean sayKeepAlive) throws IOException {
        try (HttpResponse.Body body = r.body()) {
            encodedLength = 0;
            int status = r.status();
            put(status >= 0 && status < STATUS_LINES.length && STATUS_LINES[status] != null
                    ? STATUS_LINES[status] : statusLine(status));
            put(date.line());
            put(SERVER);
            List<String> fields = r.headers();
            for (int i = 0; i < fields.size(); i += 2) {
                putLatin1(fields.get(i));
                putLatin1(": ");
                putLatin1(fields.get(i + 1));
                put(CRLF);
            }
            put(CONTENT_LENGTH);
            putDecimal(body.length());
            put(CRLF);
            if (!keepAlive) put(CLOSE);
            else if (sayKeepAlive) put(KEEP_ALIVE);
            put(CRLF);
            writeBody(encoded, 0, encodedLength);
            if (!head) body.writeTo(this);
        }
    }

    /** Body bytes; waits (at most {@code stallLimit}) only when 64 KiB are pending. */
    void writeBody(byte[] b, int off, int len) throws IOException {
        stream.startOperation();
        out.writeAll(b, off, len);
    }

    /** Sends everything pending. */
    void flush() throws IOException {
        if (out.buffered() == 0) return;
        stream.startOperation();
        out.flush();
    }

    private void put(byte[] b) {
        ensure(b.length);
        System.arraycopy(b, 0, encoded, encodedLength, b.length);
        encodedLength += b.length;
    }

    /** ISO-8859-1, as {@link String#getBytes} encodes it: a char it cannot map becomes {@code '?'}. */
    private void putLatin1(String s) {
        ensure(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            encoded[encodedLength++] = (byte) (c <= 0xff ? c : '?');
        }
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
