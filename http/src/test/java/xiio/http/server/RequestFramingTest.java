package xiio.http.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * How the server reads where a request ends (RFC 9112 sections 2, 3, 5 and 6):
 * smuggling attempts (both framings at once, two lengths, bad chunk sizes) are refused
 * with a 400 and the connection closed, so the bytes smuggled after them are never
 * read as a request; obsolete line folding and bare CRs likewise; well-formed framings
 * (absolute-form targets, HTTP/1.0, {@code Expect: 100-continue}, {@code HEAD})
 * are served as the RFC says.
 */
class RequestFramingTest {
    /** The request's method, path, and body back. */
    static final Handler ECHO = r -> Response.text(200, r.method() + " " + r.path() + " [" + new String(r.body().readAllBytes(), java.nio.charset.StandardCharsets.ISO_8859_1) + "]\n");

    /** The smuggled second request: if the server ever answers it, the first was misread. */
    private static final String SMUGGLED = "GET /smuggled HTTP/1.1\r\nHost: x\r\n\r\n";

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "CL and TE                  | 400 | Content-Length: 5 CRLF Transfer-Encoding: chunked",
        "TE and CL                  | 400 | Transfer-Encoding: chunked CRLF Content-Length: 5",
        "two different CLs          | 400 | Content-Length: 5 CRLF Content-Length: 40",
        "a CL list that disagrees   | 400 | Content-Length: 5, 40",
        "a CL with a sign           | 400 | Content-Length: +5",
        "a CL in hex                | 400 | Content-Length: 0x5",
        "a CL past 64 bits          | 400 | Content-Length: 99999999999999999999",
        "a CL with a space inside   | 400 | Content-Length: 5 5",
        "TE chunked twice           | 501 | Transfer-Encoding: chunked CRLF Transfer-Encoding: chunked",
        "TE gzip then chunked       | 501 | Transfer-Encoding: gzip, chunked",
        "TE chunked then gzip       | 501 | Transfer-Encoding: chunked, gzip",
        "TE with a name padded      | 400 | Transfer-Encoding : chunked",
        "obs-fold                   | 400 | X-A: 1 CRLF  folded",
        "obs-fold with a tab        | 400 | X-A: 1 CRLF <TAB>folded",
        "a bare CR in a value       | 400 | X-A: 1<CR>2",
        "a bare CR ending a line    | 400 | X-A: 1<CR>X-B: 2",
        "a NUL in a value           | 400 | X-A: 1<NUL>2",
        "two Hosts                  | 400 | Host: y",
    })
    void anAmbiguousOrMalformedHeadIsRefusedAndWhatFollowsIsNeverRead(String name, int status, String fields) throws Exception {
        ServerFixture.withServer(ECHO, ServerConfig.DEFAULT, port -> {
            try (RawClient c = new RawClient(port)) {
                String head = "POST /first HTTP/1.1\r\nHost: x\r\n" + bytes(fields) + "\r\n\r\n";
                // what a front end reading the other framing would take for a body and then a new request
                c.send(head + "0\r\n\r\n" + SMUGGLED);
                ServerLimitsTest.assertRefused(c, c.read(), status);
            }
            return null;
        });
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "a size that is no hex        | zz",
        "a negative size              | -1",
        "a size with 0x               | 0x5",
        "a size past 60 bits          | 1000000000000000",
        "a size with a space inside   | 1 0",
        "a size with a leading space  | ' 5'",
        "an empty size line           | ''",
        "a chunk longer than its size | 3 CRLF hello",
        "a control byte in the ext    | 5;a=<SOH>",
        "an ext line past the limit   | 5;<64 KiB>",
    })
    void aBadChunkIsRefusedAndWhatFollowsIsNeverRead(String name, String chunk) throws Exception {
        String body = bytes(chunk);
        String request = "POST /first HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n" + body + "\r\n" + (body.contains("hello") ? "" : "hello\r\n") + "0\r\n\r\n";
        ServerFixture.withServer(ECHO, ServerConfig.DEFAULT, port -> {
            try (RawClient c = new RawClient(port)) {
                c.send(request + SMUGGLED);
                ServerLimitsTest.assertRefused(c, c.read(), 400);
            }
            return null;
        });
    }

    @Test
    void chunkedBodiesWithExtensionsAndTrailersAndPipelinedRequestsAfterThem() throws Exception {
        ServerFixture.withServer(ECHO, ServerConfig.DEFAULT, port -> {
            try (RawClient c = new RawClient(port)) {
                c.send("POST /a HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n"
                        + "5;name=value\r\nhello\r\n1 ; spaced\r\n,\r\n6\r\n world\r\n0\r\nX-Checksum: none\r\n\r\n"
                        + "POST /b HTTP/1.1\r\nHost: x\r\nContent-Length: 3\r\n\r\nabc"
                        + "GET /c HTTP/1.1\r\nHost: x\r\n\r\n");
                assertEquals("POST /a [hello, world]\n", c.read().text());
                assertEquals("POST /b [abc]\n", c.read().text());
                assertEquals("GET /c []\n", c.read().text());
            }
            return null;
        });
    }

    @Test
    void identicalLengthsCountAsOneAndTheBodyIsReadByIt() throws Exception {
        ServerFixture.withServer(ECHO, ServerConfig.DEFAULT, port -> {
            try (RawClient c = new RawClient(port)) {
                // RFC 9110 section 8.6: a list of one value repeated may be taken as that value
                c.send("POST /a HTTP/1.1\r\nHost: x\r\nContent-Length: 3\r\nContent-Length: 3\r\n\r\nabc"
                        + "POST /b HTTP/1.1\r\nHost: x\r\nContent-Length: 2, 2\r\n\r\nde");
                assertEquals("POST /a [abc]\n", c.read().text());
                assertEquals("POST /b [de]\n", c.read().text());
            }
            return null;
        });
    }

    @Test
    void statusesWithoutABodySendNoneWhateverTheHandlerGives() throws Exception {
        Handler h = r -> switch (r.path()) {
            case "/204" -> Response.text(204, "dropped");
            case "/304" -> Response.text(304, "dropped");
            default -> Response.stream(200, "text/plain", out -> out.write("streamed\n"));
        };
        ServerFixture.withServer(h, ServerConfig.DEFAULT, port -> {
            try (RawClient c = new RawClient(port)) {
                RawClient.Answer noContent = c.send("GET /204 HTTP/1.1\r\nHost: x\r\n\r\n").read();
                assertEquals(204, noContent.status());
                assertNull(noContent.header("Content-Length"), "a 204 has no Content-Length (RFC 9110 section 8.6)");
                assertEquals(304, c.send("GET /304 HTTP/1.1\r\nHost: x\r\n\r\n").read().status());
                assertEquals(200, c.send("HEAD /stream HTTP/1.1\r\nHost: x\r\n\r\n").read(true).status());
                // had any body gone out above, this answer would not start where it does
                assertEquals("streamed\n", c.send("GET /stream HTTP/1.1\r\nHost: x\r\n\r\n").read().text());
            }
            return null;
        });
    }

    @Test
    void anAbsoluteFormTargetIsServedByItsPath() throws Exception {
        ServerFixture.withServer(ECHO, ServerConfig.DEFAULT, port -> {
            try (RawClient c = new RawClient(port)) {
                assertEquals("GET /p/q []\n", c.send("GET http://example.com:8080/p/q?x=1 HTTP/1.1\r\nHost: example.com:8080\r\n\r\n").read().text());
                assertEquals("GET / []\n", c.send("GET http://example.com HTTP/1.1\r\nHost: example.com\r\n\r\n").read().text());
                ServerLimitsTest.assertRefused(c, c.send("GET ftp://example.com/ HTTP/1.1\r\nHost: x\r\n\r\n").read(), 400);
            }
            return null;
        });
    }

    @Test
    void http10ClientsGetAnAnswerTheyCanRead() throws Exception {
        Handler streamed = r -> r.path().equals("/stream")
                ? Response.stream(200, "text/plain", out -> out.write("streamed\n"))
                : Response.text(200, "fixed\n");
        ServerFixture.withServer(streamed, ServerConfig.DEFAULT, port -> {
            try (RawClient c = new RawClient(port)) {
                RawClient.Answer a = c.send("GET / HTTP/1.0\r\n\r\n").read();
                assertEquals("fixed\n", a.text());
                assertEquals("close", a.header("Connection"), "HTTP/1.0 closes unless asked to keep alive");
                assertTrue(c.closedByServer());
            }
            try (RawClient c = new RawClient(port)) {
                RawClient.Answer a = c.send("GET / HTTP/1.0\r\nConnection: keep-alive\r\n\r\n").read();
                assertEquals("keep-alive", a.header("Connection"));
                assertEquals(200, c.send("GET / HTTP/1.0\r\nConnection: keep-alive\r\n\r\n").read().status(), "kept alive as asked");
                // a body of unknown length cannot be chunked for HTTP/1.0: it ends with the close
                RawClient.Answer s = c.send("GET /stream HTTP/1.0\r\nConnection: keep-alive\r\n\r\n").read();
                assertNull(s.header("Transfer-Encoding"));
                assertNull(s.header("Content-Length"));
                assertEquals("streamed\n", s.text(), "read until the close");
            }
            return null;
        });
    }

    @Test
    void http10WithTransferEncodingIsAnsweredThenClosed() throws Exception {
        // RFC 9112 section 6.1: chunked from an HTTP/1.0 client may have passed a 1.0 proxy
        // that did not understand it, so the server closes after answering
        ServerFixture.withServer(ECHO, ServerConfig.DEFAULT, port -> {
            try (RawClient c = new RawClient(port)) {
                c.send("POST / HTTP/1.0\r\nConnection: keep-alive\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n0\r\n\r\n");
                RawClient.Answer a = c.read();
                assertEquals("POST / [abc]\n", a.text());
                assertEquals("close", a.header("Connection"));
                assertTrue(c.closedByServer());
            }
            return null;
        });
    }

    @Test
    void expectContinueIsAnsweredBeforeTheBodyOrRefusedWithoutIt() throws Exception {
        ServerFixture.withServer(ECHO, ServerConfig.DEFAULT.withMaxBodyBytes(1000), port -> {
            try (RawClient c = new RawClient(port)) {
                c.send("POST /up HTTP/1.1\r\nHost: x\r\nContent-Length: 4\r\nExpect: 100-continue\r\n\r\n");
                assertEquals(100, c.read().status(), "the interim answer comes before the client sends the body");
                assertEquals("POST /up [ping]\n", c.send("ping").read().text());
            }
            try (RawClient c = new RawClient(port)) {
                c.send("POST /up HTTP/1.1\r\nHost: x\r\nContent-Length: 5000\r\nExpect: 100-continue\r\n\r\n");
                ServerLimitsTest.assertRefused(c, c.read(), 413);
            }
            try (RawClient c = new RawClient(port)) {
                c.send("POST /up HTTP/1.1\r\nHost: x\r\nContent-Length: 4\r\nExpect: something-else\r\n\r\n");
                ServerLimitsTest.assertRefused(c, c.read(), 417);
            }
            return null;
        });
        // a handler that answers without reading: no 100 is sent, and the unread body closes the connection
        ServerFixture.withServer(r -> Response.text(403, "no\n"), ServerConfig.DEFAULT, port -> {
            try (RawClient c = new RawClient(port)) {
                RawClient.Answer a = c.send("POST /up HTTP/1.1\r\nHost: x\r\nContent-Length: 4\r\nExpect: 100-continue\r\n\r\n").read();
                assertEquals(403, a.status());
                assertEquals("close", a.header("Connection"));
            }
            return null;
        });
    }

    @Test
    void aStreamedAnswerThatReadsTheBodyAsItGoesGetsItsContinueBeforeItsHead() throws Exception {
        // an echo that streams the request body back: the body is first read after the
        // final head is written, and the 100 used to follow that head, inside the body
        Handler streamingEcho = r -> Response.stream(200, "application/octet-stream", out -> r.body().transferTo(out::write));
        ServerFixture.withServer(streamingEcho, ServerConfig.DEFAULT, port -> {
            try (RawClient c = new RawClient(port)) {
                c.send("POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: 4\r\nExpect: 100-continue\r\n\r\n");
                assertEquals(100, c.read().status(), "the interim answer comes first");
                RawClient.Answer a = c.send("ping").read();
                assertEquals(200, a.status());
                assertEquals("ping", a.text());
            }
            // curl waits for the 100 (at most 5 s here) before it sends; then reads the echo intact
            byte[] upload = new byte[300_000];
            new java.util.Random(7).nextBytes(upload);
            byte[] echoed = HttpServerClientsTest.curl(upload, "-sS", "--expect100-timeout", "5", "-H", "Expect: 100-continue",
                    "--data-binary", "@-", "http://127.0.0.1:" + port + "/echo");
            org.junit.jupiter.api.Assertions.assertArrayEquals(upload, echoed);
            return null;
        });
    }

    @Test
    void aHandlersOwnServerOrDateFieldReplacesTheServersOne() throws Exception {
        // .with("Server", ...) is what users write; two Server (or Date) fields went out
        Handler h = r -> r.path().equals("/own")
                ? Response.text(200, "own\n").with("Server", "myapp/2.1").with("date", "Thu, 01 Jan 1970 00:00:00 GMT")
                : Response.text(200, "plain\n");
        ServerFixture.withServer(h, ServerConfig.DEFAULT, port -> {
            try (RawClient c = new RawClient(port)) {
                RawClient.Answer own = c.send("GET /own HTTP/1.1\r\nHost: x\r\n\r\n").read();
                assertEquals(java.util.List.of("myapp/2.1"), own.headers().get("server"));
                assertEquals(java.util.List.of("Thu, 01 Jan 1970 00:00:00 GMT"), own.headers().get("date"));
                RawClient.Answer plain = c.send("GET /plain HTTP/1.1\r\nHost: x\r\n\r\n").read();
                assertEquals(1, plain.headers().get("server").size());
                assertEquals(1, plain.headers().get("date").size());
            }
            return null;
        });
    }

    @Test
    void headAnswersTheGetsHeadWithoutItsBodyAndEveryAnswerIsDated() throws Exception {
        Handler h = r -> Response.text(200, "twelve bytes");
        ServerFixture.withServer(h, ServerConfig.DEFAULT, port -> {
            try (RawClient c = new RawClient(port)) {
                RawClient.Answer get = c.send("GET / HTTP/1.1\r\nHost: x\r\n\r\n").read();
                RawClient.Answer head = c.send("HEAD / HTTP/1.1\r\nHost: x\r\n\r\n").read(true);
                assertEquals("12", head.header("Content-Length"));
                assertEquals(get.header("Content-Length"), head.header("Content-Length"));
                // no body after the HEAD's head: the next answer starts right there
                assertEquals("twelve bytes", c.send("GET / HTTP/1.1\r\nHost: x\r\n\r\n").read().text());
                String date = get.header("Date");
                assertNotNull(date);
                ZonedDateTime when = ZonedDateTime.parse(date, DateTimeFormatter.RFC_1123_DATE_TIME);
                assertTrue(Duration.between(when, ZonedDateTime.now()).abs().getSeconds() < 60, date);
                assertTrue(date.endsWith(" GMT"), "IMF-fixdate: " + date);
                assertEquals("xiio", get.header("Server"));
            }
            return null;
        });
    }

    @Test
    void connectionCloseFromTheClientIsHonouredAfterTheAnswer() throws Exception {
        ServerFixture.withServer(ECHO, ServerConfig.DEFAULT, port -> {
            try (RawClient c = new RawClient(port)) {
                c.send("GET /a HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n" + "GET /b HTTP/1.1\r\nHost: x\r\n\r\n");
                RawClient.Answer a = c.read();
                assertEquals("GET /a []\n", a.text());
                assertEquals("close", a.header("Connection"));
                assertTrue(c.closedByServer(), "the request after the close is not answered");
            }
            return null;
        });
    }

    /** The CSV's placeholders as the bytes they stand for (a CSV line cannot hold a CR or a NUL). */
    private static String bytes(String csv) {
        return csv.replace(" CRLF ", "\r\n").replace("<CR>", "\r").replace("<TAB>", "\t").replace("<NUL>", "\0")
                .replace("<SOH>", "\u0001").replace("<64 KiB>", "e".repeat(64 * 1024));
    }
}
