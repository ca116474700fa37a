package xiio.http.server;

import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;
import xiio.http.HttpHeaders;
import xiio.http.HttpStatus;

/**
 * What a {@link Handler} answers: a status, header fields, and a body that is either
 * in memory, streamed by code that may suspend ({@link #stream}), or a {@link Body} of
 * your own (a file read in pieces, say). Immutable, so a response whose body is in
 * memory can be built once and sent to every request.
 *
 * <p>The server adds {@code Date}, {@code Server}, {@code Content-Length} or
 * {@code Transfer-Encoding: chunked}, and {@code Connection}; a handler may not set
 * those framing fields itself. {@link #with} sets a field, replacing any of the same
 * name; {@link #withAdded} adds one more, for {@code Set-Cookie} and the list fields.
 *
 * {@snippet :
 * Response hello = Response.text(200, "hello\n").with("Cache-Control", "no-store");
 * Response ticks = Response.stream(200, "text/plain", out -> {
 *     for (int i = 0; i < 3; i++) {
 *         out.write("tick " + i + "\n");
 *         out.flush();                          // waits for the client, at most writeTimeout
 *         Xiio.sleep(Duration.ofMillis(100));
 *     }
 * });
 * }
 */
public final class Response {
    private static final Set<String> FRAMING = Set.of("content-length", "transfer-encoding", "connection");
    /** Response fields whose grammar is one value, not a list (RFC 9110, 9111, 6266): never sent twice. */
    private static final Set<String> SINGLE_VALUED = Set.of("content-type", "location", "etag", "last-modified", "content-range",
            "content-location", "content-disposition", "date", "expires", "age", "retry-after", "server");

    /** A response body: its length if known, and how it writes itself. */
    public interface Body extends AutoCloseable {
        /** @return its length in bytes, or -1 if unknown (then it is sent chunked, or until the close to HTTP/1.0) */
        long length();

        /**
         * Writes the body; may suspend. It runs in the handler's cancel scope.
         *
         * @param out where the bytes go; waits when the client is slow
         * @throws Exception if it fails (the connection is then closed: a half-sent body cannot be taken back)
         */
        void writeTo(BodyWriter out) throws Exception;

        /** Releases what the body holds (an open file); called once it was sent or dropped. */
        @Override
        default void close() {}
    }

    /** A streamed body, written by code that may suspend. */
    @FunctionalInterface
    public interface StreamingBody {
        /**
         * Writes the body.
         *
         * @param out the writer
         * @throws Exception if it fails
         */
        void writeTo(BodyWriter out) throws Exception;
    }

    private record Bytes(byte[] bytes) implements Body {
        @Override
        public long length() {
            return bytes.length;
        }

        @Override
        public void writeTo(BodyWriter out) throws Exception {
            out.write(bytes, 0, bytes.length);
        }
    }

    /** A body written by code, of a declared length or (-1) not; the only kind that may read the request's as it goes. */
    record Streamed(long length, StreamingBody code) implements Body {
        @Override
        public void writeTo(BodyWriter out) throws Exception {
            code.writeTo(out);
        }
    }

    private static final Body EMPTY = new Bytes(new byte[0]);

    private final int status;
    private final HttpHeaders headers;
    private final Body body;

    private Response(int status, HttpHeaders headers, Body body) {
        if (status < 100 || status > 599) throw new IllegalArgumentException("a response status is 200 to 599, got " + status);
        if (status < 200) throw new IllegalArgumentException("interim (1xx) responses are the server's business, got " + status);
        this.status = status;
        this.headers = headers;
        this.body = Objects.requireNonNull(body, "body");
    }

    /**
     * A response with {@code body}, such as a file's.
     *
     * @param status      200 to 599
     * @param contentType the {@code Content-Type}, or null for none
     * @param body        the body
     * @return the response
     */
    public static Response of(int status, String contentType, Body body) {
        HttpHeaders h = new HttpHeaders();
        if (contentType != null) h.add("Content-Type", contentType);
        return new Response(status, h, body);
    }

    /**
     * A response whose body is {@code bytes} (kept, not copied: do not change them).
     *
     * @param status      200 to 599
     * @param contentType the {@code Content-Type}, or null for none
     * @param bytes       the body
     * @return the response
     */
    public static Response of(int status, String contentType, byte[] bytes) {
        return of(status, contentType, new Bytes(Objects.requireNonNull(bytes, "bytes")));
    }

    /**
     * A {@code text/plain; charset=utf-8} response.
     *
     * @param status 200 to 599
     * @param text   the body
     * @return the response
     */
    public static Response text(int status, String text) {
        return of(status, "text/plain; charset=utf-8", text.getBytes(StandardCharsets.UTF_8));
    }

    /**
     * A {@code text/html; charset=utf-8} response.
     *
     * @param status 200 to 599
     * @param html   the body
     * @return the response
     */
    public static Response html(int status, String html) {
        return of(status, "text/html; charset=utf-8", html.getBytes(StandardCharsets.UTF_8));
    }

    /**
     * A response without a body (204, 304, or a redirect with {@link #with} a Location).
     *
     * @param status 200 to 599
     * @return the response
     */
    public static Response empty(int status) {
        return new Response(status, new HttpHeaders(), EMPTY);
    }

    /**
     * An error page: {@code "404 Not Found: detail"} as text.
     *
     * @param status 400 to 599, or another
     * @param detail what was wrong
     * @return the response
     */
    public static Response error(int status, String detail) {
        return text(status, status + " " + HttpStatus.reason(status) + ": " + detail + "\n");
    }

    /**
     * A response whose body {@code code} writes while the client reads it: chunked to
     * an HTTP/1.1 client, until the close to an HTTP/1.0 one.
     *
     * @param status      200 to 599
     * @param contentType the {@code Content-Type}, or null
     * @param code        writes the body; runs in the handler's cancel scope
     * @return the response
     */
    public static Response stream(int status, String contentType, StreamingBody code) {
        return of(status, contentType, new Streamed(-1, Objects.requireNonNull(code, "code")));
    }

    /**
     * A response whose body {@code code} writes while the client reads it, of a length
     * known in advance: sent with {@code Content-Length}, so it needs no chunk framing,
     * keeps an HTTP/1.0 connection open, and lets the client see its size. A body that
     * streams the request's back (an echo, a transform that keeps the size) uses the
     * request's {@link RequestBody#length()}:
     *
     * {@snippet :
     * long n = request.body().length();       // -1 for a chunked upload
     * return n < 0
     *         ? Response.stream(200, type, out -> request.body().transferTo(out::write))
     *         : Response.stream(200, type, n, out -> request.body().transferTo(out::write));
     * }
     *
     * Nothing is held in memory but the writer's buffer, so a body of any size costs
     * the same few kilobytes. Writing more than {@code length} bytes fails the write;
     * fewer fails the response once {@code code} returns (the connection is then closed,
     * so the client sees it cut, never complete).
     *
     * @param status      200 to 599
     * @param contentType the {@code Content-Type}, or null
     * @param length      the body's length in bytes, at least 0
     * @param code        writes exactly {@code length} bytes; runs in the handler's cancel scope
     * @return the response
     * @throws IllegalArgumentException for a negative length
     */
    public static Response stream(int status, String contentType, long length, StreamingBody code) {
        if (length < 0) throw new IllegalArgumentException("a streamed body's declared length is at least 0, got " + length);
        return of(status, contentType, new Streamed(length, Objects.requireNonNull(code, "code")));
    }

    /**
     * This response with the field {@code name} set to {@code value}: any field of that
     * name it had is replaced, so {@code Response.text(200, "{}").with("Content-Type",
     * "application/json")} sends one {@code Content-Type}, the new one. This is what a
     * response needs of nearly every field (the content type, {@code Location},
     * validators, {@code Cache-Control}); a field sent several times, such as
     * {@code Set-Cookie}, is added with {@link #withAdded}.
     *
     * @param name  a token, any case
     * @param value the value (no control characters)
     * @return a new response
     * @throws IllegalArgumentException for a framing field the server sets
     *         ({@code Content-Length}, {@code Transfer-Encoding}, {@code Connection}), or a bad name or value
     */
    public Response with(String name, String value) {
        checkNotFraming(name);
        HttpHeaders copy = copy(headers);
        copy.set(name, value);
        return new Response(status, copy, body);
    }

    /**
     * This response with one more {@code name} field, after any it has: for the fields
     * that may be sent several times, {@code Set-Cookie} (one per cookie, RFC 6265) and
     * the comma-separated lists of RFC 9110 section 5.3 ({@code Vary}, {@code Link},
     * {@code Cache-Control}, {@code Allow}, ...). A field whose value is a single item
     * ({@code Content-Type}, {@code Location}, {@code ETag}, {@code Last-Modified},
     * {@code Content-Range}, {@code Content-Location}, {@code Content-Disposition},
     * {@code Date}, {@code Expires}, {@code Age}, {@code Retry-After}, {@code Server})
     * must not appear twice (RFC 9110 section 5.3), so adding a second one is refused:
     * {@link #with} replaces it.
     *
     * {@snippet :
     * Response r = Response.text(200, "hi\n")
     *         .withAdded("Set-Cookie", "session=abc; HttpOnly; Secure")
     *         .withAdded("Set-Cookie", "theme=dark");
     * }
     *
     * @param name  a token, any case
     * @param value the value (no control characters)
     * @return a new response
     * @throws IllegalArgumentException for a framing field the server sets, a
     *         single-valued field the response already has, or a bad name or value
     */
    public Response withAdded(String name, String value) {
        checkNotFraming(name);
        if (SINGLE_VALUED.contains(name.toLowerCase(Locale.ROOT)) && headers.count(name) > 0) {
            throw new IllegalArgumentException(name + " has a single value and this response has one (" + headers.get(name)
                    + "); use with(name, value) to replace it");
        }
        HttpHeaders copy = copy(headers);
        copy.add(name, value);
        return new Response(status, copy, body);
    }

    private static void checkNotFraming(String name) {
        if (FRAMING.contains(name.toLowerCase(Locale.ROOT))) {
            throw new IllegalArgumentException(name + " is set by the server from the body and the connection");
        }
    }

    /**
     * This response with another status.
     *
     * @param status 200 to 599
     * @return a new response
     */
    public Response withStatus(int status) {
        return new Response(status, headers, body);
    }

    /** @return the status */
    public int status() {
        return status;
    }

    /**
     * The first value of a header field.
     *
     * @param name the field name, any case
     * @return the value, or null
     */
    public String header(String name) {
        return headers.get(name);
    }

    /** @return a copy of the header fields */
    public HttpHeaders headers() {
        return copy(headers);
    }

    /** The fields themselves, for the writer, which only reads them. */
    HttpHeaders fields() {
        return headers;
    }

    /** @return the body */
    public Body body() {
        return body;
    }

    private static HttpHeaders copy(HttpHeaders h) {
        HttpHeaders c = new HttpHeaders();
        for (int i = 0; i < h.size(); i++) c.add(h.name(i), h.value(i));
        return c;
    }

    @Override
    public String toString() {
        return "Response[" + status + " " + HttpStatus.reason(status) + ", " + (body.length() < 0 ? "streamed" : body.length() + " B") + "]";
    }
}
