package xiio.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * One rule for every example's errors: one line on stderr, in words (no Java class
 * names), a hint at --help when the command line is wrong, nothing on stdout (no usage
 * dump), and an exit status from one table: 1 failed, 2 the command line is wrong.
 * Run in-process: none of these gets as far as the loop.
 */
class ErrorMessagesExampleTest {
    @ParameterizedTest(name = "./xiio {0}")
    @CsvSource(delimiter = '|', textBlock = """
        echo-server --port 99999   | 2 | xiio echo-server: invalid value for option '--port': port 99999 is out of range 0..65535 (see ./xiio echo-server --help)
        echo-server                | 2 | xiio echo-server: missing required option: '--port=<port>' (see ./xiio echo-server --help)
        http --port abc            | 2 | xiio http: invalid value for option '--port': 'abc' is not a port number (0 to 65535) (see ./xiio http --help)
        chat --port 0 --queue 0    | 2 | xiio chat: --queue must be at least 1, got 0 (see ./xiio chat --help)
        netcat 127.0.0.1 70000     | 2 | xiio netcat: invalid value for positional parameter at index 1 (PORT): port 70000 is out of range 0..65535 (see ./xiio netcat --help)
        bogus                      | 2 | xiio: unknown command 'bogus' (see ./xiio help)
        --bogus                    | 2 | xiio: unknown option: '--bogus' (see ./xiio help)
        http --port 0 --root /no/such/dir | 1 | xiio http: no such file or directory: /no/such/dir
        """)
    void anErrorIsOneLineInWords(String commandLine, int status, String line) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(), err = new ByteArrayOutputStream();
        PrintStream savedOut = System.out, savedErr = System.err;
        System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
        System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
        int got;
        try {
            got = Main.execute(commandLine.split(" "));
        } finally {
            System.setOut(savedOut);
            System.setErr(savedErr);
        }
        assertEquals(line + "\n", err.toString(StandardCharsets.UTF_8));
        assertEquals("", out.toString(StandardCharsets.UTF_8), "nothing on stdout, no usage");
        assertEquals(status, got);
    }

    @ParameterizedTest
    @CsvSource({"echo-server", "chat", "http", "watch", "netcat", "parallel", "fetch", "greet"})
    void everyHelpListsTheExitStatuses(String command) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        PrintStream saved = System.out;
        System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
        try {
            assertEquals(0, Main.execute(command, "--help"));
        } finally {
            System.setOut(saved);
        }
        String help = out.toString(StandardCharsets.UTF_8);
        assertTrue(help.contains("130") && help.contains("stopped by Ctrl-C"), help);
    }
}
