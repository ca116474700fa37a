package xiio.fault;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import xiio.support.OutOfFds;

/**
 * The accept loop out of fds for real, not injected (that is {@link AcceptBackoffTest}):
 * a server in a child JVM whose RLIMIT_NOFILE is lowered until accept fails with
 * EMFILE. It must keep serving the connections it has, log the shortage once, and take
 * the queued clients when fds come free. The first log line of a JVM opens the
 * time-zone data file, so a logger that is first used during the shortage would
 * throw; this is the test that finds such things.
 */
class OutOfFdsTest {
    @Test
    void aServerOutOfFdsKeepsServingLogsOnceAndAcceptsAgainWhenFdsComeFree() throws Exception {
        Path out = Files.createTempFile("out-of-fds", ".out");
        Path err = Files.createTempFile("out-of-fds", ".err");
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "--enable-native-access=ALL-UNNAMED", "--add-exports", "java.base/jdk.internal.vm=ALL-UNNAMED"));
        String backend = System.getProperty("xiio.backend");
        if (backend != null) cmd.add("-Dxiio.backend=" + backend);
        cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), OutOfFdsEchoServer.class.getName()));
        Process server = new ProcessBuilder(cmd).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        try {
            int port = awaitPort(server, out, err);
            OutOfFds.exercise(server.pid(), port, OutOfFdsTest::echoes, () -> describe(out, err));
            assertTrue(server.isAlive(), describe(out, err));
            String log = Files.readString(err);
            OutOfFds.assertShortagesLoggedOnceEach(log);
        } finally {
            server.destroyForcibly();
            server.waitFor(10, TimeUnit.SECONDS);
            Files.delete(out);
            Files.delete(err);
        }
    }

    static void echoes(Socket s) throws IOException {
        byte[] ping = "ping".getBytes(StandardCharsets.US_ASCII);
        s.getOutputStream().write(ping);
        assertArrayEquals(ping, s.getInputStream().readNBytes(ping.length));
    }

    private static int awaitPort(Process server, Path out, Path err) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        Pattern listening = Pattern.compile("listening on port (\\d+)");
        while (true) {
            Matcher m = listening.matcher(Files.readString(out));
            if (m.find()) return Integer.parseInt(m.group(1));
            if (!server.isAlive() || System.nanoTime() > deadline) throw new AssertionError("no port\n" + describe(out, err));
            Thread.sleep(20);
        }
    }

    private static String describe(Path out, Path err) {
        try {
            return "--- stdout:\n" + Files.readString(out) + "\n--- stderr:\n" + Files.readString(err);
        } catch (IOException e) {
            return "(output unreadable: " + e + ")";
        }
    }
}
