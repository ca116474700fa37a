package xiio.http.server;

import java.io.IOException;
import xiio.io.ByteStream;
import xiio.io.ForwardingStream;

/**
 * The connection as the request reader sees it. Before every read that may wait,
 * pending answers are sent (the reader reads only when its buffer cannot serve the
 * request, so answers to a pipelined batch pile up and leave together). And it can
 * {@link #fill} itself ahead of the reader: the wait for a request's first byte (the
 * idle timeout, before the head timeout starts) and the watch for a client that goes
 * away while its request is handled both read here, into a pushback buffer the next
 * read returns first.
 */
final class ConnectionInput extends ForwardingStream {
    private final ResponseWriter out;
    private final byte[] pushback = new byte[8192];
    private int start, end;

    ConnectionInput(ByteStream stream, ResponseWriter out) {
        super(stream);
        this.out = out;
    }

    @Override
    public int read(byte[] buf, int off, int len) throws IOException {
        if (start < end) {
            int n = Math.min(len, end - start);
            System.arraycopy(pushback, start, buf, off, n);
            start += n;
            return n;
        }
        out.flush();
        return stream.read(buf, off, len);
    }

    /** @return whether bytes are waiting in the pushback buffer */
    boolean hasPushback() {
        return start < end;
    }

    /**
     * Waits until the client sends something and keeps it for the next read; with
     * {@code flushFirst}, sends what is pending before (the watch for a client that goes
     * away must not: the handler may be writing). Cancel-safe: a cancelled fill has
     * consumed nothing.
     *
     * @return false at end of stream
     * @throws IOException if the connection fails (a reset)
     */
    boolean fill(boolean flushFirst) throws IOException {
        if (start < end) return true;
        if (flushFirst) out.flush();
        int n = stream.read(pushback, 0, pushback.length);
        if (n < 0) return false;
        start = 0;
        end = n;
        return true;
    }
}
