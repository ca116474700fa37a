package xiio.examples;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.LocalTime;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import xiio.concurrent.Channel;
import xiio.concurrent.TaskGroup;
import xiio.core.Xiio;
import xiio.io.FdStream;
import xiio.io.Stdio;
import xiio.io.StreamWriter;
import xiio.process.CompletedProcess;
import xiio.process.ExitStatus;
import xiio.process.Redirect;
import xiio.process.Subprocess;
import xiio.signal.Signal;
import xiio.signal.SignalExitException;
import xiio.signal.SignalSubscription;
import xiio.signal.Signals;

/**
 * Runs a command every {@code -n} seconds and shows its output. Usage:
 * {@code ./xiio watch -n 1s -- ls -l /tmp}.
 *
 * <p>On a terminal it draws full-screen on the alternate screen (ANSI: clear, home;
 * the previous screen comes back at exit), the output cut to the terminal's size,
 * and redraws at once when the terminal is resized (SIGWINCH), without running the
 * command again. Elsewhere (a pipe, a file) it prints each run after a header line.
 *
 * <p>Three coroutines: one runs the command on schedule, one turns SIGWINCH into
 * redraw requests, and the drawer takes both from one {@link Channel}, so only one
 * coroutine ever writes to the terminal. Runs start every {@code -n} seconds (a run
 * that takes longer delays the next, which then starts at once). Ctrl-C ends it
 * cleanly, with exit status 130 (143 after SIGTERM), as every example.
 */
@Command(name = "watch", mixinStandardHelpOptions = true,
        description = {"Run a command every -n seconds and show its output: full-screen on a terminal (redrawn when the"
            + " window is resized), one run after the other elsewhere. Ctrl-C ends it."})
final class Watch implements Callable<Integer> {
    @Parameters(arity = "1..*", paramLabel = "COMMAND", description = "The command, run with sh -c (several words are joined with spaces).")
    List<String> command;

    @Option(names = {"-n", "--interval"}, defaultValue = "2s", converter = DurationConverter.class,
            description = "Time between runs (default: ${DEFAULT-VALUE}).")
    Duration interval;

    @Option(names = "--count", defaultValue = "0", description = "Stop after this many runs (0: run until Ctrl-C).")
    int count;

    private static final DateTimeFormatter CLOCK = DateTimeFormatter.ofPattern("HH:mm:ss");
    private static final String ALTERNATE_SCREEN = "\033[?1049h", MAIN_SCREEN = "\033[?1049l";

    /** What the drawer is told: a run finished, or the terminal was resized. */
    private sealed interface Update {}

    private record Run(int number, LocalTime at, ExitStatus status, String output) implements Update {}

    private record Resized() implements Update {}

    private String shellCommand;
    private StreamWriter out;
    private Run last;

    @Override
    public Integer call() throws Exception {
        if (interval.isNegative() || interval.isZero()) throw new IllegalArgumentException("-n must be positive");
        if (count < 0) throw new IllegalArgumentException("--count must not be negative");
        shellCommand = String.join(" ", command);
        try {
            Signals.runCancellable(this::watch);
        } catch (SignalExitException stopped) {
            return stopped.exitStatus(); // Ctrl-C is how watch is meant to end: 130, as for every example
        }
        return 0;
    }

    private Void watch() throws Exception {
        boolean tty = Terminal.isTerminal(1);
        try (FdStream stdout = Stdio.stdout()) {
            out = new StreamWriter(stdout);
            if (tty) write(ALTERNATE_SCREEN);
            try {
                TaskGroup.scope(group -> {
                    Channel<Update> updates = new Channel<>(4);
                    group.spawn("runner", () -> runner(updates));
                    if (tty) group.spawn("resize", () -> resizes(updates));
                    Terminal.Size size = tty ? Terminal.size() : null;
                    for (Update u : updates) {
                        if (u instanceof Run r) last = r;
                        else size = Terminal.size(); // resized: ask again, then redraw what we have
                        if (last == null) continue;
                        if (tty) drawScreen(last, size);
                        else drawRun(last);
                        out.flush();
                    }
                    group.cancel(); // the runs are over: stop listening for resizes
                    return null;
                });
            } finally {
                if (tty) {
                    write(MAIN_SCREEN); // also after Ctrl-C: the user's screen comes back
                    out.flush();
                }
            }
        }
        return null;
    }

    /** Runs the command on schedule; closes the channel after {@code --count} runs. */
    private Void runner(Channel<Update> updates) throws IOException {
        try (updates) {
            long next = Xiio.nanoTime();
            for (int n = 1; count == 0 || n <= count; n++) {
                if (n > 1) Xiio.sleepUntil(next);
                next = Math.max(next, Xiio.nanoTime()) + interval.toNanos();
                LocalTime at = LocalTime.now();
                CompletedProcess p = Subprocess.builder("sh", "-c", shellCommand).stdin(Redirect.NULL)
                        .stdout(Redirect.PIPE).stderr(Redirect.STDOUT).run();
                updates.send(new Run(n, at, p.status(), p.stdoutText()));
            }
        }
        return null;
    }

    /** Each SIGWINCH becomes a redraw request; several pending ones are as good as one. */
    private static Void resizes(Channel<Update> updates) throws IOException {
        try (SignalSubscription winch = Signals.subscribe(Signal.SIGWINCH)) {
            for (Signal ignored : winch) updates.trySend(new Resized());
        }
        return null;
    }

    private String header() {
        return "Every " + DurationConverter.format(interval) + ": " + shellCommand;
    }

    private String stamp(Run r) {
        return "run " + r.number() + ", " + CLOCK.format(r.at()) + (r.status().success() ? "" : ", " + r.status());
    }

    /** Clear, home, then the header (the stamp right-aligned) and as much output as fits. */
    private void drawScreen(Run r, Terminal.Size size) throws IOException {
        StringBuilder b = new StringBuilder(Terminal.CLEAR_SCREEN);
        String left = header(), right = stamp(r);
        int room = size.columns() - right.length() - 1;
        left = left.length() > room ? left.substring(0, Math.max(0, room)) : left;
        b.append(fit(left + " ".repeat(Math.max(1, size.columns() - left.length() - right.length())) + right, size.columns()));
        b.append("\r\n\r\n");
        List<String> lines = r.output().lines().toList();
        int rows = Math.max(0, size.rows() - 2);
        for (int i = 0; i < Math.min(rows, lines.size()); i++) {
            b.append(fit(lines.get(i).replace("\t", "        "), size.columns()));
            if (i < Math.min(rows, lines.size()) - 1) b.append("\r\n"); // no newline on the last row: it would scroll
        }
        write(b.toString());
    }

    /** Not a terminal: a header line, then the output as it is. */
    private void drawRun(Run r) throws IOException {
        String output = r.output();
        write("=== " + header() + " (" + stamp(r) + ")\n" + output + (output.isEmpty() || output.endsWith("\n") ? "" : "\n"));
    }

    private static String fit(String line, int columns) {
        return line.length() <= columns ? line : line.substring(0, columns);
    }

    private void write(String s) throws IOException {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        out.writeAll(b, 0, b.length);
    }
}
