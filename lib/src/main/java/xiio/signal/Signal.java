package xiio.signal;

import xiio.unix.sys.Constants;

/**
 * The standard Linux signals, with their numbers. Most of them can be
 * {@linkplain Signals#subscribe subscribed}; the ones the JVM or the kernel keeps
 * for itself are refused, and {@link #reservedBecause()} says why.
 *
 * {@snippet :
 * Signal s = Signal.of(15);              // SIGTERM
 * int status = s.exitStatus();           // 143, what a shell reports for a process it killed
 * }
 */
public enum Signal {
    SIGHUP(Constants.SIGHUP),
    SIGINT(Constants.SIGINT),
    SIGQUIT(Constants.SIGQUIT),
    SIGILL(Constants.SIGILL),
    SIGTRAP(Constants.SIGTRAP),
    SIGABRT(Constants.SIGABRT),
    SIGBUS(Constants.SIGBUS),
    SIGFPE(Constants.SIGFPE),
    SIGKILL(Constants.SIGKILL),
    SIGUSR1(Constants.SIGUSR1),
    SIGSEGV(Constants.SIGSEGV),
    SIGUSR2(Constants.SIGUSR2),
    SIGPIPE(Constants.SIGPIPE),
    SIGALRM(Constants.SIGALRM),
    SIGTERM(Constants.SIGTERM),
    SIGSTKFLT(Constants.SIGSTKFLT),
    SIGCHLD(Constants.SIGCHLD),
    SIGCONT(Constants.SIGCONT),
    SIGSTOP(Constants.SIGSTOP),
    SIGTSTP(Constants.SIGTSTP),
    SIGTTIN(Constants.SIGTTIN),
    SIGTTOU(Constants.SIGTTOU),
    SIGURG(Constants.SIGURG),
    SIGXCPU(Constants.SIGXCPU),
    SIGXFSZ(Constants.SIGXFSZ),
    SIGVTALRM(Constants.SIGVTALRM),
    SIGPROF(Constants.SIGPROF),
    SIGWINCH(Constants.SIGWINCH),
    SIGIO(Constants.SIGIO),
    SIGPWR(Constants.SIGPWR),
    SIGSYS(Constants.SIGSYS);

    private static final Signal[] BY_NUMBER = new Signal[32];

    static {
        for (Signal s : values()) BY_NUMBER[s.number] = s;
    }

    /**
     * HotSpot's thread suspend/resume signal: SIGUSR2 unless the JVM was started with
     * the environment variable {@code _JAVA_SR_SIGNUM} (then that number).
     */
    private static final int SUSPEND_RESUME = suspendResumeSignal();

    private final int number;

    Signal(int number) {
        this.number = number;
    }

    /** The signal's number on this platform, e.g. 2 for {@link #SIGINT}. */
    public int number() {
        return number;
    }

    /**
     * The exit status a shell reports for a process that this signal ended:
     * {@code 128 + number()}, e.g. 130 for SIGINT and 143 for SIGTERM.
     */
    public int exitStatus() {
        return 128 + number;
    }

    /**
     * The signal with this number.
     *
     * @throws IllegalArgumentException if it is not a standard signal (1 to 31)
     */
    public static Signal of(int number) {
        if (number < 1 || number >= BY_NUMBER.length || BY_NUMBER[number] == null) {
            throw new IllegalArgumentException("no standard signal has number " + number
                    + " (standard signals are 1 to 31; real-time signals are not supported)");
        }
        return BY_NUMBER[number];
    }

    /** The name the JVM's signal API uses: {@code "INT"} for {@link #SIGINT}. */
    String jvmName() {
        return name().substring(3);
    }

    /**
     * Why this signal cannot be subscribed to, or {@code null} if it can.
     *
     * <p>Found by trying {@code sun.misc.Signal.handle} for every signal on HotSpot
     * (JDK 25, Linux) and reading what HotSpot installs for itself:
     * <ul>
     * <li>the JVM refuses SIGQUIT (thread dumps), SIGILL, SIGFPE and SIGSEGV (its own
     *     fault handling: implicit null and division checks, stack banging), and
     *     SIGKILL and SIGSTOP (no process can catch them);
     * <li>the JVM <em>accepts</em>, but breaks if it loses, SIGBUS (it turns a fault on
     *     a truncated memory-mapped file into an {@code InternalError}), SIGUSR2 (its
     *     thread suspend/resume signal, see {@code _JAVA_SR_SIGNUM}) and SIGPROF (JFR's
     *     CPU-time sampler, JDK 25);
     * <li>SIGTRAP and SIGSYS arrive synchronously for the faulting instruction (a
     *     breakpoint, a seccomp-denied call): a handler that merely returns makes the
     *     thread fault again forever.
     * </ul>
     * SIGPIPE and SIGXFSZ are allowed: HotSpot installs a handler that ignores them,
     * and gets it back when the last subscription closes.
     */
    public String reservedBecause() {
        if (number == SUSPEND_RESUME) {
            return "the JVM uses it to suspend and resume threads (HotSpot's SR signal; move it with"
                    + " _JAVA_SR_SIGNUM if you need it)";
        }
        return switch (this) {
            case SIGQUIT -> "the JVM uses it to print thread dumps";
            case SIGILL, SIGFPE, SIGSEGV -> "the JVM handles these faults itself (null checks, stack overflow, traps)";
            case SIGBUS -> "the JVM uses it to turn faults on truncated memory-mapped files into InternalError";
            case SIGPROF -> "the JVM uses it for JFR's CPU-time sampler";
            case SIGTRAP, SIGSYS -> "it is raised synchronously by the faulting instruction; a handler that returns"
                    + " makes the thread fault again forever";
            case SIGKILL, SIGSTOP -> "no process can catch, block or ignore it";
            default -> null;
        };
    }

    private static int suspendResumeSignal() {
        String configured = System.getenv("_JAVA_SR_SIGNUM");
        if (configured != null) {
            try {
                return Integer.parseInt(configured.trim());
            } catch (NumberFormatException ignored) {
                // HotSpot ignores a malformed value too and keeps SIGUSR2
            }
        }
        return Constants.SIGUSR2;
    }
}
