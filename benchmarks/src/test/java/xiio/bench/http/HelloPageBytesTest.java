package xiio.bench.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import xiio.bench.ServerProcess;

/**
 * The benchmark is fair only if both servers send the same bytes: the Netty server's
 * answers to GET / and HEAD / must equal the http example's (continuation backend),
 * all but the Date value, and both must close on {@code Connection: close}.
 */
class HelloPageBytesTest {
    @Test
    void nettyAnswersWhatTheExampleAnswers() throws Exception {
        String xiio = answers(BenchServer.XIIO_CONTINUATION);
        assertTrue(xiio.startsWith("HTTP/1.1 200 OK\r\n") && xiio.contains("Hello from xiio-java"), xiio);
        assertEquals(xiio, answers(BenchServer.NETTY_EPOLL));
        assertEquals(xiio, answers(BenchServer.NETTY_NIO));
    }

    /** GET, HEAD, and a GET with Connection: close, pipelined on one connection, read to its end. */
    private String answers(BenchServer server) throws Exception {
        try (ServerProcess s = ServerProcess.start(server.id, server.command());
             Socket socket = new Socket("127.0.0.1", s.port())) {
            socket.setSoTimeout(10_000);
            socket.getOutputStream().write(("GET / HTTP/1.1\r\nHost: x\r\n\r\n"
                    + "HEAD / HTTP/1.1\r\nHost: x\r\n\r\n"
                    + "GET / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
            String all = readToEnd(socket.getInputStream()); // ends only if the server closed after the third
            assertEquals(0, s.stop(), "exit status after SIGTERM; " + s.describe());
            return all.replaceAll("Date: [^\r]*\r\n", "Date: (masked)\r\n");
        }
    }

    private static String readToEnd(InputStream in) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        in.transferTo(out);
        return out.toString(StandardCharsets.ISO_8859_1);
    }
}
