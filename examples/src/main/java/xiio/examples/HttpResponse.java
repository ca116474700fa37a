package xiio.examples;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A response to write: status, header fields, and a body of known length (the
 * server always sends Content-Length, never chunked responses).
 */
record HttpResponse(int status, Map<String, String> headers, Body body) {
    /** A body that knows its length and writes itself; a file body owns an open file until closed. */
    interface Body extends AutoCloseable {
        long length();

        void writeTo(HttpResponseWriter out) throws IOException;

        @Override
        default void close() throws IOException {}
    }

    /** A body held in memory. */
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

    static HttpResponse of(int status, String contentType, byte[] body) {
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("Content-Type", contentType);
        return new HttpResponse(status, headers, new Bytes(body));
    }

    static HttpResponse text(int status, String text) {
        return of(status, "text/plain; charset=utf-8", text.getBytes(StandardCharsets.UTF_8));
    }

    static HttpResponse html(int status, String html) {
        return of(status, "text/html; charset=utf-8", html.getBytes(StandardCharsets.UTF_8));
    }

    /** An error page: {@code "404 Not Found: detail"}. */
    static HttpResponse error(int status, String detail) {
        return text(status, status + " " + HttpResponseWriter.reason(status) + ": " + detail + "\n");
    }

    /** The same response with one more header field. */
    HttpResponse with(String name, String value) {
        headers.put(name, value);
        return this;
    }
}
