package xiio.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Every example answers --help in-process, and the launcher lists it. */
class HelpExampleTest {
    private static String run(int expectedStatus, String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        PrintStream saved = System.out;
        System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
        try {
            assertEquals(expectedStatus, Main.execute(args));
        } finally {
            System.setOut(saved);
        }
        return out.toString(StandardCharsets.UTF_8);
    }

    @ParameterizedTest
    @ValueSource(strings = {"chat", "http", "fetch", "netcat", "parallel", "watch", "echo-server", "greet"})
    void answersHelpAndIsListed(String name) {
        String help = run(0, name, "--help");
        assertTrue(help.startsWith("Usage: ./xiio " + name), help);
        assertTrue(run(0, "help").contains("  " + name + " "), "listed by ./xiio help");
    }
}
