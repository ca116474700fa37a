package xiio.http;

import java.util.Objects;

/**
 * A request head: the request line and the header fields (RFC 9112 section 3). The body,
 * if any, is read separately ({@link BodyFraming}, {@link BodyReader}), once the
 * server decided whether it wants it.
 *
 * @param method  the method token, case-sensitive ({@code GET}, {@code HEAD}, ...)
 * @param target  the request target as sent: origin form ({@code /path?query}), absolute
 *                form ({@code http://host/path}) or {@code *}
 * @param version {@code HTTP/1.1} or {@code HTTP/1.0}
 * @param headers the header fields
 */
public record HttpRequestHead(String method, String target, String version, HttpHeaders headers) {
    /** Checks that no part is null. */
    public HttpRequestHead {
        Objects.requireNonNull(method, "method");
        Objects.requireNonNull(target, "target");
        Objects.requireNonNull(version, "version");
        Objects.requireNonNull(headers, "headers");
    }

    /**
     * The path of the target without its query, still percent-encoded; for an absolute
     * form target, the path after the authority ({@code "/"} if it has none).
     *
     * @return for example {@code /files/a%20b.txt}
     */
    public String path() {
        String t = originForm();
        int q = t.indexOf('?');
        return q < 0 ? t : t.substring(0, q);
    }

    /**
     * The query after {@code ?}, still percent-encoded.
     *
     * @return the query, or null if the target has none
     */
    public String query() {
        String t = originForm();
        int q = t.indexOf('?');
        return q < 0 ? null : t.substring(q + 1);
    }

    /** The target in origin form: an absolute-form target loses its scheme and authority. */
    private String originForm() {
        if (target.isEmpty() || target.charAt(0) == '/' || target.equals("*")) return target;
        int authority = target.indexOf("://");
        if (authority < 0) return target;
        int slash = target.indexOf('/', authority + 3);
        int q = target.indexOf('?', authority + 3);
        if (slash < 0 || q >= 0 && q < slash) return q < 0 ? "/" : "/" + target.substring(q);
        return target.substring(slash);
    }

    /**
     * Whether the client wants the connection kept open afterwards (RFC 9112 section 9.3):
     * HTTP/1.1 unless it says {@code Connection: close}, HTTP/1.0 only if it says
     * {@code Connection: keep-alive}, and never HTTP/1.0 with a {@code Transfer-Encoding}
     * (section 6.1: it may have passed an HTTP/1.0 intermediary that did not understand
     * the coding, so where the message ends is in doubt).
     *
     * @return true to keep the connection
     */
    public boolean keepAlive() {
        if (headers.hasToken("Connection", "close")) return false;
        if (version.equals("HTTP/1.0") && headers.count("Transfer-Encoding") > 0) return false;
        return version.equals("HTTP/1.1") || headers.hasToken("Connection", "keep-alive");
    }

    /**
     * Whether the client waits for {@code 100 Continue} before it sends the body.
     *
     * @return true for an HTTP/1.1 request with {@code Expect: 100-continue}
     */
    public boolean expectsContinue() {
        return version.equals("HTTP/1.1") && "100-continue".equalsIgnoreCase(headers.get("Expect"));
    }

    /** @return whether the method is {@code HEAD} */
    public boolean isHead() {
        return method.equals("HEAD");
    }
}
