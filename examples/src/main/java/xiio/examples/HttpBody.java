package xiio.examples;

import java.io.EOFException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import xiio.io.LimitExceededException;
import xiio.io.StreamReader;

/**
 * Message bodies: how a message says where its body ends (RFC 9112 section 6), and
 * reading it, fixed-length or chunked, into a {@link Sink} piece by piece, so the
 * server can cap a request body and the client can count a response body without
 * holding it.
 */
final class HttpBody {
    private HttpBody() {}

    /** How the body is delimited. */
    enum Kind { NONE, LENGTH, CHUNKED, UNTIL_CLOSE }

    /** How a body is delimited, and its length for {@link Kind#LENGTH}. */
    record Framing(Kind kind, long length) {
        static final Framing NONE = new Framing(Kind.NONE, 0);
        static final Framing CHUNKED = new Framing(Kind.CHUNKED, -1);
        static final Framing UNTIL_CLOSE = new Framing(Kind.UNTIL_CLOSE, -1);
    }

    /** Where body bytes go. */
    @FunctionalInterface
    interface Sink {
        void accept(byte[] b, int off, int len) throws IOException;
    }

    /**
     * A request's framing. Both Content-Length and Transfer-Encoding, or two different
     * lengths, are refused (400): that ambiguity is how requests are smuggled past a proxy.
     *
     * @throws HttpException 400 for a bad or ambiguous length, 501 for a transfer coding other than chunked
     */
    static Framing ofRequest(HttpHeaders h) throws HttpException {
        if (h.count("Transfer-Encoding") == 0 && h.count("Content-Length") == 0) return Framing.NONE; // most requests: no lists
        List<String> te = h.all("Transfer-Encoding");
        List<String> cl = h.all("Content-Length");
        if (!te.isEmpty()) {
            if (!cl.isEmpty()) throw new HttpException(400, "both Transfer-Encoding and Content-Length");
            if (te.size() != 1 || !te.getFirst().equalsIgnoreCase("chunked")) {
                throw new HttpException(501, "only the chunked transfer coding is supported, got " + String.join(", ", te));
            }
            return Framing.CHUNKED;
        }
        if (cl.isEmpty()) return Framing.NONE;
        long length = parseLength(cl.getFirst());
        for (String other : cl) {
            if (parseLength(other) != length) throw new HttpException(400, "conflicting Content-Length values");
        }
        return length == 0 ? Framing.NONE : new Framing(Kind.LENGTH, length);
    }

    /** A response's framing, for a request with {@code method}: HEAD, 1xx, 204 and 304 responses have no body. */
    static Framing ofResponse(int status, String method, HttpHeaders h) throws HttpException {
        if (method.equals("HEAD") || status / 100 == 1 || status == 204 || status == 304) return Framing.NONE;
        String te = h.get("Transfer-Encoding");
        if (te != null) return te.toLowerCase().endsWith("chunked") ? Framing.CHUNKED : Framing.UNTIL_CLOSE;
        String cl = h.get("Content-Length");
        return cl == null ? Framing.UNTIL_CLOSE : new Framing(Kind.LENGTH, parseLength(cl));
    }

    private static long parseLength(String s) throws HttpException {
        // digits only: Long.parseLong would also take "+5", which another parser may read differently
        if (s.isEmpty() || s.length() > 18 || !s.chars().allMatch(c -> c >= '0' && c <= '9')) {
            throw new HttpException(400, "malformed Content-Length: " + HttpHeaders.shorten(s));
        }
        return Long.parseLong(s);
    }

    /**
     * Reads a body delimited by {@code framing} into {@code sink}, and returns its length.
     *
     * @param max the most body bytes accepted; more is a 413, detected before they are read
     *            where the length is declared
     * @throws HttpException 413 above {@code max}, 400 for a malformed chunk
     * @throws EOFException if the stream ends before the body does
     */
    static long read(StreamReader in, Framing framing, long max, Sink sink) throws IOException {
        byte[] buf = new byte[16 * 1024];
        return switch (framing.kind()) {
            case NONE -> 0;
            case LENGTH -> {
                if (framing.length() > max) throw tooLarge(max);
                copy(in, framing.length(), buf, sink);
                yield framing.length();
            }
            case CHUNKED -> readChunked(in, max, buf, sink);
            case UNTIL_CLOSE -> {
                long total = 0;
                for (int n; (n = in.read(buf, 0, buf.length)) > 0; ) {
                    if ((total += n) > max) throw tooLarge(max);
                    sink.accept(buf, 0, n);
                }
                yield total;
            }
        };
    }

    /** {@code size[;extensions] CRLF data CRLF} ... {@code 0 CRLF trailers CRLF}. */
    private static long readChunked(StreamReader in, long max, byte[] buf, Sink sink) throws IOException {
        long total = 0;
        while (true) {
            String line = chunkLine(in);
            int semi = line.indexOf(';');
            String hex = (semi < 0 ? line : line.substring(0, semi)).strip();
            if (hex.isEmpty() || hex.length() > 15 || !hex.chars().allMatch(c -> Character.digit(c, 16) >= 0)) {
                throw new HttpException(400, "malformed chunk size: " + HttpHeaders.shorten(line));
            }
            long size = Long.parseLong(hex, 16);
            if (size == 0) break;
            if ((total += size) > max) throw tooLarge(max);
            copy(in, size, buf, sink);
            if (!chunkLine(in).isEmpty()) throw new HttpException(400, "a chunk is longer than its size says");
        }
        HttpHeaders.read(in, 8192, 32); // trailer fields: read and ignored
        return total;
    }

    private static String chunkLine(StreamReader in) throws IOException {
        try {
            String line = in.readLine(1024, StandardCharsets.ISO_8859_1);
            if (line == null) throw new EOFException("the connection ended inside a chunked body");
            return line;
        } catch (LimitExceededException e) {
            throw new HttpException(400, "a chunk-size line is longer than 1024 bytes");
        }
    }

    private static void copy(StreamReader in, long n, byte[] buf, Sink sink) throws IOException {
        while (n > 0) {
            int want = (int) Math.min(n, buf.length);
            in.readExactly(buf, 0, want);
            sink.accept(buf, 0, want);
            n -= want;
        }
    }

    private static HttpException tooLarge(long max) {
        return new HttpException(413, "the body is larger than " + max + " bytes");
    }
}
