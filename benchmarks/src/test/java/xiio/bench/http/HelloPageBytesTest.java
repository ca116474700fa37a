package xiio.bench.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import xiio.bench.ServerProcess;

/**
 * The benchmark is fair only if every server sends the same bytes: the Netty servers'
 * answers to GET /, HEAD / and POST /echo must equal the http example's (continuation
 * backend), all but the Date value, and all must close on {@code Connection: close};
 * Helidon's and the JDK's must have the same statuses, header fields (in their own
 * order and spelling) and bodies, and every server must answer 16 pipelined requests.
 */
class HelloPageBytesTest {
    private static final byte[] ECHO = new byte[3000];

    static {
        for (int i = 0; i < ECHO.length; i++) ECHO[i] = (byte) (i * 31 + 7);
    }

    @Test
    void nettyAnswersWhatTheExampleAnswers() throws Exception {
        String xiio = exact(BenchServer.XIIO_CONTINUATION);
        assertTrue(xiio.startsWith("HTTP/1.1 200 OK\r\n") && xiio.contains("Hello from xiio-java"), xiio);
        assertTrue(xiio.contains("Content-Type: application/x-test\r\nContent-Length: 3000\r\n"), xiio);
        assertEquals(xiio, exact(BenchServer.NETTY_EPOLL));
        assertEquals(xiio, exact(BenchServer.NETTY_NIO));
        assertEquals(xiio, exact(BenchServer.NETTY_URING));
    }

    @Test
    void helidonAndTheJdkAnswerTheSameFieldsAndBodies() throws Exception {
        List<String> xiio = normalized(BenchServer.XIIO_CONTINUATION);
        assertEquals(3 + HttpScenario.PIPELINE_DEPTH, xiio.size());
        assertEquals(xiio, normalized(BenchServer.HELIDON));
        assertEquals(xiio, normalized(BenchServer.JDK_HTTP));
    }

    private static String requests() {
        StringBuilder r = new StringBuilder("GET / HTTP/1.1\r\nHost: x\r\n\r\nHEAD / HTTP/1.1\r\nHost: x\r\n\r\n"
                + "POST /echo HTTP/1.1\r\nHost: x\r\nContent-Type: application/x-test\r\nContent-Length: " + ECHO.length + "\r\n\r\n");
        r.append(new String(ECHO, StandardCharsets.ISO_8859_1));
        return r.toString();
    }

    /** GET, HEAD, POST /echo, and a GET with Connection: close, pipelined on one connection, read to its end. */
    private String exact(BenchServer server) throws Exception {
        try (ServerProcess s = ServerProcess.start(server.id, server.command());
             Socket socket = new Socket("127.0.0.1", s.port())) {
            socket.setSoTimeout(10_000);
            socket.getOutputStream().write((requests() + "GET / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
                    .getBytes(StandardCharsets.ISO_8859_1));
            String all = readToEnd(socket.getInputStream()); // ends only if the server closed after the last
            assertEquals(0, s.stop(), "exit status after SIGTERM; " + s.describe());
            return all.replaceAll("Date: [^\r]*\r\n", "Date: (masked)\r\n");
        }
    }

    /** GET, HEAD, POST /echo, then 16 GETs written at once; each answer as status, sorted lower-case fields, body. */
    private List<String> normalized(BenchServer server) throws Exception {
        try (ServerProcess s = ServerProcess.start(server.id, server.command());
             Socket socket = new Socket("127.0.0.1", s.port())) {
            socket.setSoTimeout(10_000);
            String pipelined = "GET / HTTP/1.1\r\nHost: x\r\n\r\n".repeat(HttpScenario.PIPELINE_DEPTH);
            socket.getOutputStream().write((requests() + pipelined).getBytes(StandardCharsets.ISO_8859_1));
            DataInputStream in = new DataInputStream(socket.getInputStream());
            List<String> answers = new ArrayList<>();
            for (int i = 0; i < 3 + HttpScenario.PIPELINE_DEPTH; i++) answers.add(readAnswer(in, i == 1));
            socket.close();
            assertEquals(0, s.stop(), "exit status after SIGTERM; " + s.describe());
            return answers;
        }
    }

    private static String readAnswer(DataInputStream in, boolean head) throws IOException {
        String status = line(in);
        TreeMap<String, String> fields = new TreeMap<>();
        for (String l; !(l = line(in)).isEmpty(); ) {
            int colon = l.indexOf(':');
            String name = l.substring(0, colon).toLowerCase(Locale.ROOT);
            if (!name.equals("date") && !name.equals("connection")) fields.put(name, l.substring(colon + 1).strip());
        }
        byte[] body = new byte[head ? 0 : Integer.parseInt(fields.getOrDefault("content-length", "0"))];
        in.readFully(body);
        return status + " " + fields + " " + new String(body, StandardCharsets.ISO_8859_1);
    }

    private static String line(DataInputStream in) throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        for (int c; (c = in.read()) != '\n'; ) {
            if (c < 0) throw new IOException("the connection ended mid-answer: " + b);
            if (c != '\r') b.write(c);
        }
        return b.toString(StandardCharsets.ISO_8859_1);
    }

    private static String readToEnd(InputStream in) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        in.transferTo(out);
        return out.toString(StandardCharsets.ISO_8859_1);
    }
}
