package xiio.http.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * wrk as the load: 64 keep-alive connections for two seconds on one loop, against a
 * small page and a POST whose body the handler reads. Every answer must be a 2xx and
 * no socket may fail; afterwards the server answers as before, holds no connection,
 * and (the leak guard) no fd.
 */
class WrkLoadTest {
    @TempDir
    Path dir;

    private static final Pattern REQUESTS = Pattern.compile("(\\d+) requests in");

    @Test
    void sixtyFourConnectionsForTwoSecondsOnHelloAndAPostBody() throws Exception {
        Path post = dir.resolve("post.lua");
        Files.writeString(post, String.join("\n",
                "wrk.method = \"POST\"",
                "wrk.body = string.rep(\"x\", 4096)",
                "wrk.headers[\"Content-Type\"] = \"application/octet-stream\""));
        HttpServer server = new HttpServer(HttpServerClientsTest.ROUTER, ServerConfig.DEFAULT);
        ServerFixture.withServer(server, null, port -> {
            String base = "http://127.0.0.1:" + port;
            for (String[] args : new String[][] {{base + "/hello/wrk"}, {"-s", post.toString(), base + "/echo"}}) {
                String[] cmd = new String[6 + args.length];
                System.arraycopy(new String[] {"wrk", "-t1", "-c64", "-d2s", "--timeout", "5s"}, 0, cmd, 0, 6);
                System.arraycopy(args, 0, cmd, 6, args.length);
                String out = HttpServerClientsTest.run(null, cmd);
                System.out.println(String.join(" ", cmd) + "\n" + out);
                assertFalse(out.contains("Socket errors"), out);
                assertFalse(out.contains("Non-2xx or 3xx responses"), out);
                Matcher m = REQUESTS.matcher(out);
                assertTrue(m.find(), out);
                assertTrue(Long.parseLong(m.group(1)) > 1000, "only " + m.group(1) + " requests in 2 s: " + out);
            }
            // still healthy: a plain request is answered, and wrk's 64 connections have all closed
            try (RawClient c = new RawClient(port)) {
                assertEquals("hello after\n", c.send("GET /hello/after HTTP/1.1\r\nHost: x\r\n\r\n").read().text());
            }
            long deadline = System.nanoTime() + 5_000_000_000L;
            while (serverSideSockets(port) > 0 && System.nanoTime() < deadline) Thread.sleep(10);
            assertEquals(0, serverSideSockets(port), "connections the server left open after wrk and the last client closed");
            return null;
        });
    }

    /**
     * The server's accepted sockets on {@code port} that the kernel still holds, in
     * any state but LISTEN (a socket the server never closed sits in CLOSE_WAIT), read
     * from /proc/net/tcp: no need to ask the loop.
     */
    static long serverSideSockets(int port) throws java.io.IOException {
        String local = String.format(":%04X", port);
        try (var lines = Files.lines(Path.of("/proc/net/tcp"))) {
            return lines.skip(1).map(String::trim).map(l -> l.split("\\s+"))
                    .filter(f -> f[1].endsWith(local) && !f[3].equals("0A")).count();
        }
    }
}
