package xiio.examples;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import xiio.examples.support.ExampleProcess;
import xiio.support.OutOfFds;

/**
 * Every example server out of fds for real: its RLIMIT_NOFILE is lowered below what 40
 * clients need ({@link OutOfFds}). It must keep serving the clients it took, say so once
 * per shortage, and serve every client once fds come free. A server that logged its
 * first line, or loaded a class from its class directory, only once fds ran out used
 * to die here.
 */
class OutOfFdsExampleTest {
    @Test
    void theEchoServerSurvivesRunningOutOfFds() throws Exception {
        survives(OutOfFdsExampleTest::echoes, "echo-server listening on .*:(\\d+) ", "echo-server", "--port", "0");
    }

    @Test
    void theChatServerSurvivesRunningOutOfFds() throws Exception {
        survives(OutOfFdsExampleTest::welcomes, "chat listening on .*:(\\d+)", "chat", "--port", "0");
    }

    @Test
    void theHttpServerSurvivesRunningOutOfFds() throws Exception {
        survives(OutOfFdsExampleTest::answers, "http listening on http://.*:(\\d+)/", "http", "--port", "0", "--loops", "1"); // see the report: two loops time out
    }

    private static void survives(OutOfFds.Probe probe, String listening, String... args) throws Exception {
        try (ExampleProcess server = ExampleProcess.start(args)) {
            int port = Integer.parseInt(server.awaitLine(listening).group(1));
            OutOfFds.exercise(server.pid(), port, probe, server::describe);
            assertTrue(server.isAlive(), server.describe());
            OutOfFds.assertShortagesLoggedOnceEach(server.stderr() + server.stdout());
        }
    }

    private static void echoes(Socket s) throws IOException {
        byte[] ping = "ping".getBytes(StandardCharsets.US_ASCII);
        s.getOutputStream().write(ping);
        assertArrayEquals(ping, s.getInputStream().readNBytes(ping.length));
    }

    private static void welcomes(Socket s) throws IOException {
        String line = new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.UTF_8)).readLine();
        assertTrue(line != null && line.startsWith("* welcome, guest"), "chat said: " + line);
    }

    private static void answers(Socket s) throws IOException {
        s.getOutputStream().write("GET / HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
        String status = new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.US_ASCII)).readLine();
        assertTrue(status != null && status.startsWith("HTTP/1.1 200 "), "http said: " + status);
    }
}
