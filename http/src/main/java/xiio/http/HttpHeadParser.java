package xiio.http;

import java.io.EOFException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.regex.Pattern;
import xiio.io.LimitExceededException;
import xiio.io.StreamReader;

/**
 * Reads message heads off a connection within limits: request heads for a server
 * (RFC 9112 section 3), response heads for a client (section 4). A start line longer
 * than {@code maxStartLine} is 414 (in a request) , a header section over
 * {@code maxHeaderBytes} or {@code maxHeaderFields} is 431, a malformed line 400, an
 * HTTP version of another major than 1 (or 1.0's predecessors) is 505. A higher minor
 * version of HTTP/1 ({@code HTTP/1.2} to {@code HTTP/1.9}) is read as {@code HTTP/1.1},
 * the highest one this side implements: minor versions are backwards compatible, and
 * RFC 9110 section 6.2 and RFC 9112 section 2.3 ask a recipient to treat such a
 * message as if it were of the highest minor version it conforms to. Every check happens before anything is
 * allocated in proportion to what the peer sent. Thread-safe: it holds only limits.
 *
 * {@snippet :
 * HttpHeadParser parser = new HttpHeadParser(8192, 16384, 100);
 * HttpRequestHead req = parser.readRequest(in);   // null: the client closed between requests
 * }
 */
public final class HttpHeadParser {
    /** 8 KiB request line, 16 KiB header section, 100 fields: what the examples' server and most peers allow. */
    public static final HttpHeadParser DEFAULT = new HttpHeadParser(8192, 16 * 1024, 100);

    private static final Pattern VERSION = Pattern.compile("HTTP/\\d\\.\\d");
    private static final String HTTP_1_1 = "HTTP/1.1", HTTP_1_0 = "HTTP/1.0";
    /** Methods returned as constants rather than cut out of each request line. */
    private static final String[] COMMON_METHODS = {"GET", "HEAD", "POST", "PUT", "DELETE", "OPTIONS", "PATCH"};

    private final int maxStartLine, maxHeaderBytes, maxHeaderFields;

    /**
     * A parser with these limits.
     *
     * @param maxStartLine    the longest request or status line, in bytes without its CRLF (at least 16)
     * @param maxHeaderBytes  the largest header section, in bytes (at least 64)
     * @param maxHeaderFields the most header fields (at least 1)
     * @throws IllegalArgumentException if a limit is below its minimum
     */
    public HttpHeadParser(int maxStartLine, int maxHeaderBytes, int maxHeaderFields) {
        if (maxStartLine < 16) throw new IllegalArgumentException("maxStartLine must be at least 16, got " + maxStartLine);
        if (maxHeaderBytes < 64) throw new IllegalArgumentException("maxHeaderBytes must be at least 64, got " + maxHeaderBytes);
        if (maxHeaderFields < 1) throw new IllegalArgumentException("maxHeaderFields must be at least 1, got " + maxHeaderFields);
        this.maxStartLine = maxStartLine;
        this.maxHeaderBytes = maxHeaderBytes;
        this.maxHeaderFields = maxHeaderFields;
    }

    /**
     * Reads the next request head.
     *
     * @param in the connection
     * @return the head, or null if the connection ended cleanly between requests
     * @throws HttpException if the request is malformed or too large (its status says which)
     * @throws EOFException if the connection ends in the middle of a head
     * @throws IOException if reading fails
     */
    public HttpRequestHead readRequest(StreamReader in) throws IOException {
        String line;
        int emptyLines = 0;
        do {
            line = startLine(in, 414, "request line");
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
        if (sp2 == sp1 + 1) throw new HttpException(400, "the request target is empty");
        for (int i = sp1 + 1; i < sp2; i++) {
            char c = line.charAt(i);
            if (c <= 0x20 || c >= 0x7f) throw new HttpException(400, "the request target contains a byte that must be percent-encoded");
        }
        String target = line.substring(sp1 + 1, sp2);
        checkTargetForm(method, target);
        HttpHeaders headers = HttpHeaders.read(in, maxHeaderBytes, maxHeaderFields);
        if (version == HTTP_1_1 && headers.count("Host") != 1) {
            throw new HttpException(400, "an HTTP/1.1 request needs exactly one Host header");
        }
        return new HttpRequestHead(method, target, version, headers);
    }

    /**
     * Reads the next response head, interim (1xx) ones included: a client that sent
     * {@code Expect: 100-continue} wants to see them.
     *
     * @param in the connection
     * @return the head
     * @throws HttpException 502 (bad gateway, the status a proxy would answer) if the
     *         response is malformed or exceeds a limit
     * @throws EOFException if the connection ends before or inside the head
     * @throws IOException if reading fails
     */
    public HttpResponseHead readResponse(StreamReader in) throws IOException {
        String line = startLine(in, 502, "status line");
        if (line == null) throw new EOFException("the server closed the connection without answering");
        // HTTP-version SP 3DIGIT SP [reason-phrase]; a missing SP after the status is tolerated
        if (line.length() < 12 || line.charAt(8) != ' ' || !isDigits(line, 9, 12)
                || line.length() > 12 && line.charAt(12) != ' ') {
            throw new HttpException(502, "not an HTTP/1.x status line: " + HttpHeaders.shorten(line));
        }
        String version = version(line.substring(0, 8), 0);
        if (version == null) throw new HttpException(502, "unsupported HTTP version in status line: " + HttpHeaders.shorten(line));
        int status = Integer.parseInt(line, 9, 12, 10);
        if (status < 100) throw new HttpException(502, "status " + status + " is below 100");
        String reason = line.length() > 13 ? line.substring(13) : "";
        for (int i = 0; i < reason.length(); i++) {
            char c = reason.charAt(i);
            if (c < 0x20 && c != '\t' || c == 0x7f) throw new HttpException(502, "control character in the reason phrase");
        }
        HttpHeaders headers;
        try {
            headers = HttpHeaders.read(in, maxHeaderBytes, maxHeaderFields);
        } catch (HttpException e) {
            throw new HttpException(502, "bad response header: " + e.getMessage());
        }
        return new HttpResponseHead(version, status, reason, headers);
    }

    private String startLine(StreamReader in, int tooLong, String what) throws IOException {
        String line;
        try {
            // readLine's limit counts the CR before the LF; ours is the line without its ending
            line = in.readLine(maxStartLine + 1, StandardCharsets.ISO_8859_1);
        } catch (LimitExceededException e) {
            throw tooLong(tooLong, what);
        }
        if (line != null && line.length() > maxStartLine) throw tooLong(tooLong, what); // ended by a bare LF
        return line;
    }

    private HttpException tooLong(int status, String what) {
        return new HttpException(status, "the " + what + " is longer than " + maxStartLine + " bytes");
    }

    /**
     * The four target forms (RFC 9112 section 3.2): origin ({@code /path}), absolute
     * ({@code http://host/path}), authority (CONNECT only) and asterisk (OPTIONS only).
     */
    private static void checkTargetForm(String method, String target) throws HttpException {
        if (target.charAt(0) == '/') return;
        if (target.equals("*")) {
            if (method.equals("OPTIONS")) return;
            throw new HttpException(400, "the target * is for OPTIONS only");
        }
        if (method.equals("CONNECT")) return; // authority form; a server refuses CONNECT itself
        if (target.regionMatches(true, 0, "http://", 0, 7) && target.length() > 7
                || target.regionMatches(true, 0, "https://", 0, 8) && target.length() > 8) {
            return;
        }
        throw new HttpException(400, "the request target must be a path starting with '/' or an absolute http(s) URL, got "
                + HttpHeaders.shorten(target));
    }

    private static boolean isDigits(String s, int from, int to) {
        for (int i = from; i < to; i++) if (s.charAt(i) < '0' || s.charAt(i) > '9') return false;
        return true;
    }

    /** The method {@code line[0, end)}, a shared constant for the common ones. */
    private static String method(String line, int end) {
        for (String m : COMMON_METHODS) if (m.length() == end && line.startsWith(m)) return m;
        return line.substring(0, end);
    }

    /**
     * The version at {@code line[from, ...)}, as a constant: {@code HTTP/1.0}, or
     * {@code HTTP/1.1} for 1.1 and every higher minor version (RFC 9110 section 6.2);
     * null for anything else.
     */
    private static String version(String line, int from) {
        if (line.length() - from != HTTP_1_1.length()) return null;
        if (line.startsWith(HTTP_1_1, from)) return HTTP_1_1;
        if (line.startsWith(HTTP_1_0, from)) return HTTP_1_0;
        char minor = line.charAt(from + 7);
        if (line.startsWith("HTTP/1.", from) && minor >= '2' && minor <= '9') return HTTP_1_1;
        return null;
    }
}
