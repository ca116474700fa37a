package xiio.http.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.EOFException;
import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.Test;
import xiio.concurrent.Timeout;
import xiio.core.Xiio;

/** Our client against raw-socket servers that lie, stall, hang up or redirect forever: each gets a clear exception. */
class MisbehavingServerTest {

    /** Sends {@code raw} as the answer to the first request and closes; returns what the client threw. */
    private static Throwable failureFor(String raw) throws Exception {
        return Xiio.run(() -> ScriptedServer.with(c -> {
            c.readRequest();
            c.write(raw);
        }, server -> {
            try (HttpClient client = HttpClient.create()) {
                client.send(ClientRequest.get(server.uri("/")));
                return new AssertionError("no failure");
            } catch (IOException e) {
                return e; // the leak guard checks that the failed exchange closed its connection
            }
        }));
    }

    @Test
    void aContentLengthLongerThanTheBodyIsAnEofNamingWhatIsMissing() throws Exception {
        Throwable e = failureFor("HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\nonly twenty bytes...");
        assertInstanceOf(EOFException.class, e);
        assertTrue(e.getMessage().contains("ended 80 bytes before the end of the body"), e.getMessage());
    }

    @Test
    void aCloseInsideAChunkIsAnEof() throws Exception {
        Throwable e = failureFor("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n10\r\nshort");
        assertInstanceOf(EOFException.class, e);
        assertTrue(e.getMessage().contains("inside a chunk"), e.getMessage());
    }

    @Test
    void aMalformedChunkSizeIsNamed() throws Exception {
        Throwable e = failureFor("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\nhello\r\n0\r\n\r\n");
        assertTrue(e.getMessage().contains("malformed chunk size: zz"), e.getMessage());
    }

    @Test
    void aChunkLongerThanItsSizeIsNamed() throws Exception {
        Throwable e = failureFor("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nhello\r\n0\r\n\r\n");
        assertTrue(e.getMessage().contains("a chunk is longer than its size says"), e.getMessage());
    }

    @Test
    void conflictingContentLengthsAreRefused() throws Exception {
        Throwable e = failureFor("HTTP/1.1 200 OK\r\nContent-Length: 5\r\nContent-Length: 6\r\n\r\nhello!");
        assertTrue(e.getMessage().contains("conflicting Content-Length"), e.getMessage());
    }

    @Test
    void aSignedContentLengthIsRefused() throws Exception {
        Throwable e = failureFor("HTTP/1.1 200 OK\r\nContent-Length: +5\r\n\r\nhello");
        assertTrue(e.getMessage().contains("malformed Content-Length: +5"), e.getMessage());
    }

    @Test
    void garbageInsteadOfAStatusLine() throws Exception {
        Throwable e = failureFor("SSH-2.0-OpenSSH_9.6\r\n");
        assertTrue(e.getMessage().contains("not an HTTP/1.x status line: SSH-2.0-OpenSSH_9.6"), e.getMessage());
        Throwable h2 = failureFor("HTTP/2.0 200 OK\r\n\r\n");
        assertTrue(h2.getMessage().contains("unsupported HTTP version in status line: HTTP/2.0 200 OK"), h2.getMessage());
    }

    @Test
    void aServerThatClosesWithoutAnsweringSaysSo() throws Exception {
        Throwable e = failureFor("");
        assertTrue(e.getMessage().contains("closed the connection without answering"), e.getMessage());
    }

    @Test
    void anEndlessHeaderSectionHitsTheLimit() throws Exception {
        Throwable e = failureFor("HTTP/1.1 200 OK\r\nX-Big: " + "a".repeat(70_000) + "\r\n\r\n");
        assertTrue(e.getMessage().contains("header section is larger than 65536 bytes"), e.getMessage());
    }

    @Test
    void aServerThatNeverAnswersIsBoundByTheCallersScope() throws Exception {
        Xiio.run(() -> ScriptedServer.with(c -> {
            c.readRequest();
            Xiio.sleep(Duration.ofDays(1)); // reads the request, then nothing
        }, server -> {
            try (HttpClient client = HttpClient.create()) {
                assertThrows(TimeoutException.class, () -> Timeout.withTimeout(Duration.ofMillis(200),
                        () -> client.send(ClientRequest.get(server.uri("/")))));
                assertEquals(0, client.stats().open(), "the cancelled exchange closed its connection");
            }
            return null;
        }));
    }

    @Test
    void aRawUtf8LocationIsFollowedToThePathItNames() throws Exception {
        // servers write non-ASCII Locations as raw UTF-8 bytes (here: "/café"); the client
        // follows it percent-encoded once, as browsers do, not re-encoding each byte
        Xiio.run(() -> ScriptedServer.with(c -> {
            for (ScriptedServer.Request r; (r = c.readRequest()) != null; ) {
                if (r.line().startsWith("GET /old ")) {
                    c.write("HTTP/1.1 301 Moved\r\nLocation: /caf\u00c3\u00a9?q=\u00e2\u0082\u00ac\r\nContent-Length: 0\r\n\r\n");
                } else {
                    c.ok(r.line());
                }
            }
        }, server -> {
            try (HttpClient client = HttpClient.builder().redirects(RedirectPolicy.follow(2)).build()) {
                ClientResponse r = client.send(ClientRequest.get(server.uri("/old")));
                assertEquals("GET /caf%C3%A9?q=%E2%82%AC HTTP/1.1", r.body().text());
            }
            return null;
        }));
    }

    @Test
    void aRedirectLoopEndsAtTheBoundWithTheChain() throws Exception {
        Xiio.run(() -> ScriptedServer.with(c -> {
            for (ScriptedServer.Request r; (r = c.readRequest()) != null; ) {
                String path = r.line().split(" ")[1];
                String next = path.equals("/a") ? "/b" : "/a";
                c.write("HTTP/1.1 302 Found\r\nLocation: " + next + "\r\nContent-Length: 0\r\n\r\n");
            }
        }, server -> {
            try (HttpClient client = HttpClient.builder().redirects(RedirectPolicy.follow(3)).build()) {
                TooManyRedirectsException e = assertThrows(TooManyRedirectsException.class,
                        () -> client.send(ClientRequest.get(server.uri("/a"))));
                assertEquals(5, e.chain().size(), e.getMessage());
                assertTrue(e.getMessage().startsWith("more than 3 redirects: http://127.0.0.1:"), e.getMessage());
                assertEquals(1, server.accepted(), "the redirects reused one connection");
            }
            return null;
        }));
    }

    @Test
    void bothTransferEncodingAndContentLengthIsReadByTheCodingThenClosed() throws Exception {
        Xiio.run(() -> ScriptedServer.with(c -> {
            c.readRequest();
            c.write("HTTP/1.1 200 OK\r\nContent-Length: 3\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n0\r\n\r\n");
            c.readRequest();
        }, server -> {
            try (HttpClient client = HttpClient.create()) {
                assertEquals("hello", client.send(ClientRequest.get(server.uri("/"))).body().text());
                assertEquals(0, client.stats().open(), "a message that could be read two ways closes its connection");
            }
            return null;
        }));
    }

    @Test
    void anHttp10ResponseWithoutLengthEndsAtClose() throws Exception {
        Xiio.run(() -> ScriptedServer.with(c -> {
            c.readRequest();
            c.write("HTTP/1.0 200 OK\r\n\r\nuntil the end");
        }, server -> {
            try (HttpClient client = HttpClient.create()) {
                ClientResponse r = client.send(ClientRequest.get(server.uri("/")));
                assertEquals("HTTP/1.0", r.version());
                assertEquals("until the end", r.body().text());
                assertEquals(0, client.stats().open());
            }
            return null;
        }));
    }

    @Test
    void extraBytesAfterAResponseCloseTheConnection() throws Exception {
        Xiio.run(() -> ScriptedServer.with(c -> {
            c.readRequest();
            c.write("HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nokHTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nstale");
            c.readRequest();
        }, server -> {
            try (HttpClient client = HttpClient.create()) {
                assertEquals("ok", client.send(ClientRequest.get(server.uri("/"))).body().text());
                Xiio.sleep(Duration.ofMillis(20));
                assertEquals(0, client.stats().idle(), "bytes nobody asked for are never the next response");
            }
            return null;
        }));
    }

    @Test
    void interimResponsesAreSkipped() throws Exception {
        Xiio.run(() -> ScriptedServer.with(c -> {
            c.readRequest();
            c.write("HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 103 Early Hints\r\nLink: </s.css>\r\n\r\nHTTP/1.1 200 OK\r\nContent-Length: 4\r\n\r\nfine");
        }, server -> {
            try (HttpClient client = HttpClient.create()) {
                ClientResponse r = client.send(ClientRequest.get(server.uri("/")));
                assertEquals(200, r.status());
                assertEquals("fine", r.body().text());
            }
            return null;
        }));
    }
}
