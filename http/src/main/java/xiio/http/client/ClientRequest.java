package xiio.http.client;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;

/**
 * A request to send: method, absolute URI, header fields, body. Immutable: each
 * {@code with...}/{@link #header} returns a new request. Names and values are checked
 * here, so a value with a line break (header injection) fails where it is made, not
 * on the wire. The framing and connection fields ({@code Host}, {@code Content-Length},
 * {@code Transfer-Encoding}, {@code Connection}, ...) are the client's to write.
 *
 * {@snippet :
 * ClientRequest post = ClientRequest.post(URI.create("http://127.0.0.1:8080/items"), RequestBody.of("{}"))
 *         .header("Content-Type", "application/json");
 * }
 */
public final class ClientRequest {
    /** Fields the client writes itself, from the URI and the body. */
    private static final Set<String> RESTRICTED = Set.of("host", "content-length", "transfer-encoding", "connection",
            "keep-alive", "upgrade", "te", "trailer", "expect");
    private static final Set<String> IDEMPOTENT = Set.of("GET", "HEAD", "PUT", "DELETE", "OPTIONS", "TRACE");

    private final String method;
    private final URI uri;
    private final Origin origin;
    private final List<String> headers; // name, value, name, value, ...
    private final RequestBody body;

    private ClientRequest(String method, URI uri, List<String> headers, RequestBody body) {
        this.method = method;
        this.uri = uri;
        this.origin = Origin.of(uri);
        this.headers = headers;
        this.body = body;
    }

    /**
     * A request with {@code method} (a token such as {@code GET} or {@code PATCH}) and no fields.
     *
     * @throws IllegalArgumentException if the method is not a token, or {@code uri} not an
     *         absolute http(s) URI with a host
     */
    public static ClientRequest of(String method, URI uri, RequestBody body) {
        Objects.requireNonNull(method, "method");
        Objects.requireNonNull(uri, "uri");
        Objects.requireNonNull(body, "body");
        if (!isToken(method)) throw new IllegalArgumentException("not a valid HTTP method: '" + method + "'");
        if (uri.getRawFragment() != null) uri = withoutFragment(uri); // a fragment is never sent (RFC 9110 section 4.2.5)
        return new ClientRequest(method, uri, List.of(), body);
    }

    /** A GET of {@code uri}. */
    public static ClientRequest get(URI uri) {
        return of("GET", uri, RequestBody.empty());
    }

    /** A GET of {@code uri}, parsed with {@link URI#create}. */
    public static ClientRequest get(String uri) {
        return get(URI.create(uri));
    }

    /** A HEAD of {@code uri}. */
    public static ClientRequest head(URI uri) {
        return of("HEAD", uri, RequestBody.empty());
    }

    /** A POST of {@code body} to {@code uri}. */
    public static ClientRequest post(URI uri, RequestBody body) {
        return of("POST", uri, body);
    }

    /** A PUT of {@code body} to {@code uri}. */
    public static ClientRequest put(URI uri, RequestBody body) {
        return of("PUT", uri, body);
    }

    /** A DELETE of {@code uri}. */
    public static ClientRequest delete(URI uri) {
        return of("DELETE", uri, RequestBody.empty());
    }

    /**
     * This request with one more header field (an existing field of that name stays).
     *
     * @throws IllegalArgumentException if the name is not a token, the value holds CR, LF,
     *         NUL or another control character, or the field is one the client writes itself
     */
    public ClientRequest header(String name, String value) {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(value, "value");
        if (!isToken(name)) throw new IllegalArgumentException("not a valid header name: '" + name + "'");
        if (RESTRICTED.contains(name.toLowerCase(Locale.ROOT))) {
            throw new IllegalArgumentException(name + " is written by the client (from the URI, the body and the"
                    + " connection's state); do not set it yourself");
        }
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c < 0x20 && c != '\t' || c == 0x7f || c > 0xff) {
                throw new IllegalArgumentException("the value of " + name + " holds " + (c == '\r' || c == '\n'
                        ? "a line break (that would inject header lines)" : String.format("the character U+%04X", (int) c)));
            }
        }
        String v = value.strip();
        List<String> copy = new ArrayList<>(headers.size() + 2);
        copy.addAll(headers);
        copy.add(name);
        copy.add(v);
        return new ClientRequest(method, uri, List.copyOf(copy), body);
    }

    /** This request with another URI (its header fields and body kept). */
    public ClientRequest withUri(URI uri) {
        return new ClientRequest(method, withoutFragment(Objects.requireNonNull(uri, "uri")), headers, body);
    }

    /** This request with another method and body (its URI and fields kept). */
    public ClientRequest withMethod(String method, RequestBody body) {
        ClientRequest r = of(method, uri, body);
        return new ClientRequest(r.method, uri, headers, body);
    }

    /** This request without the fields called {@code name} (any case). */
    public ClientRequest withoutHeader(String name) {
        List<String> copy = new ArrayList<>(headers.size());
        for (int i = 0; i < headers.size(); i += 2) {
            if (!headers.get(i).equalsIgnoreCase(name)) {
                copy.add(headers.get(i));
                copy.add(headers.get(i + 1));
            }
        }
        return new ClientRequest(method, uri, List.copyOf(copy), body);
    }

    /** The method, as given. */
    public String method() {
        return method;
    }

    /** The absolute URI, without a fragment. */
    public URI uri() {
        return uri;
    }

    /** Scheme, host and port of {@link #uri}: which pooled connections may carry it. */
    public Origin origin() {
        return origin;
    }

    /** The body. */
    public RequestBody body() {
        return body;
    }

    /** The first value of the field {@code name} (any case), or null. */
    public String header(String name) {
        for (int i = 0; i < headers.size(); i += 2) if (headers.get(i).equalsIgnoreCase(name)) return headers.get(i + 1);
        return null;
    }

    /** The fields as name, value, name, value, ... in the order they were added. */
    public List<String> headerFields() {
        return headers;
    }

    /** Whether sending it twice has the effect of sending it once (RFC 9110 section 9.2.2). */
    public boolean isIdempotent() {
        return IDEMPOTENT.contains(method);
    }

    /**
     * The request target: path and query, {@code /} for an empty path. A {@link URI} may
     * hold characters beyond ASCII ({@code URI.create("http://h/café")}); they go out
     * percent-encoded in UTF-8 (RFC 3986 section 3.3), as {@link URI#toASCIIString} does,
     * not as one Latin-1 byte each (or a {@code ?} past U+00FF), which servers refuse.
     */
    String target() {
        String path = uri.getRawPath() == null || uri.getRawPath().isEmpty() ? "/" : uri.getRawPath();
        return ascii(uri.getRawQuery() == null ? path : path + "?" + uri.getRawQuery());
    }

    private static String ascii(String s) {
        int i = 0;
        while (i < s.length() && s.charAt(i) < 0x80) i++;
        if (i == s.length()) return s;
        StringBuilder b = new StringBuilder(s.length() + 16).append(s, 0, i);
        for (; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < 0x80) {
                b.append(c);
                continue;
            }
            int end = Character.isHighSurrogate(c) && i + 1 < s.length() ? i + 2 : i + 1;
            for (byte x : s.substring(i, end).getBytes(StandardCharsets.UTF_8)) {
                b.append('%').append(Character.toUpperCase(Character.forDigit((x >> 4) & 0xF, 16)))
                        .append(Character.toUpperCase(Character.forDigit(x & 0xF, 16)));
            }
            i = end - 1;
        }
        return b.toString();
    }

    private static URI withoutFragment(URI uri) {
        String s = uri.toString();
        int hash = s.indexOf('#');
        return hash < 0 ? uri : URI.create(s.substring(0, hash));
    }

    static boolean isToken(String s) {
        if (s.isEmpty()) return false;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            boolean ok = c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || "!#$%&'*+-.^_`|~".indexOf(c) >= 0;
            if (!ok) return false;
        }
        return true;
    }

    @Override
    public String toString() {
        return method + " " + uri;
    }
}
