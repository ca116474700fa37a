package xiio.http.server;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/**
 * A request of a higher minor version of HTTP/1 ({@code HTTP/1.2}) is served as
 * HTTP/1.1 (RFC 9110 section 6.2, RFC 9112 section 2.3) and answered with an
 * {@code HTTP/1.1} status line, on a connection that stays open; another major
 * version is still 505.
 */
class HigherMinorVersionTest {
    private static final Handler HELLO = r -> Response.text(200, "hello\n");

    @Test
    void http12IsServedAsHttp11OnAPersistentConnection() throws Exception {
        ServerFixture.withServer(HELLO, ServerConfig.DEFAULT, port -> {
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress("127.0.0.1", port), 5000);
                s.setSoTimeout(10_000);
                BufferedReader in = new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.ISO_8859_1));
                for (int i = 0; i < 2; i++) { // the second request shows the connection stayed open
                    s.getOutputStream().write("GET / HTTP/1.2\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
                    assertEquals("HTTP/1.1 200 OK", in.readLine());
                    String line;
                    while (!(line = in.readLine()).isEmpty()) {
                        if (line.regionMatches(true, 0, "Connection:", 0, 11)) assertEquals("keep-alive", line.substring(11).strip().toLowerCase());
                    }
                    assertEquals("hello", in.readLine());
                }
            }
            return null;
        });
    }

    @Test
    void anotherMajorVersionIsStill505WithAnHttp11StatusLine() throws Exception {
        ServerFixture.withServer(HELLO, ServerConfig.DEFAULT, port -> {
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress("127.0.0.1", port), 5000);
                s.setSoTimeout(10_000);
                s.getOutputStream().write("GET / HTTP/2.0\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
                BufferedReader in = new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.ISO_8859_1));
                assertEquals("HTTP/1.1 505 HTTP Version Not Supported", in.readLine());
            }
            return null;
        });
    }
}
