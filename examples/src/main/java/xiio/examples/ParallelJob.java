package xiio.examples;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import xiio.concurrent.TaskGroup;
import xiio.core.CancelledError;
import xiio.core.Xiio;
import xiio.io.ByteStream;
import xiio.io.LimitExceededException;
import xiio.io.StreamReader;
import xiio.process.ExitStatus;
import xiio.process.Redirect;
import xiio.process.Subprocess;

/**
 * One job of {@code parallel}: {@code sh -c COMMAND} with stdin from /dev/null (the
 * commands' own input is ours), stdout and stderr piped and passed on line by line
 * with a {@code [N] } prefix, each line whole. The child leads a process group of
 * its own, so stopping the job stops what the shell started too; a job cancelled
 * midway is stopped by closing its {@link Subprocess} (SIGTERM, then SIGKILL after
 * 2 s) and counts as cancelled.
 */
final class ParallelJob {
    /** Where a job is in its life. */
    enum State { NOT_RUN, RUNNING, DONE, CANCELLED }

    private static final int MAX_LINE = 64 * 1024;

    private final int number;
    private final String command;
    private State state = State.NOT_RUN;
    private ExitStatus status;
    private String error;
    private long started, ended;

    ParallelJob(int number, String command) {
        this.number = number;
        this.command = command;
    }

    int number() {
        return number;
    }

    String command() {
        return command;
    }

    State state() {
        return state;
    }

    boolean succeeded() {
        return state == State.DONE && status != null && status.success();
    }

    double seconds() {
        return Duration.ofNanos(ended - started).toNanos() / 1e9;
    }

    /** For the summary: "ok", "exit 3", "killed by SIGKILL", "cancelled", "not run", or why it could not start. */
    String outcome() {
        return switch (state) {
            case NOT_RUN -> "not run";
            case RUNNING -> "running";
            case CANCELLED -> "cancelled";
            case DONE -> error != null ? "error: " + error
                    : status.success() ? "ok" : status.killedBySignal() ? status.toString() : "exit " + status.code();
        };
    }

    /** Runs the job to its end; its output goes to {@code out} and {@code err}. Failures are recorded, not thrown. */
    void run(LinePrinter out, LinePrinter err) {
        state = State.RUNNING;
        started = Xiio.nanoTime();
        try (Subprocess p = Subprocess.builder("sh", "-c", command).stdin(Redirect.NULL)
                .stdout(Redirect.PIPE).stderr(Redirect.PIPE)
                .newProcessGroup(true).terminationGrace(Duration.ofSeconds(2)).start()) {
            // both pipes to their end first: a shell's background children may still hold them
            TaskGroup.gather(() -> pump(p.stdout(), out), () -> pump(p.stderr(), err));
            status = p.waitFor();
            state = State.DONE;
        } catch (CancelledError e) {
            state = State.CANCELLED; // closing the Subprocess above has stopped it
            throw e;
        } catch (Exception e) {
            error = e.getMessage();
            state = State.DONE;
        } finally {
            ended = Xiio.nanoTime();
        }
    }

    private Void pump(ByteStream from, LinePrinter to) throws IOException {
        StreamReader in = new StreamReader(from);
        String prefix = "[" + number + "] ";
        for (String line; (line = nextLine(in)) != null; ) to.print(prefix + line);
        return null;
    }

    /** The next line; a line longer than 64 KiB comes in 64 KiB pieces (memory stays bounded). */
    private static String nextLine(StreamReader in) throws IOException {
        try {
            return in.readLine(MAX_LINE);
        } catch (LimitExceededException tooLong) {
            byte[] piece = new byte[MAX_LINE];
            int n = in.read(piece, 0, piece.length);
            return new String(piece, 0, n, StandardCharsets.UTF_8);
        }
    }
}
