package xiio.http.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import xiio.core.Xiio;

/**
 * The router, through a server: method + path patterns with parameters
 * (percent-decoded, a rest parameter), dot segments ({@code ..} refused with 400,
 * plain or encoded; {@code .} removed) and encoded slashes refused, so no parameter
 * holds a {@code /} it was not split on, the order routes were added in, 404 and 405
 * with {@code Allow}, HEAD served by GET, handlers that suspend, and patterns refused
 * with a message naming what is wrong.
 */
class RouterTest {
    static final Router ROUTES = new Router()
            .get("/users/{id}", r -> Response.text(200, "user " + r.param("id") + "\n"))
            .get("/users/me", r -> Response.text(200, "never: the pattern above comes first\n"))
            .put("/users/{id}", r -> Response.text(200, "put " + r.param("id") + " " + r.body().readAllBytes().length + "\n"))
            .delete("/users/{id}", r -> Response.empty(204))
            .get("/users/{id}/posts/{post}", r -> Response.text(200, r.param("id") + "/" + r.param("post") + "\n"))
            .get("/files/{path...}", r -> Response.text(200, "file " + r.param("path") + "\n"))
            .get("/search", r -> Response.text(200, "q=" + r.query("q") + " page=" + r.query("page") + "\n"))
            .get("/slow", r -> {
                Xiio.sleep(Duration.ofMillis(20)); // a handler is a plain method that may suspend
                return Response.text(200, "slept\n");
            })
            .route("PATCH", "/users/{id}", r -> Response.text(200, "patched\n"));

    @ParameterizedTest(name = "{0} {1} -> {2}")
    @CsvSource(delimiter = '|', value = {
        "GET    | /users/42                 | 200 | user 42",
        "GET    | /users/me                 | 200 | user me",
        "GET    | /users/j%C3%B6rg          | 200 | user jörg",
        "GET    | /users/a%2Fb              | 400 | 400 Bad Request: an encoded '/' (%2F) is not allowed in the path /users/a%2Fb",
        "GET    | /u%73ers/42               | 200 | user 42",
        "GET    | /users/./42               | 200 | user 42",
        "GET    | /users/%2e                | 404 | 404 Not Found: nothing at /users/%2e",
        "GET    | /users/..                 | 400 | 400 Bad Request: '..' is not allowed in the path /users/..",
        "GET    | /users/a+b                | 200 | user a+b",
        "GET    | /users/7/posts/x%20y      | 200 | 7/x y",
        "GET    | /users/                   | 404 | 404 Not Found: nothing at /users/",
        "GET    | /users/7/posts            | 404 | 404 Not Found: nothing at /users/7/posts",
        "GET    | /files/a/b/c.txt          | 200 | file a/b/c.txt",
        "GET    | /files/                   | 200 | file ",
        "GET    | /files/a%20b/c            | 200 | file a b/c",
        "GET    | /files/./a/./b.txt        | 200 | file a/b.txt",
        "GET    | /files/a/.                | 200 | file a/",
        "GET    | /files/a/../../etc/passwd | 400 | 400 Bad Request: '..' is not allowed in the path /files/a/../../etc/passwd",
        "GET    | /files/%2e%2e/etc/passwd  | 400 | 400 Bad Request: '..' is not allowed in the path /files/%2e%2e/etc/passwd",
        "GET    | /files/a/.%2E/x           | 400 | 400 Bad Request: '..' is not allowed in the path /files/a/.%2E/x",
        "GET    | /files/..                 | 400 | 400 Bad Request: '..' is not allowed in the path /files/..",
        "GET    | /files/a%2f..%2f..%2fetc  | 400 | 400 Bad Request: an encoded '/' (%2F) is not allowed in the path /files/a%2f..%2f..%2fetc",
        "GET    | /nothing/../users/1       | 400 | 400 Bad Request: '..' is not allowed in the path /nothing/../users/1",
        "GET    | /search?q=a+b%21&page=2   | 200 | q=a b! page=2",
        "GET    | /search                   | 200 | q=null page=null",
        "GET    | /slow                     | 200 | slept",
        "PATCH  | /users/1                  | 200 | patched",
        "POST   | /users/1                  | 405 | 405 Method Not Allowed: this resource answers GET, PUT, DELETE, PATCH, HEAD",
        "GET    | /users/%zz                | 400 | 400 Bad Request: malformed percent-escape in %zz",
        "GET    | /nothing                  | 404 | 404 Not Found: nothing at /nothing",
    })
    void routesByMethodAndPattern(String method, String target, int status, String body) throws Exception {
        ServerFixture.withServer(ROUTES, ServerConfig.DEFAULT, port -> {
            try (RawClient c = new RawClient(port)) {
                RawClient.Answer a = c.send(method + " " + target + " HTTP/1.1\r\nHost: x\r\nContent-Length: 0\r\n\r\n").read();
                assertEquals(status, a.status(), a.toString());
                assertEquals(body, a.text().strip().replace("\n", " "));
                if (status == 405) assertEquals("GET, PUT, DELETE, PATCH, HEAD", a.header("Allow"));
                // the route refusing a request is no malformed message: the connection goes on
                assertEquals("user 1", c.send("GET /users/1 HTTP/1.1\r\nHost: x\r\n\r\n").read().text().strip());
            }
            return null;
        });
    }

    @Test
    void headIsServedByTheGetRouteWithoutTheBody() throws Exception {
        ServerFixture.withServer(ROUTES, ServerConfig.DEFAULT, port -> {
            try (RawClient c = new RawClient(port)) {
                RawClient.Answer head = c.send("HEAD /users/42 HTTP/1.1\r\nHost: x\r\n\r\n").read(true);
                assertEquals(200, head.status());
                assertEquals("8", head.header("Content-Length"));
                assertEquals("user 1\n", c.send("GET /users/1 HTTP/1.1\r\nHost: x\r\n\r\n").read().text(), "no body followed the HEAD's head");
            }
            return null;
        });
    }

    @Test
    void aBadPatternIsRefusedNamingWhatIsWrong() {
        Handler h = r -> Response.empty(204);
        assertEquals("a route pattern starts with '/', got users",
                assertThrows(IllegalArgumentException.class, () -> new Router().get("users", h)).getMessage());
        assertEquals("a parameter without a name in /users/{}",
                assertThrows(IllegalArgumentException.class, () -> new Router().get("/users/{}", h)).getMessage());
        assertEquals("{rest...} must be the last segment of /a/{rest...}/b",
                assertThrows(IllegalArgumentException.class, () -> new Router().get("/a/{rest...}/b", h)).getMessage());
        assertTrue(assertThrows(NullPointerException.class, () -> new Router().get("/a", null)).getMessage().contains("handler"));
    }

    @Test
    void askingForAParameterTheRouteDoesNotHaveNamesTheOnesItHas() throws Exception {
        Router r = new Router().get("/a/{x}", q -> Response.text(200, q.param("y")));
        ServerFixture.withServer(r, ServerConfig.DEFAULT, port -> {
            try (RawClient c = new RawClient(port)) {
                RawClient.Answer a = c.send("GET /a/1 HTTP/1.1\r\nHost: x\r\n\r\n").read();
                assertEquals(500, a.status(), "a handler's bug is a 500: " + a);
            }
            return null;
        });
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new Request(new xiio.http.HttpRequestHead("GET", "/a/1", "HTTP/1.1", new xiio.http.HttpHeaders()), null, null, java.util.Map.of("x", "1")).param("y"));
        assertEquals("the route has no parameter {y}; it has [x]", e.getMessage());
    }
}
