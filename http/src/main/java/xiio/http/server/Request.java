package xiio.http.server;

import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Objects;
import xiio.http.HttpHeaders;
import xiio.http.HttpRequestHead;

/**
 * A request as a {@link Handler} sees it: the head, the parameters the {@link Router}
 * took out of the path, the peer's address, and the body, read on demand.
 *
 * {@snippet :
 * Handler echo = request -> Response.of(200, request.header("Content-Type"), request.body().readAllBytes());
 * }
 */
public final class Request {
    private final HttpRequestHead head;
    private final RequestBody body;
    private final InetSocketAddress peer;
    private final Map<String, String> params;

    Request(HttpRequestHead head, RequestBody body, InetSocketAddress peer, Map<String, String> params) {
        this.head = head;
        this.body = body;
        this.peer = peer;
        this.params = params;
    }

    /** @return this request with the router's path parameters */
    Request withParams(Map<String, String> params) {
        if (params.isEmpty() && this.params.isEmpty()) return this; // most routes have none: no copy per request
        return new Request(head, body, peer, Map.copyOf(params));
    }

    /** @return the request line and header fields */
    public HttpRequestHead head() {
        return head;
    }

    /** @return the method, such as {@code GET} */
    public String method() {
        return head.method();
    }

    /** @return the path without the query, still percent-encoded */
    public String path() {
        return head.path();
    }

    /** @return the header fields */
    public HttpHeaders headers() {
        return head.headers();
    }

    /**
     * The first value of a header field.
     *
     * @param name the field name, any case
     * @return the value, or null
     */
    public String header(String name) {
        return head.headers().get(name);
    }

    /**
     * A path parameter the route matched, such as {@code id} for {@code /users/{id}};
     * percent-decoded (UTF-8).
     *
     * @param name the parameter's name in the route's pattern
     * @return its value
     * @throws IllegalArgumentException if the route has no such parameter
     */
    public String param(String name) {
        String v = params.get(name);
        if (v == null) throw new IllegalArgumentException("the route has no parameter {" + name + "}; it has " + params.keySet());
        return v;
    }

    /**
     * The first value of a query parameter, percent-decoded (UTF-8, {@code +} as a space).
     *
     * @param name the parameter
     * @return its value, or null if the query does not have it
     */
    public String query(String name) {
        Objects.requireNonNull(name, "name");
        String q = head.query();
        if (q == null) return null;
        for (String pair : q.split("&")) {
            int eq = pair.indexOf('=');
            String k = eq < 0 ? pair : pair.substring(0, eq);
            if (decode(k).equals(name)) return eq < 0 ? "" : decode(pair.substring(eq + 1));
        }
        return null;
    }

    private static String decode(String s) {
        try {
            return java.net.URLDecoder.decode(s, StandardCharsets.UTF_8);
        } catch (IllegalArgumentException malformed) {
            return s;
        }
    }

    /** @return the body: read it as a stream, or whole */
    public RequestBody body() {
        return body;
    }

    /** @return the client's address */
    public InetSocketAddress peer() {
        return peer;
    }

    @Override
    public String toString() {
        return head.method() + " " + head.target() + " from " + peer;
    }
}
