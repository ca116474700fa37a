package xiio.http.client;

import java.io.IOException;
import xiio.io.ByteStream;
import xiio.io.StreamReader;

/**
 * One connection of the pool: the stream (TCP, or TLS over TCP), the reader that
 * buffers what the server sent, and what the pool knows about it. It carries one
 * exchange at a time (no pipelining), so whatever the reader holds between
 * exchanges is a protocol error, never the next response.
 */
final class PooledConnection {
    final Origin origin;
    final ByteStream stream;
    final StreamReader in;
    /** When it went back to the pool, on the run's clock. */
    long idleSince;
    /** Exchanges it has carried; the first one is on a fresh connection. */
    int exchanges;
    private boolean closed;

    PooledConnection(Origin origin, ByteStream stream) {
        this.origin = origin;
        this.stream = stream;
        this.in = new StreamReader(stream, 16 * 1024);
    }

    /** Whether an earlier exchange used it: a failure before any answer may mean the server had closed it. */
    boolean isReused() {
        return exchanges > 1;
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
