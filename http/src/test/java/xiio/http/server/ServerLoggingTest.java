package xiio.http.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The access log and the server's errors go through {@link System.Logger}: captured
 * here from its default backend, java.util.logging, by logger name (DEBUG arrives as
 * FINE).
 */
class ServerLoggingTest {
    private final List<LogRecord> access = new CopyOnWriteArrayList<>(), errors = new CopyOnWriteArrayList<>();
    private Logger accessLogger, errorLogger;
    private Handler accessHandler, errorHandler;
    private Level accessLevel, errorLevel;

    @BeforeEach
    void capture() {
        accessLogger = Logger.getLogger("xiio.http.server.access");
        errorLogger = Logger.getLogger("xiio.http.server");
        accessLevel = accessLogger.getLevel();
        errorLevel = errorLogger.getLevel();
        accessLogger.setLevel(Level.ALL);
        errorLogger.setLevel(Level.ALL);
        accessHandler = collectInto(access);
        errorHandler = collectInto(errors);
        accessLogger.addHandler(accessHandler);
        errorLogger.addHandler(errorHandler);
    }

    @AfterEach
    void release() {
        accessLogger.removeHandler(accessHandler);
        errorLogger.removeHandler(errorHandler);
        accessLogger.setLevel(accessLevel);
        errorLogger.setLevel(errorLevel);
    }

    @Test
    void eachAnsweredRequestIsOneInfoLineAndEachDroppedConnectionADebugLine() throws Exception {
        HttpServer server = new HttpServer(HttpServerClientsTest.ROUTER, ServerConfig.DEFAULT).withAccessLog(AccessLog.systemLogger());
        ServerFixture.withServer(server, null, port -> {
            try (RawClient c = new RawClient(port)) {
                assertEquals(200, c.send("GET /hello/log?q=1 HTTP/1.1\r\nHost: x\r\n\r\n").read().status());
                assertEquals(404, c.send("GET /nowhere HTTP/1.1\r\nHost: x\r\n\r\n").read().status());
            }
            try (RawClient c = new RawClient(port)) {
                assertEquals(400, c.send("GET / HTTP/1.1\r\nHost: x\r\n folded\r\n\r\n").read().status());
            }
            return null;
        });
        List<String> infos = messages(access, Level.INFO);
        assertEquals(2, infos.size(), infos.toString());
        assertTrue(infos.get(0).matches("127\\.0\\.0\\.1:\\d+ \"GET /hello/log\\?q=1 HTTP/1\\.1\" 200 10 \\d+us"), infos.get(0));
        assertTrue(infos.get(1).contains("\"GET /nowhere HTTP/1.1\" 404 "), infos.get(1));
        List<String> debugs = messages(access, Level.FINE);
        assertTrue(debugs.stream().anyMatch(m -> m.matches("127\\.0\\.0\\.1:\\d+ dropped: 400 obsolete line folding.*")), debugs.toString());
    }

    @Test
    void aFailingHandlerIsAWarningWithItsExceptionAndA500() throws Exception {
        IllegalStateException boom = new IllegalStateException("boom");
        Router router = new Router().get("/fail", r -> {
            throw boom;
        });
        ServerFixture.withServer(router, ServerConfig.DEFAULT, port -> {
            try (RawClient c = new RawClient(port)) {
                RawClient.Answer a = c.send("GET /fail HTTP/1.1\r\nHost: x\r\n\r\n").read();
                assertEquals(500, a.status());
                assertTrue(a.text().contains("IllegalStateException") && !a.text().contains("boom"), "the class, not the message, goes to the client: " + a.text());
                assertEquals(500, c.send("GET /fail HTTP/1.1\r\nHost: x\r\n\r\n").read().status(), "the connection stays usable");
            }
            return null;
        });
        LogRecord warning = errors.stream().filter(r -> r.getLevel() == Level.WARNING).findFirst().orElse(null);
        assertNotNull(warning, "no warning among " + errors);
        assertTrue(warning.getMessage().contains("GET /fail"), warning.getMessage());
        assertEquals(boom, warning.getThrown());
    }

    @Test
    void aResetIsLoggedAsADroppedConnection() throws Exception {
        HttpServer server = new HttpServer(new Router().get("/slow", r -> {
            xiio.core.Xiio.sleep(java.time.Duration.ofSeconds(30));
            return Response.text(200, "late\n");
        }), ServerConfig.DEFAULT).withAccessLog(AccessLog.systemLogger());
        ServerFixture.withServer(server, null, port -> {
            try (Socket s = new Socket("127.0.0.1", port)) {
                s.getOutputStream().write("GET /slow HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
                Thread.sleep(100);
                s.setSoLinger(true, 0);
            }
            long deadline = System.nanoTime() + 5_000_000_000L;
            while (messages(access, Level.FINE).isEmpty() && System.nanoTime() < deadline) Thread.sleep(10);
            return null;
        });
        List<String> debugs = messages(access, Level.FINE);
        assertTrue(debugs.stream().anyMatch(m -> m.contains("dropped: the client reset the connection during GET /slow")), debugs.toString());
        assertEquals(List.of(), messages(access, Level.INFO), "a request that was not answered is not in the access log");
    }

    private static List<String> messages(List<LogRecord> records, Level level) {
        return records.stream().filter(r -> r.getLevel() == level).map(LogRecord::getMessage).toList();
    }

    private static Handler collectInto(List<LogRecord> into) {
        Handler h = new Handler() {
            @Override
            public void publish(LogRecord r) {
                into.add(r);
            }

            @Override
            public void flush() {}

            @Override
            public void close() {}
        };
        h.setLevel(Level.ALL);
        return h;
    }
}
