package xiio.signal;

import java.util.EnumSet;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import xiio.concurrent.Task;
import xiio.concurrent.TaskGroup;
import xiio.core.CancelScope;
import xiio.core.Suspendable;
import xiio.core.Xiio;
import xiio.unix.ErrnoException;
import xiio.unix.sys.SignalSyscalls;

/**
 * Subscribing to signals, sending them, and running a program that Ctrl-C cancels
 * cleanly.
 *
 * {@snippet :
 * public static void main(String[] args) throws Exception {
 *     Signals.runMain(() -> {                     // Ctrl-C or SIGTERM cancels the body; cleanup runs
 *         try (TcpListener listener = TcpListener.bind(new InetSocketAddress("127.0.0.1", 0))) {
 *             System.out.println("listening on " + listener.localAddress());
 *             while (true) listener.accept().close();
 *         } finally {
 *             System.out.println("bye");          // then the JVM exits with 130 (143 after SIGTERM)
 *         }
 *     });
 * }
 * }
 *
 * <p>Signals as a stream, here a reload on SIGHUP:
 * {@snippet :
 * Xiio.run(() -> {
 *     try (SignalSubscription hangups = Signals.subscribe(Signal.SIGHUP)) {
 *         for (Signal s : hangups) System.out.println("reloading after " + s);   // suspends between signals
 *     }
 *     return null;
 * });
 * }
 *
 * <p>The guide's chapter on signals ({@code docs/guide-signals.md}) runs these as tests.
 *
 * <p>How a signal reaches a coroutine, and which signals are off limits, is
 * explained in the package documentation and {@link Signal#reservedBecause()}.
 */
public final class Signals {
    private Signals() {}

    /**
     * Starts receiving {@code first} and {@code more}; see {@link SignalSubscription}.
     * May be called outside a run; receiving needs one.
     *
     * @throws IllegalArgumentException if a signal is reserved by the JVM or the OS
     *                                  (the message names it and why), or the JVM refuses it
     * @throws IllegalStateException if the process ignores SIGHUP, SIGINT or SIGTERM
     *                               (nohup, background jobs), which the JVM keeps ignored
     * @throws ErrnoException if no eventfd can be created
     */
    public static SignalSubscription subscribe(Signal first, Signal... more) throws ErrnoException {
        EnumSet<Signal> set = EnumSet.of(Objects.requireNonNull(first, "first"));
        for (Signal s : more) set.add(Objects.requireNonNull(s, "more contains null"));
        return new SignalSubscription(set, false, null);
    }

    /** {@link #subscribe(Signal, Signal...)} for a set of signals (not empty). */
    public static SignalSubscription subscribe(Set<Signal> signals) throws ErrnoException {
        Objects.requireNonNull(signals, "signals");
        EnumSet<Signal> set = EnumSet.noneOf(Signal.class);
        for (Signal s : signals) set.add(Objects.requireNonNull(s, "signals contains null"));
        return new SignalSubscription(set, false, null);
    }

    /**
     * Sends {@code signal} to process {@code pid} (kill(2)).
     *
     * @throws IllegalArgumentException if {@code pid} is not positive (process groups are not supported)
     * @throws ErrnoException ESRCH if there is no such process, EPERM if not allowed
     */
    public static void send(long pid, Signal signal) throws ErrnoException {
        Objects.requireNonNull(signal, "signal");
        if (pid <= 0 || pid > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("pid must be a positive process id, got " + pid
                    + " (sending to process groups is not supported)");
        }
        int r = SignalSyscalls.get().kill((int) pid, signal.number());
        if (r < 0) throw new ErrnoException("kill(pid " + pid + ", " + signal + ")", -r);
    }

    /**
     * Runs {@code body} so that the first SIGINT or SIGTERM cancels it; must be called
     * inside a run.
     *
     * <ul>
     * <li>The signal cancels the body at its suspension point (a {@link CancelScope}),
     *     so its {@code finally} blocks and try-with-resources run, and may suspend.
     * <li>If the body was cancelled that way, this throws {@link SignalExitException}
     *     (even if the body swallowed the cancellation) once the body has unwound; a
     *     different failure of the body is thrown as itself.
     * <li>A second SIGINT or SIGTERM, while the body still cleans up (or the loop is
     *     stuck), ends the JVM at once with {@code 128 + signal}: {@code System.exit}
     *     from the JVM's signal-handler thread, as the JVM's default handler does, so
     *     shutdown hooks still run.
     * <li>A signal the process ignores (SIGINT of a background job) or the JVM keeps
     *     ({@code -Xrs}) is left alone; the body then runs as if this were not there.
     * </ul>
     * The previous handlers are back in place when this returns.
     */
    public static <T> T cancelOnInterrupt(Suspendable<T> body) throws Exception {
        Objects.requireNonNull(body, "body");
        AtomicInteger arrivals = new AtomicInteger();
        Consumer<Signal> secondExits = s -> {
            if (arrivals.incrementAndGet() == 2) exitAtOnce(s);
        };
        try (SignalSubscription interrupts = new SignalSubscription(EnumSet.of(Signal.SIGINT, Signal.SIGTERM), true, secondExits)) {
            Signal[] first = new Signal[1];
            CancelScope[] scope = new CancelScope[1];
            T result = TaskGroup.scope(group -> CancelScope.open(s -> {
                scope[0] = s;
                Task<Void> watcher = group.spawn("signal watcher", () -> {
                    if (interrupts.signals().isEmpty()) return null;
                    first[0] = interrupts.receive();
                    s.cancel();
                    return null;
                });
                try {
                    return body.call();
                } finally {
                    watcher.cancel();   // the body has ended: the watcher must not outlive it
                }
            }));
            if (first[0] != null && scope[0].wasDelivered()) throw new SignalExitException(first[0]);
            return result;
        }
    }

    /**
     * {@link Xiio#run} of {@code main} inside {@link #cancelOnInterrupt}: returns
     * main's result, or throws {@link SignalExitException} after a signal cancelled it
     * (map it to the exit status, or use {@link #runMain}). With
     * {@code -Dxiio.taskDumpSignal=SIGUSR1} that signal prints task dumps meanwhile
     * (see {@link TaskDumps}).
     */
    public static <T> T runCancellable(Suspendable<T> main) throws Exception {
        Objects.requireNonNull(main, "main");
        Signal dumpSignal = TaskDumps.fromProperty();
        if (dumpSignal == null) return Xiio.run(() -> cancelOnInterrupt(main));
        return Xiio.run(() -> cancelOnInterrupt(() -> TaskDumps.on(dumpSignal, System.err, main)));
    }

    /**
     * For {@code public static void main}: {@link #runCancellable} of {@code main}, then,
     * if a signal cancelled it, {@code System.exit(130)} after SIGINT or 143 after
     * SIGTERM. Returns normally when main returned; main's failures are thrown as
     * themselves (the JVM then prints them and exits with 1).
     */
    public static void runMain(Suspendable<?> main) throws Exception {
        try {
            runCancellable(main);
        } catch (SignalExitException e) {
            System.exit(e.exitStatus());
        }
    }

    private static void exitAtOnce(Signal second) {
        System.err.println("xiio: " + second + " again; exiting without waiting for cleanup");
        System.exit(second.exitStatus());
    }
}
