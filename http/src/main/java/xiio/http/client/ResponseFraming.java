package xiio.http.client;

import java.io.IOException;
import java.util.List;
import xiio.http.HttpHeaders;

/**
 * Where a response body ends (RFC 9112 section 6.3), in the order the RFC decides it:
 * no body for HEAD, 1xx, 204 and 304; chunked if the last transfer coding is chunked;
 * until the connection closes for any other transfer coding or no length at all; else
 * the Content-Length. A response with both Transfer-Encoding and Content-Length is
 * read by its coding and its connection closed afterwards, as the RFC says a client
 * must, since the two could have been meant to frame different messages.
 *
 * @param kind how the body is delimited
 * @param length the declared length for {@link Kind#LENGTH}, else -1
 * @param closeAfter whether the connection cannot carry another exchange after this body
 */
record ResponseFraming(Kind kind, long length, boolean closeAfter) {
    /** How a body is delimited. */
    enum Kind { NONE, LENGTH, CHUNKED, UNTIL_CLOSE }

    static final ResponseFraming NONE = new ResponseFraming(Kind.NONE, 0, false);

    static ResponseFraming of(int status, String method, HttpHeaders h) throws IOException {
        if (method.equals("HEAD") || status / 100 == 1 || status == 204 || status == 304) return NONE;
        List<String> te = h.all("Transfer-Encoding");
        List<String> cl = h.all("Content-Length");
        if (!te.isEmpty()) {
            String last = te.getLast();
            int comma = last.lastIndexOf(',');
            String coding = (comma < 0 ? last : last.substring(comma + 1)).strip();
            boolean chunked = coding.equalsIgnoreCase("chunked");
            return new ResponseFraming(chunked ? Kind.CHUNKED : Kind.UNTIL_CLOSE, -1, !cl.isEmpty() || !chunked);
        }
        if (cl.isEmpty()) return new ResponseFraming(Kind.UNTIL_CLOSE, -1, true);
        long length = -1;
        for (String field : cl) {
            for (String v : field.split(",", -1)) { // "5, 5" is one length said twice (RFC 9110 section 8.6)
                long n = parseLength(v.strip());
                if (length >= 0 && n != length) {
                    throw new IOException("the response has conflicting Content-Length values: " + String.join(", ", cl));
                }
                length = n;
            }
        }
        return length == 0 ? new ResponseFraming(Kind.NONE, 0, false) : new ResponseFraming(Kind.LENGTH, length, false);
    }

    private static long parseLength(String s) throws IOException {
        // digits only: Long.parseLong would also take "+5", which another parser may read differently
        if (s.isEmpty() || s.length() > 18 || !s.chars().allMatch(c -> c >= '0' && c <= '9')) {
            throw new IOException("malformed Content-Length in the response: " + Shorten.of(s));
        }
        return Long.parseLong(s);
    }
}
