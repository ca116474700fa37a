package xiio.http;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.nio.charset.StandardCharsets;
import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;
import xiio.core.Xiio;
import xiio.io.ByteStream;
import xiio.io.StreamReader;
import xiio.io.StreamWriter;

/** Heads, framing and the chunked coding, for requests and responses, against hand-written messages. */
class WireFormatTest {
    static StreamReader reader(String s, int step) {
        return new StreamReader(new BytesStream(s.getBytes(StandardCharsets.ISO_8859_1), step), 64);
    }

    @Test
    void aRequestHeadWithAnAbsoluteTarget() throws Exception {
        HttpRequestHead h = Xiio.run(() -> HttpHeadParser.DEFAULT.readRequest(
                reader("GET http://example.com/a/b?x=1 HTTP/1.1\r\nHost: example.com\r\nX-Y:  v \r\n\r\n", 3)));
        assertEquals("/a/b", h.path());
        assertEquals("x=1", h.query());
        assertEquals("v", h.headers().get("x-y"));
        assertTrue(h.keepAlive());
    }

    @Test
    void aResponseHeadAndItsChunkedBodyWithTrailers() throws Exception {
        String msg = "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5;ext=1\r\nhello\r\n1 \r\n!\r\n0\r\nX-Sum: 6\r\n\r\nNEXT";
        for (int step = 1; step <= 8; step++) {
            StreamReader in = reader(msg, step);
            Object[] got = Xiio.run(() -> {
                HttpResponseHead head = HttpHeadParser.DEFAULT.readResponse(in);
                BodyReader body = new BodyReader(in, BodyFraming.ofResponse(head.status(), "GET", head.headers()), 100);
                return new Object[] {head, new String(body.readAllBytes(), StandardCharsets.ISO_8859_1), body.trailers().get("x-sum"),
                    new String(in.readExactly(4), StandardCharsets.ISO_8859_1)};
            });
            assertEquals(200, ((HttpResponseHead) got[0]).status());
            assertEquals("hello!", got[1]);
            assertEquals("6", got[2]);
            assertEquals("NEXT", got[3], "the reader stops at the end of the body");
        }
    }

    @Test
    void aResponseWithoutLengthEndsWithTheConnectionAndHeadHasNoBody() throws Exception {
        HttpHeaders none = new HttpHeaders();
        assertEquals(BodyFraming.UNTIL_CLOSE, BodyFraming.ofResponse(200, "GET", none));
        assertEquals(BodyFraming.NONE, BodyFraming.ofResponse(200, "HEAD", new HttpHeaders().add("Content-Length", "9")));
        assertEquals(BodyFraming.NONE, BodyFraming.ofResponse(304, "GET", new HttpHeaders().add("Content-Length", "9")));
        assertEquals(BodyFraming.ofLength(5), BodyFraming.ofResponse(200, "GET", new HttpHeaders().add("Content-Length", "5, 5")));
        assertThrows(HttpException.class, () -> BodyFraming.ofResponse(200, "GET", new HttpHeaders().add("Content-Length", "5, 6")));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "both CL and TE           | Content-Length: 3\\r\\nTransfer-Encoding: chunked         | 400",
        "two different CL         | Content-Length: 3\\r\\nContent-Length: 4                  | 400",
        "a signed CL              | Content-Length: +3                                       | 400",
        "a hex CL                 | Content-Length: 0x3                                      | 400",
        "TE gzip                  | Transfer-Encoding: gzip                                  | 501",
        "TE chunked twice         | Transfer-Encoding: chunked\\r\\nTransfer-Encoding: chunked | 501",
        "TE chunked, gzip         | Transfer-Encoding: gzip, chunked                         | 501",
    })
    void ambiguousRequestFramingIsRefused(String name, String fields, int status) throws Exception {
        String msg = "POST / HTTP/1.1\r\nHost: x\r\n" + fields.replace("\\r\\n", "\r\n") + "\r\n\r\n";
        HttpException e = assertThrows(HttpException.class,
                () -> Xiio.run(() -> BodyFraming.ofRequest(HttpHeadParser.DEFAULT.readRequest(reader(msg, 7)).headers())));
        assertEquals(status, e.status(), e.getMessage());
    }

    @ParameterizedTest(name = "chunk size {0}")
    @CsvSource({"-1", "0x5", "' 5'", "+5", "fffffffffffffffff", "5 x", "''", "'5;a\u0001b'"})
    void badChunkSizesAre400(String size) {
        String body = size + "\r\nhello\r\n0\r\n\r\n";
        HttpException e = assertThrows(HttpException.class,
                () -> Xiio.run(() -> new BodyReader(reader(body, 5), BodyFraming.CHUNKED, 1000).readAllBytes()));
        assertEquals(400, e.status(), e.getMessage());
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "obs-fold          | GET / HTTP/1.1\\r\\nHost: x\\r\\nA: b\\r\\n  c         | 400",
        "bare CR in value  | GET / HTTP/1.1\\r\\nHost: x\\rY: z                   | 400",
        "space before colon| GET / HTTP/1.1\\r\\nHost : x                         | 400",
        "NUL in target     | GET /a\\u0000b HTTP/1.1\\r\\nHost: x                 | 400",
        "HTTP/2.0          | GET / HTTP/2.0\\r\\nHost: x                          | 505",
        "HTTP/3.1          | GET / HTTP/3.1\\r\\nHost: x                          | 505",
        "HTTP/0.9          | GET / HTTP/0.9\\r\\nHost: x                          | 505",
        "two-digit minor   | GET / HTTP/1.10\\r\\nHost: x                         | 400",
        "lower-case name   | GET / http/1.2\\r\\nHost: x                          | 400",
        "HTTP/1.2, no Host | GET / HTTP/1.2                                     | 400",
        "no Host           | GET / HTTP/1.1                                     | 400",
        "star for GET      | GET * HTTP/1.1\\r\\nHost: x                          | 400",
    })
    void malformedHeadsAreRefused(String name, String head, int status) {
        String msg = head.replace("\\r\\n", "\r\n").replace("\\r", "\r").replace("\\u0000", "\0") + "\r\n\r\n";
        HttpException e = assertThrows(HttpException.class, () -> Xiio.run(() -> HttpHeadParser.DEFAULT.readRequest(reader(msg, 4))));
        assertEquals(status, e.status(), e.getMessage());
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({"HTTP/1.2", "HTTP/1.5", "HTTP/1.9"})
    void aHigherMinorVersionOfHttp1IsReadAsHttp11(String version) throws Exception {
        // RFC 9110 section 6.2: treated as the highest minor version this side conforms to
        HttpRequestHead req = Xiio.run(() -> HttpHeadParser.DEFAULT.readRequest(reader("GET / " + version + "\r\nHost: x\r\n\r\n", 5)));
        assertEquals("HTTP/1.1", req.version());
        assertTrue(req.keepAlive(), "HTTP/1.1's default: persistent");
        HttpResponseHead resp = Xiio.run(() -> HttpHeadParser.DEFAULT.readResponse(reader(version + " 200 OK\r\nContent-Length: 0\r\n\r\n", 5)));
        assertEquals("HTTP/1.1", resp.version());
        assertEquals(200, resp.status());
    }

    @Test
    void limitsGiveTheirStatus() {
        HttpHeadParser small = new HttpHeadParser(32, 128, 3);
        assertEquals(414, assertThrows(HttpException.class,
                () -> Xiio.run(() -> small.readRequest(reader("GET /" + "a".repeat(40) + " HTTP/1.1\r\n\r\n", 9)))).status());
        assertEquals(431, assertThrows(HttpException.class,
                () -> Xiio.run(() -> small.readRequest(reader("GET / HTTP/1.1\r\nHost: x\r\nA: 1\r\nB: 2\r\nC: 3\r\n\r\n", 9)))).status());
        assertEquals(413, assertThrows(HttpException.class,
                () -> Xiio.run(() -> new BodyReader(reader("hello", 2), BodyFraming.ofLength(5), 4).readAllBytes())).status());
        assertThrows(EOFException.class, () -> Xiio.run(() -> new BodyReader(reader("hel", 2), BodyFraming.ofLength(5), 10).readAllBytes()));
        assertNull(assertDoesNotThrowRun(() -> HttpHeadParser.DEFAULT.readRequest(reader("", 1))), "a clean end between requests");
        assertThrows(IllegalArgumentException.class, () -> new HttpHeadParser(8, 128, 3));
        assertThrows(IllegalArgumentException.class, () -> new HttpHeaders().add("X", "a\r\nInjected: yes"));
    }

    @Test
    void chunkedWriterOutputReadsBack() throws Exception {
        Random random = new Random(3);
        byte[] data = new byte[100_000];
        random.nextBytes(data);
        ByteArrayOutputStream wire = new ByteArrayOutputStream();
        ByteStream sink = new ByteStream() {
            @Override
            public int read(byte[] buf, int off, int len) {
                return -1;
            }

            @Override
            public int write(byte[] buf, int off, int len) {
                wire.write(buf, off, len);
                return len;
            }

            @Override
            public void shutdownOutput() {}

            @Override
            public void close() {}
        };
        byte[] back = Xiio.run(() -> {
            StreamWriter out = new StreamWriter(sink, 4096);
            ChunkedWriter chunks = new ChunkedWriter(out);
            for (int at = 0; at < data.length; ) {
                int n = Math.min(data.length - at, 1 + random.nextInt(9000));
                chunks.write(data, at, n);
                at += n;
            }
            chunks.finish(new HttpHeaders().add("X-T", "1"));
            out.flush();
            BodyReader r = new BodyReader(new StreamReader(new BytesStream(wire.toByteArray(), 1000), 512), BodyFraming.CHUNKED, 1 << 20);
            byte[] all = r.readAllBytes();
            assertEquals("1", r.trailers().get("x-t"));
            return all;
        });
        assertArrayEquals(data, back);
    }

    private static <T> T assertDoesNotThrowRun(xiio.core.Suspendable<T> body) throws RuntimeException {
        try {
            return Xiio.run(body);
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }
}
