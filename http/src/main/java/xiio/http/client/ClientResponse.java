package xiio.http.client;

import java.net.URI;
import xiio.http.HttpHeaders;
import xiio.http.HttpResponseHead;

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
    private final HttpResponseHead head;
    private final URI uri;
    private final ResponseBody body;

    ClientResponse(HttpResponseHead head, URI uri, ResponseBody body) {
        this.head = head;
        this.uri = uri;
        this.body = body;
    }

    ClientResponse withBody(ResponseBody body) {
        return new ClientResponse(head, uri, body);
    }

    /** @return the status code, three digits */
    public int status() {
        return head.status();
    }

    /** @return the reason phrase, possibly empty; clients should not rely on it (RFC 9112 section 4) */
    public String reason() {
        return head.reason();
    }

    /** @return {@code "HTTP/1.1"} or {@code "HTTP/1.0"} */
    public String version() {
        return head.version();
    }

    /** @return the status line and header fields, as the wire layer read them */
    public HttpResponseHead head() {
        return head;
    }

    /** @return the header fields */
    public HttpHeaders headers() {
        return head.headers();
    }

    /**
     * The first value of a header field.
     *
     * @param name the field's name, in any case
     * @return its first value, or null
     */
    public String header(String name) {
        return head.headers().get(name);
    }

    /** @return the URI this response answers: the request's, or the last redirect's target */
    public URI uri() {
        return uri;
    }

    /** @return the body */
    public ResponseBody body() {
        return body;
    }

    @Override
    public String toString() {
        return head.version() + " " + head.status() + (head.reason().isEmpty() ? "" : " " + head.reason()) + " (" + uri + ")";
    }
}
