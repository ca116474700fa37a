package xiio.signal;

import java.time.Duration;
import xiio.core.Xiio;

/** The program {@link RunCancellableTest} starts in a child JVM and sends signals to. */
public final class RunCancellableChild {
    private RunCancellableChild() {}

    private static void say(String line) {
        System.out.println(line);
        System.out.flush();
    }

    public static void main(String[] args) throws Exception {
        switch (args[0]) {
            case "cleanup" -> Signals.runMain(() -> {
                try {
                    say("ready");
                    Xiio.sleep(Duration.ofMinutes(5));
                    say("not cancelled");
                } finally {
                    say("cleanup started");
                    Xiio.sleep(Duration.ofMillis(50)); // cleanup that suspends
                    say("cleanup done");
                }
                return null;
            });
            case "stuck-cleanup" -> Signals.runMain(() -> {
                try {
                    say("ready");
                    Xiio.sleep(Duration.ofMinutes(5));
                } finally {
                    say("cleanup started");
                    Xiio.sleep(Duration.ofMinutes(5)); // only a second signal ends this
                    say("cleanup done");
                }
                return null;
            });
            case "sigint-ignored" -> {
                try {
                    Signals.subscribe(Signal.SIGINT).close();
                    say("subscribed");
                } catch (IllegalStateException e) {
                    say("refused: " + e.getMessage());
                }
                Signals.runMain(() -> {
                    say("ready");
                    Xiio.sleep(Duration.ofMillis(300)); // the test's SIGINT arrives meanwhile, ignored
                    say("main ended");
                    return null;
                });
            }
            default -> throw new IllegalArgumentException("unknown mode " + args[0]);
        }
    }
}
