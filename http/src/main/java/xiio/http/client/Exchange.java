package xiio.http.client;

import java.io.IOException;
import xiio.http.BodyFraming;
import xiio.http.BodyReader;
import xiio.http.HttpHeaders;
import xiio.http.HttpResponseHead;

/**
 * One request on one leased connection, from the request's first byte to the
 * response body's last: what decides whether the connection may carry the next
 * exchange. It may only if the request went out whole, the response's framing
 * and both sides' {@code Connection} fields allow it, the body was read to its end,
 * and nothing else arrived after it. Anything else (a cancellation, a failure, a
 * half-read body) closes it, so a half-read connection is never handed to the next
 * request.
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

    /**
     * The exchange once {@code head} arrived: the body's framing, and whether the
     * connection may outlive it. A body that ends at the close, or that
     * Transfer-Encoding and Content-Length could frame two ways (RFC 9112 section 6.3),
     * leaves a connection nobody may reuse; so does a request that did not go out whole.
     */
    static Exchange of(PooledConnection c, ClientRequest request, HttpResponseHead head, boolean sentWhole, long maxBuffered)
            throws IOException {
        HttpHeaders h = head.headers();
        BodyFraming framing = BodyFraming.ofResponse(head.status(), request.method(), h);
        boolean keepAlive = sentWhole && head.keepAlive() && framing.kind() != BodyFraming.Kind.UNTIL_CLOSE
                && !(h.count("Transfer-Encoding") > 0 && h.count("Content-Length") > 0);
        ResponseBody body = new ResponseBody(new BodyReader(c.in, framing, Long.MAX_VALUE), maxBuffered);
        return new Exchange(c, new ClientResponse(head, request.uri(), body), keepAlive);
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
        if (!keepAlive || body.declaredLength() > DRAIN_LIMIT) return;
        byte[] sink = new byte[8192];
        for (long read = 0; read <= DRAIN_LIMIT; ) {
            int n = body.read(sink, 0, sink.length);
            if (n < 0) return;
            read += n;
        }
    }
}
