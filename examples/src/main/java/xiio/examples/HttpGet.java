package xiio.examples;

import java.io.IOException;
import java.net.URI;
import xiio.http.client.ClientRequest;
import xiio.http.client.HttpClient;

/**
 * One GET through the shared {@link HttpClient}: the body is counted as it arrives
 * and kept nowhere. There is no timeout here: the caller's cancel scope is the limit,
 * and a cancelled request closes its connection (the client pools only connections
 * whose response was read to its end).
 */
final class HttpGet {
    private HttpGet() {}

    /** The status, and how many body bytes arrived. */
    record Result(int status, String reason, long bodyBytes) {}

    /**
     * GETs {@code uri} ({@code http} or {@code https}).
     *
     * @throws IllegalArgumentException if it is not an http(s) URL with a host
     * @throws IOException if connecting fails or the response is malformed
     */
    static Result get(HttpClient client, URI uri) throws Exception {
        boolean web = "https".equalsIgnoreCase(uri.getScheme()) || "http".equalsIgnoreCase(uri.getScheme());
        if (!web || uri.getHost() == null) throw new IllegalArgumentException("not an http:// or https:// URL with a host");
        return client.exchange(ClientRequest.get(uri).header("Accept", "*/*"),
                r -> new Result(r.status(), r.reason(), r.body().discard()));
    }
}
