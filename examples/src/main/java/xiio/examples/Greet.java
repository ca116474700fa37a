package xiio.examples;

import static xiio.core.Xiio.run;
import static xiio.core.Xiio.sleep;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeoutException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import xiio.concurrent.TaskGroup;
import xiio.concurrent.Timeout;
import xiio.io.FdStream;
import xiio.io.Stdio;
import xiio.io.StreamReader;

/**
 * The reference system's own example: read two names from stdin, then greet both
 * concurrently, each after a sleep proportional to the name's length, everything
 * under a timeout. Works with names piped in and typed on a terminal.
 */
@Command(name = "greet", mixinStandardHelpOptions = true,
        description = "Read two names from stdin, greet both concurrently (the reference system's example).")
class Greet implements Callable<Integer> {
    @Option(names = "--timeout", defaultValue = "10s", converter = DurationConverter.class,
            description = "Give up after this long (default: ${DEFAULT-VALUE}).")
    Duration timeout;

    @Option(names = "--delay-per-letter", defaultValue = "100ms", converter = DurationConverter.class,
            description = "How long to wait per letter of a name before greeting (default: ${DEFAULT-VALUE}).")
    Duration perLetter;

    /** {@code ./xiio demo}: the same program under the README's first command. */
    @Command(name = "demo", mixinStandardHelpOptions = true, description = "The demo: greet two names concurrently.")
    static final class Demo extends Greet {}

    @Override
    public Integer call() throws Exception {
        try {
            return run(() -> Timeout.withTimeout(timeout, () -> {
                try (FdStream stdin = Stdio.stdin()) {
                    StreamReader in = new StreamReader(stdin);
                    System.out.println("Two names, please (one per line):");
                    String first = in.readLine(256, StandardCharsets.UTF_8);
                    String second = in.readLine(256, StandardCharsets.UTF_8);
                    if (first == null || second == null) {
                        System.out.println("stdin ended before two names arrived.");
                        return 1;
                    }
                    TaskGroup.gather(() -> greet(first.strip()), () -> greet(second.strip()));
                    return 0;
                }
            }));
        } catch (TimeoutException e) {
            System.out.println("Too slow: no two names within " + DurationConverter.format(timeout) + ".");
            return 1;
        }
    }

    private Void greet(String name) {
        sleep(perLetter.multipliedBy(name.length()));
        System.out.println("Hello, " + name + "!");
        return null;
    }
}
