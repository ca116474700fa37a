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
 * anything is allocated in proportion to what the client sent.
 */
final class HttpRequestParser {
    private static final Pattern VERSION = Pattern.compile("HTTP/\\d\\.\\d");

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

        String[] parts = line.split(" ", -1);
        if (parts.length != 3) throw new HttpException(400, "malformed request line: " + HttpHeaders.shorten(line));
        String method = parts[0], target = parts[1], version = parts[2];
        if (!HttpHeaders.isToken(method, 0, method.length())) throw new HttpException(400, "malformed method: " + HttpHeaders.shorten(method));
        if (!version.equals("HTTP/1.1") && !version.equals("HTTP/1.0")) {
            if (VERSION.matcher(version).matches()) throw new HttpException(505, version + " is not supported; use HTTP/1.1");
            throw new HttpException(400, "malformed HTTP version: " + HttpHeaders.shorten(version));
        }
        if (!target.startsWith("/")) {
            throw new HttpException(400, "the request target must be a path starting with '/' (origin form), got "
                    + HttpHeaders.shorten(target));
        }
        for (int i = 0; i < target.length(); i++) {
            char c = target.charAt(i);
            if (c <= 0x20 || c >= 0x7f) throw new HttpException(400, "the request target contains a byte that must be percent-encoded");
        }
        HttpHeaders headers = HttpHeaders.read(in, maxHeaderBytes, maxHeaderFields);
        if (version.equals("HTTP/1.1") && headers.all("Host").size() != 1) {
            throw new HttpException(400, "an HTTP/1.1 request needs exactly one Host header");
        }
        return new HttpRequest(method, target, version, headers);
    }
}
