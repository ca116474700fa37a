package xiio.http.server;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import xiio.http.HttpException;

/**
 * A request path as the {@link Router} matches it: split on {@code /} while still
 * percent-encoded, each segment decoded once after (UTF-8, {@code +} stays a plus),
 * so that what a parameter holds is one unambiguous name or, for a tail parameter,
 * a relative path that stays below the route's prefix. Refused with 400, before any
 * route is tried: a {@code ..} segment, plain or encoded ({@code %2e%2e},
 * {@code .%2E}); an encoded slash ({@code %2F}), which would make one segment two
 * once decoded; a malformed escape. A {@code .} segment, plain or encoded, is removed
 * as RFC 3986 section 5.2.4 removes it ({@code /a/./b} is {@code /a/b}; a trailing one
 * leaves an empty last segment, {@code /a/.} is {@code /a/}).
 *
 * <p>Why {@code ..} is refused rather than resolved: a client that follows RFC 3986
 * removes dot segments before it sends a request (browsers and curl do), so one that
 * arrives is a probe or a confused client; resolving it would move the request to
 * another route than the one a proxy or an access rule in front saw ({@code
 * /files/../admin}), and the handler, which reads {@link Request#path()} as sent,
 * would disagree with the router about which resource was asked for. Jetty 10 and
 * later refuse encoded dots and encoded slashes the same way by default (its
 * "ambiguous path segment" and "ambiguous path separator" violations).
 */
final class RoutePath {
    private RoutePath() {}

    /** The decoded segments of {@code rawPath} (without its leading {@code /}), dot segments handled as above. */
    static String[] segments(String rawPath) throws HttpException {
        String[] raw = rawPath.substring(rawPath.startsWith("/") ? 1 : 0).split("/", -1);
        String[] out = raw; // most paths need no decoding and no dot removal: no copy
        int n = 0;
        for (int i = 0; i < raw.length; i++) {
            String s = decode(raw[i], rawPath);
            if (s.equals("..")) throw new HttpException(400, "'..' is not allowed in the path " + shorten(rawPath));
            if (s.equals(".")) {
                if (out == raw) out = Arrays.copyOf(raw, raw.length);
                if (i == raw.length - 1) out[n++] = ""; // "/a/." is the directory "/a/"
                continue;
            }
            if (s != raw[i] && out == raw) out = Arrays.copyOf(raw, raw.length);
            out[n++] = s;
        }
        return n == out.length ? out : Arrays.copyOf(out, n);
    }

    /** One segment, percent-decoded; the segment itself if it has no escape. */
    private static String decode(String s, String rawPath) throws HttpException {
        if (s.indexOf('%') < 0) return s;
        byte[] out = new byte[s.length()];
        int n = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '%') {
                int hi = i + 2 < s.length() ? Character.digit(s.charAt(i + 1), 16) : -1;
                int lo = hi < 0 ? -1 : Character.digit(s.charAt(i + 2), 16);
                if (lo < 0) throw new HttpException(400, "malformed percent-escape in " + shorten(s));
                int b = hi << 4 | lo;
                if (b == '/') throw new HttpException(400, "an encoded '/' (%2F) is not allowed in the path " + shorten(rawPath));
                out[n++] = (byte) b;
                i += 2;
            } else {
                out[n++] = (byte) c; // the head parser let only printable ASCII through
            }
        }
        return new String(out, 0, n, StandardCharsets.UTF_8);
    }

    static String shorten(String s) {
        return s.length() <= 60 ? s : s.substring(0, 60) + "...";
    }
}
