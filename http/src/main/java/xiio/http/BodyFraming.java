package xiio.http;

import java.util.List;

/**
 * How a message says where its body ends (RFC 9112 section 6): not at all, by a
 * {@code Content-Length}, by the chunked coding, or (responses only) by the close of
 * the connection.
 *
 * @param kind   how the body is delimited
 * @param length its length for {@link Kind#LENGTH}, else -1
 */
public record BodyFraming(Kind kind, long length) {
    /** How a body is delimited. */
    public enum Kind {
        /** No body. */
        NONE,
        /** {@code Content-Length} bytes. */
        LENGTH,
        /** {@code Transfer-Encoding: chunked}. */
        CHUNKED,
        /** Everything until the connection closes (a response without length or chunking). */
        UNTIL_CLOSE
    }

    /** No body. */
    public static final BodyFraming NONE = new BodyFraming(Kind.NONE, -1);
    /** A chunked body. */
    public static final BodyFraming CHUNKED = new BodyFraming(Kind.CHUNKED, -1);
    /** A body that ends with the connection. */
    public static final BodyFraming UNTIL_CLOSE = new BodyFraming(Kind.UNTIL_CLOSE, -1);

    /** Checks that the length goes with the kind. */
    public BodyFraming {
        if (kind == null) throw new NullPointerException("kind");
        if (kind == Kind.LENGTH ? length < 0 : length != -1) {
            throw new IllegalArgumentException(kind + " framing with length " + length);
        }
    }

    /**
     * A body of exactly {@code length} bytes.
     *
     * @param length 0 or more
     * @return the framing
     */
    public static BodyFraming ofLength(long length) {
        return new BodyFraming(Kind.LENGTH, length);
    }

    /**
     * A request's framing. Both {@code Content-Length} and {@code Transfer-Encoding}, or
     * two different lengths, are refused: that ambiguity is how requests are smuggled
     * past a proxy (RFC 9112 section 6.3 lets a server reject it, and we do).
     *
     * @param h the request's header fields
     * @return the framing; {@link #NONE} for a request without either field
     * @throws HttpException 400 for a bad or ambiguous length, 501 for a transfer coding other than chunked
     */
    public static BodyFraming ofRequest(HttpHeaders h) throws HttpException {
        if (h.count("Transfer-Encoding") == 0 && h.count("Content-Length") == 0) return NONE; // most requests: no lists
        List<String> te = h.all("Transfer-Encoding");
        List<String> cl = h.all("Content-Length");
        if (!te.isEmpty()) {
            if (!cl.isEmpty()) throw new HttpException(400, "both Transfer-Encoding and Content-Length");
            if (te.size() != 1 || !te.getFirst().equalsIgnoreCase("chunked")) {
                throw new HttpException(501, "only the chunked transfer coding is supported, got " + String.join(", ", te));
            }
            return CHUNKED;
        }
        long length = commonLength(cl, 400);
        return length == 0 ? NONE : ofLength(length);
    }

    /**
     * A response's framing (RFC 9112 section 6.3): none for {@code HEAD}, 1xx, 204 and
     * 304; chunked if chunked is the last transfer coding, until the close for another
     * coding; else the {@code Content-Length}, or until the close without one.
     *
     * @param status        the response status
     * @param requestMethod the method of the request it answers
     * @param h             the response's header fields
     * @return the framing
     * @throws HttpException 502 for a malformed or conflicting {@code Content-Length}
     */
    public static BodyFraming ofResponse(int status, String requestMethod, HttpHeaders h) throws HttpException {
        if (requestMethod.equals("HEAD") || HttpStatus.hasNoBody(status)) return NONE;
        if (requestMethod.equals("CONNECT") && status / 100 == 2) return NONE;
        if (h.count("Transfer-Encoding") > 0) {
            List<String> te = h.all("Transfer-Encoding");
            String last = te.getLast();
            int comma = last.lastIndexOf(',');
            String coding = (comma < 0 ? last : last.substring(comma + 1)).strip();
            return coding.equalsIgnoreCase("chunked") ? CHUNKED : UNTIL_CLOSE;
        }
        if (h.count("Content-Length") == 0) return UNTIL_CLOSE;
        return ofLength(commonLength(h.all("Content-Length"), 502));
    }

    /** The one length all values state ({@code 5, 5} counts as one); {@code status} if they disagree or one is malformed. */
    private static long commonLength(List<String> values, int status) throws HttpException {
        long length = -1;
        for (String field : values) {
            for (String v : field.split(",", -1)) {
                long n = parseLength(v.strip(), status);
                if (length >= 0 && n != length) throw new HttpException(status, "conflicting Content-Length values");
                length = n;
            }
        }
        return length;
    }

    private static long parseLength(String s, int status) throws HttpException {
        // digits only: Long.parseLong would also take "+5", which another parser may read differently
        if (s.isEmpty() || s.length() > 18 || !s.chars().allMatch(c -> c >= '0' && c <= '9')) {
            throw new HttpException(status, "malformed Content-Length: " + HttpHeaders.shorten(s));
        }
        return Long.parseLong(s);
    }
}
