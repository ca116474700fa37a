package xiio.http.client;

import java.net.URI;
import java.util.Locale;
import java.util.Objects;

/**
 * Where a request goes, as far as a connection is concerned (RFC 9110 section 4.3.1):
 * scheme, host and port. Requests to one origin share the pool's connections to it;
 * the path and query play no part.
 *
 * {@snippet :
 * Origin o = Origin.of(URI.create("https://Example.COM/a?b"));  // https://example.com:443
 * o.authority();                                               // "example.com", the Host header
 * }
 *
 * @param scheme {@code "http"} or {@code "https"}, lower case
 * @param host the host name in lower case, or an IP literal (IPv6 without brackets)
 * @param port the port, the scheme's default filled in
 */
public record Origin(String scheme, String host, int port) {

    /**
     * Checks and normalizes the fields.
     *
     * @throws IllegalArgumentException if the scheme is not http or https, the host
     *         is empty, or the port is outside 1..65535
     */
    public Origin {
        Objects.requireNonNull(scheme, "scheme");
        Objects.requireNonNull(host, "host");
        scheme = scheme.toLowerCase(Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https")) {
            throw new IllegalArgumentException("the scheme must be http or https, got '" + scheme + "'");
        }
        if (host.startsWith("[") && host.endsWith("]")) host = host.substring(1, host.length() - 1);
        if (host.isEmpty()) throw new IllegalArgumentException("the host must not be empty");
        host = host.toLowerCase(Locale.ROOT);
        if (port < 1 || port > 65535) throw new IllegalArgumentException("the port must be 1..65535, got " + port);
    }

    /**
     * The origin of an absolute {@code http} or {@code https} URI.
     *
     * @throws IllegalArgumentException if {@code uri} is not an absolute http(s) URI with a host
     */
    public static Origin of(URI uri) {
        Objects.requireNonNull(uri, "uri");
        String scheme = uri.getScheme();
        if (scheme == null || !scheme.equalsIgnoreCase("http") && !scheme.equalsIgnoreCase("https")) {
            throw new IllegalArgumentException("not an http:// or https:// URL: " + uri);
        }
        if (uri.getHost() == null) {
            throw new IllegalArgumentException("no host in " + uri + (uri.getRawAuthority() != null
                    ? " (the authority '" + uri.getRawAuthority() + "' is not a valid host name)" : ""));
        }
        if (uri.getRawUserInfo() != null) {
            throw new IllegalArgumentException("user information in a URL is not supported (RFC 9110 section 4.2.4"
                    + " deprecates it); send an Authorization header instead: " + uri.getHost());
        }
        int port = uri.getPort() > 0 ? uri.getPort() : defaultPort(scheme.toLowerCase(Locale.ROOT));
        return new Origin(scheme, uri.getHost(), port);
    }

    /** Whether connections to this origin use TLS. */
    public boolean isHttps() {
        return scheme.equals("https");
    }

    /** The {@code Host} header's value: the host (IPv6 in brackets) and the port unless it is the default. */
    public String authority() {
        String h = host.indexOf(':') >= 0 ? "[" + host + "]" : host;
        return port == defaultPort(scheme) ? h : h + ":" + port;
    }

    /** {@code scheme://authority}, the default port included. */
    @Override
    public String toString() {
        return scheme + "://" + (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + port;
    }

    private static int defaultPort(String scheme) {
        return scheme.equals("https") ? 443 : 80;
    }
}
