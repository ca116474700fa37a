package xiio.docs;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.tools.Diagnostic;
import javax.tools.DiagnosticCollector;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileObject;
import javax.tools.SimpleJavaFileObject;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.Test;
import xiio.examples.support.ExampleProcess;

/**
 * The README's programs compile against the library as it is (the JDK's compiler, in
 * memory, this module's class path), and the first one, the echo server a newcomer
 * copies, is run in a child JVM against the clients a server meets: one that resets
 * mid-transfer, one that sits idle, and one that behaves, all at once. Its idle limit
 * of 30 s becomes 1.5 s for the run; nothing else of the program is changed.
 */
class ReadmeProgramTest {
    private static final Pattern CLASS_NAME = Pattern.compile("public class (\\w+)");
    private static final String IDLE_LIMIT = "Duration.ofSeconds(30)";

    @Test
    void everyProgramInTheReadmeCompiles() throws IOException {
        List<String> programs = Readme.blocks("java").stream().filter(b -> CLASS_NAME.matcher(b).find()).toList();
        assertTrue(programs.size() >= 1, "the README's first program is gone, or its block is no longer ```java");
        for (String program : programs) {
            Matcher m = CLASS_NAME.matcher(program);
            m.find();
            deleteTree(compile(m.group(1), program));
        }
    }

    @Test
    void theFirstProgramServesAClientWhileAnotherResetsMidTransferAndAThirdSitsIdle() throws Exception {
        String source = Readme.program("Echo");
        assertTrue(source.contains(IDLE_LIMIT), "the README's echo server no longer has its idle limit " + IDLE_LIMIT);
        Path classes = compile("Echo", source.replace(IDLE_LIMIT, "Duration.ofMillis(1500)"));
        List<String> cmd = new ArrayList<>(ExampleProcess.javaCommand());
        int cp = cmd.indexOf("-cp") + 1;
        cmd.set(cp, classes + java.io.File.pathSeparator + System.getProperty("java.class.path"));
        cmd.set(cp + 1, "Echo");
        cmd.add("0");
        try (ExampleProcess server = ExampleProcess.startCommand(cmd, null)) {
            int port = Integer.parseInt(server.awaitLine("listening on port (\\d+)").group(1));
            try (Socket idle = connect(port); Socket good = connect(port)) {
                resetMidTransfer(port);
                server.awaitLine("ECONNRESET|EPIPE|reset|[Bb]roken pipe", java.time.Duration.ofSeconds(20), true);
                roundTrips(good, 20);
                // the idle client is dropped at its limit; the server and the good client go on
                assertEquals(-1, idle.getInputStream().read(), "the idle client should be closed by the server");
                server.awaitLine("timed out after PT1\\.5S", java.time.Duration.ofSeconds(20), true);
                roundTrips(good, 20);
            }
            try (Socket late = connect(port)) {
                roundTrips(late, 5);
            }
            assertTrue(server.isAlive(), server.describe());
        } finally {
            deleteTree(classes);
        }
    }

    /**
     * A client that sends 8 MiB without reading the echo, so the server's write waits on
     * a full socket, then resets (SO_LINGER 0) while the rest is still on its way.
     */
    private static void resetMidTransfer(int port) throws Exception {
        Socket reset = connect(port);
        Thread sender = Thread.ofPlatform().start(() -> {
            try {
                reset.getOutputStream().write(new byte[8 << 20]);
            } catch (IOException closedUnderUs) {
                // the reset below ends this write
            }
        });
        Thread.sleep(300);
        reset.setSoLinger(true, 0);
        reset.close();
        sender.join(20_000);
    }

    private static void roundTrips(Socket s, int rounds) throws IOException {
        Random random = new Random(rounds);
        for (int i = 0; i < rounds; i++) {
            byte[] message = new byte[1 + random.nextInt(3000)];
            random.nextBytes(message);
            s.getOutputStream().write(message);
            assertArrayEquals(message, s.getInputStream().readNBytes(message.length));
        }
    }

    private static Socket connect(int port) throws IOException {
        Socket s = new Socket();
        s.connect(new InetSocketAddress("127.0.0.1", port), 10_000);
        s.setSoTimeout(20_000);
        return s;
    }

    /** Compiles {@code code} (class {@code className}) into a new directory, without warnings. */
    private static Path compile(String className, String code) throws IOException {
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        Path out = Files.createTempDirectory("readme-classes");
        DiagnosticCollector<JavaFileObject> diagnostics = new DiagnosticCollector<>();
        boolean ok = javac.getTask(null, null, diagnostics,
                List.of("-d", out.toString(), "-classpath", System.getProperty("java.class.path")),
                null, List.of(source(className, code))).call();
        List<String> errors = new ArrayList<>();
        for (Diagnostic<? extends JavaFileObject> d : diagnostics.getDiagnostics()) {
            errors.add("line " + d.getLineNumber() + ": " + d.getMessage(null));
        }
        assertTrue(ok, "README program " + className + " does not compile: " + errors);
        assertEquals(List.of(), errors, "README program " + className + " compiles with warnings");
        return out;
    }

    private static JavaFileObject source(String className, String code) {
        return new SimpleJavaFileObject(URI.create("string:///" + className + ".java"), JavaFileObject.Kind.SOURCE) {
            @Override
            public CharSequence getCharContent(boolean ignoreEncodingErrors) {
                return code;
            }
        };
    }

    static void deleteTree(Path dir) throws IOException {
        try (var files = Files.walk(dir)) {
            for (Path p : files.sorted(Comparator.reverseOrder()).toList()) Files.delete(p);
        }
    }
}
