package xiio.signal;

import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import sun.misc.SignalHandler;

/**
 * The process's signal dispositions as far as xiio is concerned: for each signal
 * with at least one subscription, the handler xiio installed through the JVM and the
 * one it replaced.
 *
 * <p>This is the one piece of process-wide state in the signal layer, and it cannot
 * be otherwise: a signal disposition belongs to the process, not to a run. It holds
 * nothing of any loop. The first subscription to a signal installs one handler that
 * fans the signal out to every subscription; the last one to close puts the previous
 * handler back, whatever the order in which subscriptions close (handlers that
 * chain to "the previous one" break as soon as subscriptions close out of order).
 *
 * <h2>Why the JVM's dispatch and an eventfd, not signalfd or sigaction</h2>
 * <ul>
 * <li>signalfd only sees signals that are blocked in <em>every</em> thread; the JVM
 *     starts threads we do not control (GC, JIT, the signal dispatcher, pools), any
 *     of which may leave the signal unblocked and take it, so signalfd is unreliable.
 * <li>sigaction with an FFM upcall would run Java code in signal context, on
 *     whatever thread the kernel picks, possibly in the middle of a GC or while it
 *     holds a malloc lock: not async-signal-safe. HotSpot also owns the handlers of
 *     several signals and chains to others (libjsig), which a raw sigaction bypasses.
 * <li>HotSpot's own path is async-signal-safe: its C handler only bumps a counter and
 *     posts a semaphore; the "Signal Dispatcher" thread then starts an ordinary Java
 *     thread ({@code "SIGINT handler"}) per signal, which runs our handler. That
 *     handler queues the signal and writes to each subscription's eventfd, which the
 *     loop waits on like any fd: the JVM's equivalent of Python's wakeup fd.
 * </ul>
 * Measured on this class of machine (2 busy cores, JDK 25, 250 SIGUSR1 to ourselves,
 * one at a time): from kill(2) to the waiting coroutine running, median 0.25 ms, p90
 * 1-2 ms, p99 15-30 ms, on both backends; the tail is the JVM starting a thread per
 * signal on a loaded machine. Signals are not a fast path; that is fine. A side
 * effect of the thread per signal: two different signals sent back to back may be
 * queued in either order.
 */
final class SignalDispatch {
    private SignalDispatch() {}

    /** One installed handler: who receives the signal and what to put back. */
    private static final class Installed implements SignalHandler {
        final Signal signal;
        final CopyOnWriteArrayList<SignalSubscription> subscribers = new CopyOnWriteArrayList<>();
        SignalHandler previous;

        Installed(Signal signal) {
            this.signal = signal;
        }

        /** Runs on the JVM's per-signal handler thread, never in signal context. */
        @Override
        public void handle(sun.misc.Signal ignored) {
            for (SignalSubscription s : subscribers) s.deliver(signal);
        }
    }

    // guarded by SignalDispatch.class
    private static final Map<Signal, Installed> INSTALLED = new EnumMap<>(Signal.class);

    /**
     * Adds {@code subscriber} to the receivers of {@code signal}, installing the
     * handler if it is the first.
     *
     * @throws IllegalArgumentException if the signal is reserved or the JVM refuses it
     * @throws IllegalStateException if the process ignores it and the JVM will not undo that
     */
    static synchronized void add(Signal signal, SignalSubscription subscriber) {
        Installed installed = INSTALLED.get(signal);
        if (installed == null) {
            String reserved = signal.reservedBecause();
            if (reserved != null) {
                throw new IllegalArgumentException("cannot subscribe to " + signal + ": " + reserved
                        + ". Reserved signals: " + reservedList());
            }
            installed = new Installed(signal);
            sun.misc.Signal jvmSignal = new sun.misc.Signal(signal.jvmName());
            try {
                installed.previous = sun.misc.Signal.handle(jvmSignal, installed);
            } catch (IllegalArgumentException refused) {
                throw new IllegalArgumentException("cannot subscribe to " + signal + ": the JVM refused it ("
                        + refused.getMessage() + "); started with -Xrs? That flag keeps SIGINT, SIGTERM and"
                        + " SIGHUP away from Java code", refused);
            }
            if (installed.previous == SignalHandler.SIG_IGN && isShutdownSignal(signal)) {
                // HotSpot leaves an ignored SIGHUP/SIGINT/SIGTERM ignored and installs nothing
                // (nohup, or a background job of a non-interactive shell, starts it ignored);
                // the Java-side registration it did make is undone by registering SIG_IGN.
                sun.misc.Signal.handle(jvmSignal, SignalHandler.SIG_IGN);
                throw new IllegalStateException("cannot subscribe to " + signal + ": this process ignores it"
                        + " (started under nohup, as a background job of a script, or set to SIG_IGN), and"
                        + " the JVM does not let Java code handle an ignored " + signal);
            }
            INSTALLED.put(signal, installed);
        }
        installed.subscribers.add(subscriber);
    }

    /** Removes {@code subscriber}; the last one out restores the previous handler. */
    static synchronized void remove(Signal signal, SignalSubscription subscriber) {
        Installed installed = INSTALLED.get(signal);
        if (installed == null || !installed.subscribers.remove(subscriber)) return;
        if (installed.subscribers.isEmpty()) {
            INSTALLED.remove(signal);
            sun.misc.Signal.handle(new sun.misc.Signal(signal.jvmName()), installed.previous);
        }
    }

    private static boolean isShutdownSignal(Signal s) {
        return s == Signal.SIGHUP || s == Signal.SIGINT || s == Signal.SIGTERM;
    }

    private static String reservedList() {
        StringBuilder b = new StringBuilder();
        for (Signal s : Signal.values()) {
            if (s.reservedBecause() != null) b.append(b.isEmpty() ? "" : ", ").append(s);
        }
        return b.toString();
    }
}
