package xiio.examples;

import static xiio.core.Xiio.run;
import static xiio.core.Xiio.sleep;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.TimeoutException;
import xiio.concurrent.TaskGroup;
import xiio.concurrent.Timeout;
import xiio.core.Xiio;

/**
 * The reference system's own example: read two names from stdin, then greet both
 * concurrently, each after a sleep proportional to the name's length, everything
 * under a 10 second timeout. Works with names piped in and typed on a terminal.
 */
final class Greet {
    private Greet() {}

    static int main(String[] args) throws Exception {
        if (args.length > 0) {
            System.out.println("usage: ./xiio greet   (then type two names, one per line)");
            return args[0].equals("--help") ? 0 : 2;
        }
        try {
            run(() -> Timeout.withTimeout(Duration.ofSeconds(10), () -> {
                StdinLines stdin = new StdinLines();
                System.out.println("Two names, please (one per line):");
                String first = stdin.readLine();
                String second = stdin.readLine();
                TaskGroup.gather(() -> greet(first), () -> greet(second));
                return null;
            }));
            return 0;
        } catch (TimeoutException e) {
            System.out.println("Too slow: no two names within 10 seconds.");
            return 1;
        }
    }

    private static Void greet(String name) {
        sleep(Duration.ofMillis(100L * name.length()));
        System.out.println("Hello, " + name + "!");
        return null;
    }

    /** Lines from fd 0, read as they arrive: works for a pipe, a file and a terminal. */
    private static final class StdinLines {
        private final byte[] buf = new byte[4096];
        private int start, end;

        String readLine() throws IOException {
            while (true) {
                for (int i = start; i < end; i++) {
                    if (buf[i] == '\n') {
                        String line = new String(buf, start, i - start, StandardCharsets.UTF_8).strip();
                        start = i + 1;
                        return line;
                    }
                }
                if (start > 0) {
                    System.arraycopy(buf, start, buf, 0, end - start);
                    end -= start;
                    start = 0;
                }
                if (end == buf.length) throw new IOException("a name longer than " + buf.length + " bytes");
                int n = Xiio.read(0, buf, end, buf.length - end);
                if (n < 0) {
                    if (end == start) throw new IOException("stdin ended before two names arrived");
                    String line = new String(buf, start, end - start, StandardCharsets.UTF_8).strip();
                    start = end;
                    return line;
                }
                end += n;
            }
        }
    }
}
