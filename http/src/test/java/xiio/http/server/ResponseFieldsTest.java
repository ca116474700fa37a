package xiio.http.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * {@link Response#with} sets a field (one on the wire, the last value), and
 * {@link Response#withAdded} adds one, for Set-Cookie and list fields, refusing a
 * second single-valued field with a message that names it and the way out.
 */
class ResponseFieldsTest {
    @Test
    void withReplacesAFieldTheResponseAlreadyHas() throws Exception {
        Handler h = r -> Response.text(200, "{}\n")
                .with("Content-Type", "application/json")
                .with("location", "/a").with("Location", "/b")
                .with("Cache-Control", "max-age=60").with("Cache-Control", "no-store");
        ServerFixture.withServer(h, ServerConfig.DEFAULT, port -> {
            try (RawClient c = new RawClient(port)) {
                RawClient.Answer a = c.send("GET / HTTP/1.1\r\nHost: x\r\n\r\n").read();
                assertEquals(List.of("application/json"), a.headers().get("content-type"), a.toString());
                assertEquals(List.of("/b"), a.headers().get("location"));
                assertEquals(List.of("no-store"), a.headers().get("cache-control"));
            }
            return null;
        });
    }

    @Test
    void withAddedSendsEveryValueOfARepeatableField() throws Exception {
        Handler h = r -> Response.text(200, "hi\n")
                .withAdded("Set-Cookie", "session=abc; HttpOnly").withAdded("Set-Cookie", "theme=dark")
                .with("Vary", "Accept-Encoding").withAdded("Vary", "Accept-Language");
        ServerFixture.withServer(h, ServerConfig.DEFAULT, port -> {
            try (RawClient c = new RawClient(port)) {
                RawClient.Answer a = c.send("GET / HTTP/1.1\r\nHost: x\r\n\r\n").read();
                assertEquals(List.of("session=abc; HttpOnly", "theme=dark"), a.headers().get("set-cookie"), a.toString());
                assertEquals(List.of("Accept-Encoding", "Accept-Language"), a.headers().get("vary"));
                assertEquals(List.of("text/plain; charset=utf-8"), a.headers().get("content-type"));
            }
            return null;
        });
    }

    @Test
    void aSecondSingleValuedFieldIsRefusedNamingIt() {
        Response r = Response.text(200, "x").with("ETag", "\"1\"");
        IllegalArgumentException type = assertThrows(IllegalArgumentException.class, () -> r.withAdded("content-type", "text/html"));
        assertEquals("content-type has a single value and this response has one (text/plain; charset=utf-8); use with(name, value) to replace it",
                type.getMessage());
        assertThrows(IllegalArgumentException.class, () -> r.withAdded("ETag", "\"2\""));
        assertEquals("/x", Response.empty(302).withAdded("Location", "/x").header("Location"), "the first one is fine");
        assertEquals("Content-Length is set by the server from the body and the connection",
                assertThrows(IllegalArgumentException.class, () -> r.withAdded("Content-Length", "1")).getMessage());
        assertEquals("Transfer-Encoding is set by the server from the body and the connection",
                assertThrows(IllegalArgumentException.class, () -> r.with("Transfer-Encoding", "chunked")).getMessage());
        assertEquals("\"1\"", r.header("etag"), "a response is immutable: the refused calls changed nothing");
    }
}
