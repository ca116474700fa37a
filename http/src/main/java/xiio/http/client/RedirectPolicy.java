package xiio.http.client;

import java.net.URI;
import java.net.URISyntaxException;

/**
 * Whether and how far a client follows redirects. Off unless asked for
 * ({@link #NONE}: a 3xx is returned like any response); {@link #follow} follows at
 * most that many, then fails with {@link TooManyRedirectsException}, so a server that
 * redirects in a loop costs a bounded number of requests.
 *
 * <p>What a followed redirect sends (RFC 9110 section 15.4): 303, and 301 or 302 after
 * a POST, become a GET without a body; 307 and 308 repeat the method and body, if the
 * body is in memory (a streamed body was consumed: the 3xx is returned). A redirect to
 * another origin drops {@code Authorization}, {@code Proxy-Authorization} and
 * {@code Cookie}. A redirect from https to http is not followed unless
 * {@link #allowingDowngrade} says so.
 *
 * @param maxRedirects the most redirects one exchange follows; 0 follows none
 * @param allowHttpsToHttp whether a redirect may leave https for plain http
 */
public record RedirectPolicy(int maxRedirects, boolean allowHttpsToHttp) {
    /** Redirects are returned, not followed: the default. */
    public static final RedirectPolicy NONE = new RedirectPolicy(0, false);

    /**
     * Checks the bound.
     *
     * @throws IllegalArgumentException if {@code maxRedirects} is negative
     */
    public RedirectPolicy {
        if (maxRedirects < 0) throw new IllegalArgumentException("maxRedirects must not be negative, got " + maxRedirects);
    }

    /** Follows at most {@code maxRedirects} redirects per exchange, never from https to http. */
    public static RedirectPolicy follow(int maxRedirects) {
        return new RedirectPolicy(maxRedirects, false);
    }

    /** This policy, also following redirects from https to plain http. */
    public RedirectPolicy allowingDowngrade() {
        return new RedirectPolicy(maxRedirects, true);
    }

    /** The request a redirect asks for, or null if this response is not one to follow. */
    ClientRequest next(ClientRequest request, ClientResponse response) {
        int status = response.status();
        if (maxRedirects == 0 || status != 301 && status != 302 && status != 303 && status != 307 && status != 308) return null;
        String location = response.header("Location");
        if (location == null) return null;
        URI target;
        try {
            target = request.uri().resolve(new URI(utf8(location.strip())));
        } catch (URISyntaxException | IllegalArgumentException e) {
            return null; // a Location we cannot read: the caller sees the 3xx as it is
        }
        if (target.getScheme() == null || !target.getScheme().equalsIgnoreCase("http") && !target.getScheme().equalsIgnoreCase("https")
                || target.getHost() == null) {
            return null;
        }
        if (request.origin().isHttps() && target.getScheme().equalsIgnoreCase("http") && !allowHttpsToHttp) return null;
        ClientRequest next = request.withUri(target);
        boolean toGet = status == 303 && !request.method().equals("HEAD")
                || (status == 301 || status == 302) && request.method().equals("POST");
        if (toGet) {
            next = next.withMethod("GET", RequestBody.empty()).withoutHeader("Content-Type").withoutHeader("Content-Encoding")
                    .withoutHeader("Content-Language").withoutHeader("Content-Location");
        } else if (!request.body().isReplayable()) {
            return null; // the stream was sent once and is gone
        }
        if (!next.origin().equals(request.origin())) {
            next = next.withoutHeader("Authorization").withoutHeader("Proxy-Authorization").withoutHeader("Cookie");
        }
        return next;
    }

    /**
     * A Location as the server meant it: header values are read one byte per char, and
     * servers that send a raw non-ASCII Location send UTF-8 (browsers read it so), so
     * those bytes are decoded as UTF-8 when they are valid UTF-8; the request target then
     * percent-encodes them again, once.
     */
    private static String utf8(String latin1) {
        boolean ascii = true;
        for (int i = 0; i < latin1.length() && ascii; i++) ascii = latin1.charAt(i) < 0x80;
        if (ascii) return latin1;
        try {
            return java.nio.charset.StandardCharsets.UTF_8.newDecoder()
                    .decode(java.nio.ByteBuffer.wrap(latin1.getBytes(java.nio.charset.StandardCharsets.ISO_8859_1))).toString();
        } catch (java.nio.charset.CharacterCodingException notUtf8) {
            return latin1; // Latin-1 it is: each char goes out as its UTF-8 escape
        }
    }
}
