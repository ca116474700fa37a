package xiio.http.client;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import xiio.http.ChunkedWriter;
import xiio.io.StreamWriter;

/**
 * Writes a request to a connection's {@link StreamWriter} (RFC 9112 sections 3, 6
 * and 7): the head, with {@code Host} from the URI and the framing from the body,
 * then the body, as is or chunked ({@link ChunkedWriter}); then flushes. A small body
 * leaves in one write with its head. The writer's buffer is bounded, so a server that
 * reads slowly slows a streamed body's writer down.
 */
final class RequestWriter implements RequestBody.BodySink {
    private final StreamWriter out;
    private final ChunkedWriter chunks;  // null unless chunked
    private final long declared;         // the streamed body's length, or -1
    private long written;                // body bytes taken from the writer
    private IOException transportFailure; // what the connection threw, told apart from the body writer's own failures

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

    private RequestWriter(StreamWriter out, long declared) {
        this.out = out;
        this.declared = declared;
        this.chunks = declared < 0 ? new ChunkedWriter(out) : null;
    }

    /** Writes {@code request}; when it returns, the whole request has been handed to the stream. */
    static void write(StreamWriter out, ClientRequest request, String userAgent) throws IOException {
        byte[] head = head(request, userAgent);
        out.writeAll(head, 0, head.length);
        RequestBody body = request.body();
        if (body.isReplayable()) {
            out.writeAll(body.bytes(), 0, body.bytes().length);
        } else {
            RequestWriter w = new RequestWriter(out, body.length());
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
            if (w.chunks != null) {
                w.chunks.finish(null);
            } else if (w.written != w.declared) {
                throw new BodyWriterException("the request body's writer wrote " + w.written + " of the " + w.declared
                        + " bytes it declared");
            }
        }
        out.flush();
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
            throw new BodyWriterException("the request body's writer wrote more than the " + declared + " bytes it declared");
        }
        written += len;
        try {
            if (chunks != null) chunks.write(b, off, len);
            else out.writeAll(b, off, len);
        } catch (IOException e) {
            transportFailure = e;
            throw e;
        }
    }
}
