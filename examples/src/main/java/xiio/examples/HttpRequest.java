package xiio.examples;

/**
 * A parsed request head: request line and header fields. The body, if any, is read
 * separately ({@link HttpBody}), after the server decided whether it wants it.
 *
 * @param method  the method token, case-sensitive ({@code GET}, {@code HEAD}, ...)
 * @param target  the request target as sent, in origin form ({@code /path?query})
 * @param version {@code HTTP/1.1} or {@code HTTP/1.0}
 */
record HttpRequest(String method, String target, String version, HttpHeaders headers) {
    /** The target without its query string, still percent-encoded. */
    String path() {
        int q = target.indexOf('?');
        return q < 0 ? target : target.substring(0, q);
    }

    /** Whether the client wants the connection kept open afterwards (RFC 9112 section 9.3). */
    boolean keepAlive() {
        if (headers.hasToken("Connection", "close")) return false;
        return version.equals("HTTP/1.1") || headers.hasToken("Connection", "keep-alive");
    }

    /** Whether the client waits for "100 Continue" before it sends the body. */
    boolean expectsContinue() {
        return version.equals("HTTP/1.1") && "100-continue".equalsIgnoreCase(headers.get("Expect"));
    }

    boolean isHead() {
        return method.equals("HEAD");
    }
}
