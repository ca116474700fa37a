package xiio.process;

import xiio.unix.sys.Constants;
import xiio.unix.sys.ProcessSyscalls;

/**
 * How a process ended: it exited with a code, or a signal killed it.
 *
 * {@snippet :
 * ExitStatus status = process.waitFor();
 * if (!status.success()) System.err.println("make " + status);   // "make exited with code 2"
 * }
 *
 * @param code       the exit code (0 to 255) if it exited, or -1 if a signal killed it
 * @param signal     the signal that killed it, or 0 if it exited
 * @param coreDumped whether the kernel wrote a core dump when the signal killed it
 */
public record ExitStatus(int code, int signal, boolean coreDumped) {

    /** Validates the combination. */
    public ExitStatus {
        if (signal == 0 && (code < 0 || code > 255)) {
            throw new IllegalArgumentException("exit code must be 0..255 when no signal killed the process, got " + code);
        }
        if (signal != 0 && code != -1) {
            throw new IllegalArgumentException("a process killed by signal " + signal + " has no exit code; pass -1");
        }
        if (signal < 0) throw new IllegalArgumentException("signal must not be negative, got " + signal);
    }

    /** A process that called exit({@code code}). */
    public static ExitStatus exited(int code) {
        return new ExitStatus(code, 0, false);
    }

    /** A process that {@code signal} killed. */
    public static ExitStatus killed(int signal, boolean coreDumped) {
        return new ExitStatus(-1, signal, coreDumped);
    }

    /** Decodes the siginfo of waitid: CLD_EXITED, CLD_KILLED or CLD_DUMPED, and si_status. */
    static ExitStatus fromWaitid(long result) {
        int how = ProcessSyscalls.siCode(result);
        int status = ProcessSyscalls.siStatus(result);
        return how == Constants.CLD_EXITED ? exited(status & 0xff) : killed(status, how == Constants.CLD_DUMPED);
    }

    /** Whether it exited with code 0. */
    public boolean success() {
        return signal == 0 && code == 0;
    }

    /** Whether a signal killed it. */
    public boolean killedBySignal() {
        return signal != 0;
    }

    /**
     * The shell's view of the status, {@code $?}: the exit code, or 128 + the signal.
     */
    public int shellCode() {
        return signal == 0 ? code : 128 + signal;
    }

    /** {@code "exited with code 3"} or {@code "killed by SIGKILL"} (plus {@code " (core dumped)"}). */
    @Override
    public String toString() {
        if (signal == 0) return "exited with code " + code;
        return "killed by " + ProcessSyscalls.signalName(signal) + (coreDumped ? " (core dumped)" : "");
    }
}
