package xiio.http.client;

import java.net.URI;
import xiio.http.HttpHeaders;

/**
 * A response: status line, header fields, and the body, either still arriving
 * (inside {@link HttpClient#exchange}) or already in memory (from {@link HttpClient#send}).
 *
 * {@snippet :
 * ClientResponse r = client.send(ClientRequest.get(uri));
 * if (r.status() == 200) System.out.println(r.header("Content-Type") + ": " + r.body().text());
 * }
 */
public final class ClientResponse {
    private final StatusLine statusLine;
    private final HttpHeaders headers;
    private final URI uri;
    private final ResponseBody body;

    ClientResponse(StatusLine statusLine, HttpHeaders headers, URI uri, ResponseBody body) {
        this.statusLine = statusLine;
        this.headers = headers;
        this.uri = uri;
        this.body = body;
    }

    ClientResponse withBody(ResponseBody body) {
        return new ClientResponse(statusLine, headers, uri, body);
    }

    /** The status code, 100..599. */
    public int status() {
        return statusLine.status();
    }

    /** The reason phrase, possibly empty; clients should not rely on it (RFC 9112 section 4). */
    public String reason() {
        return statusLine.reason();
    }

    /** {@code "HTTP/1.1"} or {@code "HTTP/1.0"}. */
    public String version() {
        return statusLine.version();
    }

    /** The header fields. */
    public HttpHeaders headers() {
        return headers;
    }

    /** The first value of the field {@code name} (any case), or null. */
    public String header(String name) {
        return headers.get(name);
    }

    /** The URI this response answers: the request's, or the last redirect's target. */
    public URI uri() {
        return uri;
    }

    /** The body. */
    public ResponseBody body() {
        return body;
    }

    @Override
    public String toString() {
        return statusLine.version() + " " + statusLine.status() + (statusLine.reason().isEmpty() ? "" : " " + statusLine.reason())
                + " (" + uri + ")";
    }
}
