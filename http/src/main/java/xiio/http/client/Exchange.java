package xiio.http.client;

import java.io.IOException;

/**
 * One request on one leased connection, from the request's first byte to the
 * response body's last: what decides whether the connection may carry the next
 * exchange. It may only if the request went out whole, the response's framing
 * and both sides' {@code Connection} fields allow it, and the body was read to its
 * end. Anything else (a cancellation, a failure, a half-read body) closes it, so a
 * half-read connection is never handed to the next request.
 */
final class Exchange {
    private static final long DRAIN_LIMIT = 64 * 1024;

    final PooledConnection connection;
    final ClientResponse response;
    private final boolean keepAlive;

    Exchange(PooledConnection connection, ClientResponse response, boolean keepAlive) {
        this.connection = connection;
        this.response = response;
        this.keepAlive = keepAlive;
    }

    /** Whether the connection may carry another exchange now. */
    boolean reusable() {
        return keepAlive && response.body().isComplete() && connection.in.buffered() == 0;
    }

    /**
     * Reads a small rest of the body (a redirect's, at most {@value #DRAIN_LIMIT} bytes)
     * so the connection can be reused; a larger one is left, and the connection closed.
     */
    void drainSmallBody() throws IOException {
        ResponseBody body = response.body();
        long declared = body.declaredLength();
        if (!keepAlive || declared > DRAIN_LIMIT) return;
        byte[] sink = new byte[8192];
        for (long read = 0; read <= DRAIN_LIMIT; ) {
            int n = body.read(sink, 0, sink.length);
            if (n < 0) return;
            read += n;
        }
    }
}
