package xiio.signal;

/**
 * Thrown by {@link Signals#runCancellable} and {@link Signals#cancelOnInterrupt} when
 * SIGINT or SIGTERM cancelled the body: the body's cleanup has run, and the program
 * should now end with {@link #exitStatus()} (130 after Ctrl-C, 143 after SIGTERM),
 * the status a shell expects from a program that a signal stopped.
 * {@link Signals#runMain} does exactly that.
 */
public final class SignalExitException extends Exception {
    private static final long serialVersionUID = 1L;
    private final transient Signal signal;

    /** For {@code signal}, which cancelled the body. */
    public SignalExitException(Signal signal) {
        super("cancelled by " + signal + "; exit with status " + signal.exitStatus());
        this.signal = signal;
    }

    /** The signal that cancelled the body. */
    public Signal signal() {
        return signal;
    }

    /** {@code 128 + signal().number()}: 130 for SIGINT, 143 for SIGTERM. */
    public int exitStatus() {
        return signal.exitStatus();
    }
}
