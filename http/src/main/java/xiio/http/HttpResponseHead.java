package xiio.http;

import java.util.Objects;

/**
 * A response head: the status line and the header fields (RFC 9112 section 4).
 *
 * @param version {@code HTTP/1.1} or {@code HTTP/1.0}
 * @param status  the three-digit status
 * @param reason  the reason phrase as sent (possibly empty; clients should ignore it)
 * @param headers the header fields
 */
public record HttpResponseHead(String version, int status, String reason, HttpHeaders headers) {
    /** Checks that no part is null and the status has three digits. */
    public HttpResponseHead {
        Objects.requireNonNull(version, "version");
        Objects.requireNonNull(reason, "reason");
        Objects.requireNonNull(headers, "headers");
        if (status < 100 || status > 999) throw new IllegalArgumentException("a status has three digits, got " + status);
    }

    /** @return whether this is an interim (1xx) response, which another response follows */
    public boolean isInterim() {
        return status / 100 == 1;
    }

    /**
     * Whether the server keeps the connection open after this response: HTTP/1.1 unless
     * it says {@code Connection: close}, HTTP/1.0 only with {@code Connection: keep-alive}.
     *
     * @return true if the connection may carry another request
     */
    public boolean keepAlive() {
        if (headers.hasToken("Connection", "close")) return false;
        return version.equals("HTTP/1.1") || headers.hasToken("Connection", "keep-alive");
    }
}
