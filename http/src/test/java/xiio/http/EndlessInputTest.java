package xiio.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import xiio.core.Xiio;
import xiio.io.ByteStream;
import xiio.io.StreamReader;

/**
 * Memory stays bounded whatever a peer sends: a message that never ends (a header
 * line, a header section, a chunk extension, a trailer section, chunks past the body
 * limit, empty lines) is refused once its limit is passed, having taken from the
 * connection at most the limit plus one read. The parser cannot hold more than it
 * took, so "bytes taken" bounds what it buffers; that, not the JVM's heap (which a
 * garbage collector blurs), is what is measured.
 */
class EndlessInputTest {
    /** What the reader asks for per read: StreamReader's initial buffer, as the server's connection has. */
    private static final int READ = 8192;
    private static final HttpHeadParser PARSER = new HttpHeadParser(8192, 16 * 1024, 100);

    /** {@code prefix}, then {@code pattern} again and again, forever; counts the bytes handed out. */
    static final class EndlessStream implements ByteStream {
        private final byte[] prefix, pattern;
        long taken;

        EndlessStream(String prefix, String pattern) {
            this.prefix = prefix.getBytes(StandardCharsets.ISO_8859_1);
            this.pattern = pattern.getBytes(StandardCharsets.ISO_8859_1);
        }

        @Override
        public int read(byte[] buf, int off, int len) {
            int n = Math.min(len, 1000); // a network hands out pieces
            for (int i = 0; i < n; i++, taken++) {
                buf[off + i] = taken < prefix.length ? prefix[(int) taken] : pattern[(int) ((taken - prefix.length) % pattern.length)];
            }
            return n;
        }

        @Override
        public int write(byte[] buf, int off, int len) {
            throw new UnsupportedOperationException("read-only");
        }

        @Override
        public void shutdownOutput() {}

        @Override
        public void close() {}
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        // what                  | status | limit | prefix                                                              | repeated forever
        "request line            | 414 | 8192  | GET /                                                               | a",
        "one header line         | 431 | 16384 | GET / HTTP/1.1 CRLF Host: x CRLF X-Endless:                           | b",
        "header fields           | 431 | 16384 | GET / HTTP/1.1 CRLF Host: x CRLF                                    | X: 1 CRLF ",
        "empty lines             | 400 | 16    | ''                                                                  | ' CRLF '",
        "status line             | 502 | 8192  | HTTP/1.1 200                                                        | c",
        "response header line    | 502 | 16384 | HTTP/1.1 200 OK CRLF X-Endless:                                     | d",
        "response header fields  | 502 | 16384 | HTTP/1.1 200 OK CRLF                                                | Y: 2 CRLF ",
    })
    void anEndlessHeadIsRefusedWithinItsLimit(String what, int status, long limit, String prefix, String repeated) throws Exception {
        EndlessStream stream = new EndlessStream(crlf(prefix), crlf(repeated));
        StreamReader in = new StreamReader(stream, READ);
        HttpException e = assertThrows(HttpException.class, () -> Xiio.run(() -> prefix.startsWith("HTTP") ? PARSER.readResponse(in) : PARSER.readRequest(in)));
        assertEquals(status, e.status(), e.getMessage()); // a response over a limit is a 502, as a proxy would answer
        assertBounded(stream, in, limit, what);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        // what                   | status | limit  | body prefix             | repeated forever
        // (1 MiB of body in 16-byte chunks is 1,441,792 bytes on the wire: 6 of framing per 16)
        "a chunk extension        | 400 | 4096    | 5;                       | e",
        "a trailer field          | 400 | 8192    | 0 CRLF X-Trailer:        | f",
        "trailer fields           | 400 | 8192    | 0 CRLF                   | T: 1 CRLF ",
        "chunks past maxBodyBytes | 413 | 1441792 | ''                       | 10 CRLF 0123456789abcdef CRLF ",
        "leading zeros of a size  | 400 | 4096    | ''                       | 0",
    })
    void anEndlessChunkedBodyIsRefusedWithinItsLimit(String what, int status, long limit, String prefix, String repeated) throws Exception {
        String head = "POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n";
        EndlessStream stream = new EndlessStream(head + crlf(prefix), crlf(repeated));
        StreamReader in = new StreamReader(stream, READ);
        HttpException e = assertThrows(HttpException.class, () -> Xiio.run(() -> {
            HttpRequestHead h = PARSER.readRequest(in);
            return new BodyReader(in, BodyFraming.ofRequest(h.headers()), 1 << 20).discard();
        }));
        assertEquals(status, e.status(), e.getMessage());
        assertBounded(stream, in, head.length() + limit, what);
    }

    /** Taken at most the limit plus what one read may bring beyond it; the reader holds no more than it took. */
    private static void assertBounded(EndlessStream stream, StreamReader in, long limit, String what) {
        long bound = limit + 2 * READ;
        assertTrue(stream.taken <= bound, what + ": took " + stream.taken + " bytes for a limit of " + limit);
        assertTrue(in.buffered() <= stream.taken, what + ": buffers " + in.buffered());
        System.out.println(what + ": refused after " + stream.taken + " bytes (limit " + limit + ")");
    }

    private static String crlf(String csv) {
        return csv.replace(" CRLF ", "\r\n").replace(" CRLF", "\r\n").replace("CRLF ", "\r\n");
    }
}
