package xiio.examples;

import xiio.http.HttpStatus;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * A response to write: status, header fields, and a body of known length (the
 * server always sends Content-Length, never chunked responses). Immutable, so a
 * response whose body is held in memory (the hello page) can be built once and
 * sent to every request.
 *
 * @param headers field names and values, alternating, in the order they are sent
 */
record HttpResponse(int status, List<String> headers, Body body) {
    /** A body that knows its length and writes itself; a file body owns an open file until closed. */
    interface Body extends AutoCloseable {
        long length();

        void writeTo(HttpResponseWriter out) throws IOException;

        @Override
        default void close() throws IOException {}
    }

    /** A body held in memory; the writer never changes the array. */
    record Bytes(byte[] bytes) implements Body {
        @Override
        public long length() {
            return bytes.length;
        }

        @Override
        public void writeTo(HttpResponseWriter out) throws IOException {
            out.writeBody(bytes, 0, bytes.length);
        }
    }

    HttpResponse {
        headers = List.copyOf(headers);
        if (headers.size() % 2 != 0) throw new IllegalArgumentException("header names and values must alternate: " + headers);
    }

    static HttpResponse of(int status, String contentType, byte[] body) {
        return new HttpResponse(status, List.of("Content-Type", contentType), new Bytes(body));
    }

    static HttpResponse text(int status, String text) {
        return of(status, "text/plain; charset=utf-8", text.getBytes(StandardCharsets.UTF_8));
    }

    static HttpResponse html(int status, String html) {
        return of(status, "text/html; charset=utf-8", html.getBytes(StandardCharsets.UTF_8));
    }

    /** An error page: {@code "404 Not Found: detail"}. */
    static HttpResponse error(int status, String detail) {
        return text(status, status + " " + HttpStatus.reason(status) + ": " + detail + "\n");
    }

    /** This response with one more header field. */
    HttpResponse with(String name, String value) {
        List<String> more = new ArrayList<>(headers);
        more.add(name);
        more.add(value);
        return new HttpResponse(status, more, body);
    }
}
