package xiio.process;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * A process run with {@code check(true)} did not exit with code 0. The message names
 * the command, how it ended, and the end of what it wrote to stderr (when stderr was
 * captured), so a log line alone tells what went wrong.
 *
 * <p>An {@link IOException}, like Apache Commons Exec's {@code ExecuteException}:
 * code that runs tools usually handles "the tool failed" with its other I/O failures.
 */
public class ProcessFailedException extends IOException {
    private static final long serialVersionUID = 1L;
    /** How much of the end of stderr the message quotes. */
    static final int TAIL_BYTES = 2048;

    private final List<String> command;
    private final transient ExitStatus status;
    private final String stderrTail;

    /**
     * @param command the argv that was run
     * @param status  how it ended
     * @param stderr  what it wrote to stderr, or null if stderr was not captured
     */
    public ProcessFailedException(List<String> command, ExitStatus status, byte[] stderr) {
        this(command, status, tail(stderr));
    }

    private ProcessFailedException(List<String> command, ExitStatus status, String stderrTail) {
        super("command " + command + " " + status + (stderrTail == null ? " (stderr was not captured)"
                : stderrTail.isEmpty() ? " and wrote nothing to stderr" : "; stderr ends with:\n" + stderrTail));
        this.command = List.copyOf(command);
        this.status = status;
        this.stderrTail = stderrTail;
    }

    private static String tail(byte[] stderr) {
        if (stderr == null) return null;
        int from = Math.max(0, stderr.length - TAIL_BYTES);
        // start after a line break if there is one, so the quote does not begin mid-line
        for (int i = from; from > 0 && i < stderr.length; i++) {
            if (stderr[i] == '\n') {
                from = i + 1;
                break;
            }
        }
        return new String(stderr, from, stderr.length - from, StandardCharsets.UTF_8).strip();
    }

    /** The argv that was run. */
    public List<String> command() {
        return command;
    }

    /** How the process ended. */
    public ExitStatus status() {
        return status;
    }

    /** The last lines (at most 2 KiB) of its stderr, or null if stderr was not captured. */
    public String stderrTail() {
        return stderrTail;
    }
}
