package xiio.process;

import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * A process that ran to completion, with what it wrote to the pipes it was given.
 * Streams that were not {@link Redirect#PIPE} captured nothing: their array is
 * empty.
 *
 * {@snippet :
 * CompletedProcess p = Subprocess.run("git", "rev-parse", "HEAD");
 * String commit = p.check().stdoutText().strip();
 * }
 *
 * @param command the argv that was run
 * @param status  how it ended
 * @param stdout  what it wrote to stdout (empty unless stdout was a pipe)
 * @param stderr  what it wrote to stderr (empty unless stderr was a pipe)
 */
public record CompletedProcess(List<String> command, ExitStatus status, byte[] stdout, byte[] stderr) {
    /** The (empty) array of a stream that was not a pipe; {@link #check()} then says stderr was not captured. */
    static final byte[] NOT_CAPTURED = new byte[0];

    /** Copies the command; the arrays are taken as they are. */
    public CompletedProcess {
        command = List.copyOf(command);
    }

    /** stdout decoded as UTF-8. */
    public String stdoutText() {
        return new String(stdout, StandardCharsets.UTF_8);
    }

    /** stderr decoded as UTF-8. */
    public String stderrText() {
        return new String(stderr, StandardCharsets.UTF_8);
    }

    /**
     * Returns this if the process exited with code 0.
     *
     * @throws ProcessFailedException otherwise, naming the command, the status and the end of stderr
     */
    public CompletedProcess check() throws ProcessFailedException {
        if (!status.success()) {
            throw new ProcessFailedException(command, status, stderr == NOT_CAPTURED ? null : stderr);
        }
        return this;
    }

    @Override
    public String toString() {
        return "CompletedProcess[" + command + " " + status + ", " + stdout.length + " bytes of stdout, "
                + stderr.length + " bytes of stderr]";
    }
}
