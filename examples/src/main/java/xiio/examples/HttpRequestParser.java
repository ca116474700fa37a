package xiio.examples;

import java.io.EOFException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.regex.Pattern;
import xiio.io.LimitExceededException;
import xiio.io.StreamReader;

/**
 * Reads request heads off a connection (RFC 9112 sections 2 and 3), within limits:
 * a request line longer than {@code maxRequestLine} is 414, a header section over
 * {@code maxHeaderBytes} or {@code maxHeaderFields} is 431, a malformed line 400,
 * an HTTP version other than 1.0 and 1.1 is 505. Every check happens before
 * anything is allocated in proportion to what the client sent. The request line is
 * scanned in place: common methods and the versions are constants, and only the
 * target is cut out of it.
 */
final class HttpRequestParser {
    private static final Pattern VERSION = Pattern.compile("HTTP/\\d\\.\\d");
    private static final String HTTP_1_1 = "HTTP/1.1", HTTP_1_0 = "HTTP/1.0";
    /** Methods returned as constants rather than cut out of each request line. */
    private static final String[] COMMON_METHODS = {"GET", "HEAD", "POST", "PUT", "DELETE", "OPTIONS"};

    private final int maxRequestLine, maxHeaderBytes, maxHeaderFields;

    HttpRequestParser(int maxRequestLine, int maxHeaderBytes, int maxHeaderFields) {
        this.maxRequestLine = maxRequestLine;
        this.maxHeaderBytes = maxHeaderBytes;
        this.maxHeaderFields = maxHeaderFields;
    }

    /**
     * Reads the next request head; null if the connection ended cleanly between requests.
     *
     * @throws HttpException if the request is malformed or too large (its status says which)
     * @throws EOFException if the connection ends in the middle of a head
     */
    HttpRequest read(StreamReader in) throws IOException {
        String line;
        int emptyLines = 0;
        do {
            try {
                line = in.readLine(maxRequestLine, StandardCharsets.ISO_8859_1);
            } catch (LimitExceededException e) {
                throw new HttpException(414, "the request line is longer than " + maxRequestLine + " bytes");
            }
            if (line == null) return null;
            // a client may send an empty line after a POST body (RFC 9112 section 2.2); a few are tolerated
        } while (line.isEmpty() && ++emptyLines <= 2);

        // exactly two spaces: method SP target SP version (RFC 9112 section 3)
        int sp1 = line.indexOf(' ');
        int sp2 = sp1 < 0 ? -1 : line.indexOf(' ', sp1 + 1);
        if (sp2 < 0 || line.indexOf(' ', sp2 + 1) >= 0) throw new HttpException(400, "malformed request line: " + HttpHeaders.shorten(line));
        if (!HttpHeaders.isToken(line, 0, sp1)) throw new HttpException(400, "malformed method: " + HttpHeaders.shorten(line.substring(0, sp1)));
        String method = method(line, sp1);
        String version = version(line, sp2 + 1);
        if (version == null) {
            String v = line.substring(sp2 + 1);
            if (VERSION.matcher(v).matches()) throw new HttpException(505, v + " is not supported; use HTTP/1.1");
            throw new HttpException(400, "malformed HTTP version: " + HttpHeaders.shorten(v));
        }
        if (sp2 == sp1 + 1 || line.charAt(sp1 + 1) != '/') {
            throw new HttpException(400, "the request target must be a path starting with '/' (origin form), got "
                    + HttpHeaders.shorten(line.substring(sp1 + 1, sp2)));
        }
        for (int i = sp1 + 1; i < sp2; i++) {
            char c = line.charAt(i);
            if (c <= 0x20 || c >= 0x7f) throw new HttpException(400, "the request target contains a byte that must be percent-encoded");
        }
        String target = line.substring(sp1 + 1, sp2);
        HttpHeaders headers = HttpHeaders.read(in, maxHeaderBytes, maxHeaderFields);
        if (version == HTTP_1_1 && headers.count("Host") != 1) {
            throw new HttpException(400, "an HTTP/1.1 request needs exactly one Host header");
        }
        return new HttpRequest(method, target, version, headers);
    }

    /** The method {@code line[0, end)}, a shared constant for the common ones. */
    private static String method(String line, int end) {
        for (String m : COMMON_METHODS) if (m.length() == end && line.startsWith(m)) return m;
        return line.substring(0, end);
    }

    /** The version at {@code line[from, ...)}, as a constant; null if it is not HTTP/1.1 or HTTP/1.0. */
    private static String version(String line, int from) {
        if (line.length() - from != HTTP_1_1.length()) return null;
        if (line.startsWith(HTTP_1_1, from)) return HTTP_1_1;
        if (line.startsWith(HTTP_1_0, from)) return HTTP_1_0;
        return null;
    }
}
