package xiio.examples;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Map;
import java.util.concurrent.TimeoutException;
import xiio.concurrent.Timeout;
import xiio.io.ByteStream;
import xiio.io.StreamWriter;

/**
 * Writes responses (RFC 9112 section 4) through a bounded {@link StreamWriter}:
 * status line, header fields (Date, Server, Content-Length and Connection are added
 * here), then the body. Nothing is sent until {@link #flush()}, so answers to
 * pipelined requests leave in one write. A client that takes no bytes for
 * {@code stallLimit} is given up on: without that limit, a client that never reads
 * would hold its connection (and a graceful shutdown) forever.
 */
final class HttpResponseWriter {
    private static final DateTimeFormatter DATE = DateTimeFormatter.RFC_1123_DATE_TIME;

    private final StreamWriter out;
    private final Duration stallLimit;

    HttpResponseWriter(ByteStream stream, Duration stallLimit) {
        this.out = new StreamWriter(stream, 64 * 1024);
        this.stallLimit = stallLimit;
    }

    /** The interim response a client that sent {@code Expect: 100-continue} waits for. */
    void writeContinue() throws IOException {
        write("HTTP/1.1 100 Continue\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
        flush();
    }

    /**
     * Writes {@code r} (its body unless {@code head}); with {@code keepAlive} false it
     * says {@code Connection: close}. Closes the body.
     */
    void write(HttpResponse r, boolean head, boolean keepAlive) throws IOException {
        try (HttpResponse.Body body = r.body()) {
            StringBuilder h = new StringBuilder(256);
            h.append("HTTP/1.1 ").append(r.status()).append(' ').append(reason(r.status())).append("\r\n");
            h.append("Date: ").append(DATE.format(ZonedDateTime.now(ZoneOffset.UTC))).append("\r\n");
            h.append("Server: xiio-example\r\n");
            for (Map.Entry<String, String> e : r.headers().entrySet()) {
                h.append(e.getKey()).append(": ").append(e.getValue()).append("\r\n");
            }
            h.append("Content-Length: ").append(body.length()).append("\r\n");
            if (!keepAlive) h.append("Connection: close\r\n");
            h.append("\r\n");
            write(h.toString().getBytes(StandardCharsets.ISO_8859_1));
            if (!head) body.writeTo(this);
        }
    }

    /** Body bytes; waits (at most {@code stallLimit}) only when 64 KiB are pending. */
    void writeBody(byte[] b, int off, int len) throws IOException {
        limited(() -> out.writeAll(b, off, len));
    }

    /** Sends everything pending. */
    void flush() throws IOException {
        if (out.buffered() > 0) limited(out::flush);
    }

    private void write(byte[] b) throws IOException {
        writeBody(b, 0, b.length);
    }

    private interface Io {
        void run() throws IOException;
    }

    private void limited(Io io) throws IOException {
        if (stallLimit == null) {
            io.run();
            return;
        }
        try {
            Timeout.withTimeout(stallLimit, () -> {
                io.run();
                return null;
            });
        } catch (TimeoutException e) {
            throw new IOException("the client took no bytes for " + DurationConverter.format(stallLimit), e);
        } catch (IOException | RuntimeException e) {
            throw e;
        } catch (Exception impossible) {
            throw new IllegalStateException(impossible);
        }
    }

    static String reason(int status) {
        return switch (status) {
            case 100 -> "Continue";
            case 200 -> "OK";
            case 301 -> "Moved Permanently";
            case 400 -> "Bad Request";
            case 403 -> "Forbidden";
            case 404 -> "Not Found";
            case 405 -> "Method Not Allowed";
            case 408 -> "Request Timeout";
            case 413 -> "Content Too Large";
            case 414 -> "URI Too Long";
            case 431 -> "Request Header Fields Too Large";
            case 500 -> "Internal Server Error";
            case 501 -> "Not Implemented";
            case 505 -> "HTTP Version Not Supported";
            default -> "Status " + status;
        };
    }
}
