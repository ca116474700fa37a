package xiio.http.client;

import java.io.IOException;
import xiio.core.Interest;
import xiio.core.Xiio;
import xiio.io.ByteStream;
import xiio.io.FdStream;
import xiio.io.ForwardingStream;
import xiio.io.StreamReader;
import xiio.io.StreamWriter;
import xiio.tls.TlsStream;

/**
 * One connection of the pool: the stream (TCP, or TLS over TCP), the reader that
 * buffers what the server sent and the writer that buffers what goes to it, and what
 * the pool knows about it. It carries one exchange at a time (no pipelining), so
 * whatever the reader holds between exchanges is a protocol error, never the next
 * response.
 */
final class PooledConnection {
    private static final int BUFFER = 16 * 1024;

    /** Counts the bytes read, so a failure can tell "no answer at all" from "a broken answer". */
    private static final class CountingStream extends ForwardingStream {
        long bytesRead;

        CountingStream(ByteStream stream) {
            super(stream);
        }

        @Override
        public int read(byte[] buf, int off, int len) throws IOException {
            int n = stream.read(buf, off, len);
            if (n > 0) bytesRead += n;
            return n;
        }
    }

    final Origin origin;
    final ByteStream stream;
    final StreamReader in;
    final StreamWriter out;
    private final CountingStream counting;
    /** When it went back to the pool, on the run's clock. */
    long idleSince;
    /** Exchanges it has carried; the first one is on a fresh connection. */
    int exchanges;
    private boolean closed;

    PooledConnection(Origin origin, ByteStream stream) {
        this.origin = origin;
        this.stream = stream;
        this.counting = new CountingStream(stream);
        this.in = new StreamReader(counting, BUFFER);
        this.out = new StreamWriter(stream, BUFFER);
    }

    /** Whether an earlier exchange used it: a failure before any answer may mean the server had closed it. */
    boolean isReused() {
        return exchanges > 1;
    }

    /** Bytes the server has sent on it so far. */
    long bytesRead() {
        return counting.bytesRead;
    }

    /**
     * Whether this idle connection has heard from the server since its last answer: an
     * end of stream (the server closed it), or bytes nobody asked for (a "408 Request
     * Timeout" some servers send before they close an idle connection). Either way the
     * next request must not go out on it: its answer would be that, or nothing. One
     * poll(2) with a zero timeout, as urllib3 does before reusing a connection.
     */
    boolean heardFromWhileIdle() {
        if (in.buffered() > 0) return true;
        ByteStream s = stream instanceof TlsStream tls ? tls.transport() : stream;
        if (!(s instanceof FdStream fd)) return false;
        try {
            return Xiio.isReady(fd.fd(), Interest.READ);
        } catch (IOException | IllegalArgumentException closed) {
            return true;
        }
    }

    boolean isClosed() {
        return closed;
    }

    /** Closes the stream; a failure to say goodbye (close_notify) to a server that already left is no error. */
    void close() {
        if (closed) return;
        closed = true;
        try {
            stream.close();
        } catch (IOException ignored) {
            // the fd is released whatever close says; nobody waits for this connection any more
        }
    }

    @Override
    public String toString() {
        return origin + " (" + stream + ")";
    }
}
