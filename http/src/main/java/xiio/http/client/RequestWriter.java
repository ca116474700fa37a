package xiio.http.client;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import xiio.io.ByteStream;

/**
 * Writes a request to a connection (RFC 9112 sections 3, 6 and 7): the head, with
 * {@code Host} from the URI and the framing from the body, then the body. A body in
 * memory goes out with its head in one write; a streamed one through a buffer that
 * is flushed as a chunk (or, with a known length, as is) whenever it fills.
 */
final class RequestWriter implements RequestBody.BodySink {
    private static final int BUFFER = 16 * 1024;
    private static final byte[] CRLF = {'\r', '\n'}, LAST_CHUNK = {'0', '\r', '\n', '\r', '\n'};

    private final ByteStream out;
    private final boolean chunked;
    private final long declared;     // the streamed body's length, or -1
    private byte[] buf;
    private int size;
    private int bodyStart;           // where the body starts in buf: after the head until the first flush
    private long written;            // body bytes accepted from the writer
    private IOException transportFailure; // what the connection threw at a write, told apart from the writer's own

    /** The request body's writer failed by itself (not the connection): the exchange ends, nothing is read. */
    static final class BodyWriterException extends IOException {
        private static final long serialVersionUID = 1L;

        BodyWriterException(Exception cause) {
            super("the request body's writer failed: " + cause, cause);
        }

        BodyWriterException(String message) {
            super(message);
        }
    }

    private RequestWriter(ByteStream out, long declared, byte[] head) {
        this.out = out;
        this.declared = declared;
        this.chunked = declared < 0;
        this.buf = new byte[head.length + BUFFER];
        System.arraycopy(head, 0, buf, 0, head.length);
        this.size = this.bodyStart = head.length; // the head waits for the first body bytes
    }

    /** Writes {@code request}; when it returns, the whole request has been handed to the stream. */
    static void write(ByteStream out, ClientRequest request, String userAgent) throws IOException {
        RequestBody body = request.body();
        byte[] head = head(request, userAgent);
        if (body.isReplayable()) {
            byte[] b = body.bytes();
            if (b.length == 0) {
                out.writeAll(head, 0, head.length);
            } else if (b.length <= BUFFER) { // head and a small body in one write: one segment on the wire
                byte[] both = Arrays.copyOf(head, head.length + b.length);
                System.arraycopy(b, 0, both, head.length, b.length);
                out.writeAll(both, 0, both.length);
            } else {
                out.writeAll(head, 0, head.length);
                out.writeAll(b, 0, b.length);
            }
            return;
        }
        RequestWriter w = new RequestWriter(out, body.length(), head);
        try {
            body.writer().writeTo(w);
        } catch (IOException e) {
            if (e == w.transportFailure) throw e;
            throw new BodyWriterException(e);
        } catch (RuntimeException | Error e) { // Error includes CancelledError
            throw e;
        } catch (Exception e) {
            throw new BodyWriterException(e);
        }
        w.finish();
    }

    private static byte[] head(ClientRequest r, String userAgent) {
        StringBuilder b = new StringBuilder(256);
        b.append(r.method()).append(' ').append(r.target()).append(" HTTP/1.1\r\n");
        b.append("Host: ").append(r.origin().authority()).append("\r\n");
        if (r.header("User-Agent") == null && userAgent != null) b.append("User-Agent: ").append(userAgent).append("\r\n");
        List<String> fields = r.headerFields();
        for (int i = 0; i < fields.size(); i += 2) b.append(fields.get(i)).append(": ").append(fields.get(i + 1)).append("\r\n");
        RequestBody body = r.body();
        if (body.length() < 0) {
            b.append("Transfer-Encoding: chunked\r\n");
        } else if (body.length() > 0 || expectsBody(r.method())) {
            b.append("Content-Length: ").append(body.length()).append("\r\n");
        }
        b.append("\r\n");
        return b.toString().getBytes(StandardCharsets.ISO_8859_1);
    }

    /** Methods whose empty body is still worth a {@code Content-Length: 0} (RFC 9110 section 8.6). */
    private static boolean expectsBody(String method) {
        return method.equals("POST") || method.equals("PUT") || method.equals("PATCH");
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
        java.util.Objects.checkFromIndexSize(off, len, b.length);
        if (declared >= 0 && written + len > declared) {
            throw new IOException("the request body's writer wrote more than the " + declared + " bytes it declared");
        }
        written += len;
        while (len > 0) {
            if (size == buf.length) flush();
            int n = Math.min(len, buf.length - size);
            System.arraycopy(b, off, buf, size, n);
            size += n;
            off += n;
            len -= n;
        }
    }

    /** Sends what is buffered, as one chunk when chunked (the head, if still buffered, goes in front). */
    private void flush() throws IOException {
        if (size == 0) return;
        try {
            send();
        } catch (IOException e) {
            transportFailure = e;
            throw e;
        }
    }

    private void send() throws IOException {
        if (chunked && bodyStart < size) {
            byte[] prefix = (Integer.toHexString(size - bodyStart) + "\r\n").getBytes(StandardCharsets.ISO_8859_1);
            if (bodyStart > 0) out.writeAll(buf, 0, bodyStart);
            out.writeAll(prefix, 0, prefix.length);
            out.writeAll(buf, bodyStart, size - bodyStart);
            out.writeAll(CRLF, 0, 2);
        } else {
            out.writeAll(buf, 0, size);
        }
        size = 0;
        bodyStart = 0;
    }

    private void finish() throws IOException {
        if (declared >= 0 && written != declared) {
            throw new BodyWriterException("the request body's writer wrote " + written + " of the " + declared + " bytes it declared");
        }
        flush();
        if (chunked) out.writeAll(LAST_CHUNK, 0, LAST_CHUNK.length);
    }
}
