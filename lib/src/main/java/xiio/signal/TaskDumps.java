package xiio.signal;

import java.io.PrintStream;
import java.util.Objects;
import xiio.concurrent.Task;
import xiio.concurrent.TaskGroup;
import xiio.core.Suspendable;
import xiio.core.TaskDump;

/**
 * Task dumps on a signal: while the body runs, each arrival of the signal prints the
 * live task tree of the run ({@link TaskDump#current()}) with every coroutine's
 * suspension point, like {@code jstack} does for threads.
 *
 * <p>SIGQUIT is the JVM's own (its thread dump) and SIGUSR2 is HotSpot's, so the
 * conventional choice is <b>SIGUSR1</b>: {@code kill -USR1 <pid>}. The examples of
 * {@code ./xiio} enable it with {@code -Dxiio.taskDumpSignal=SIGUSR1} (see
 * {@link Signals#runCancellable}).
 *
 * {@snippet :
 * Xiio.run(() -> TaskDumps.on(Signal.SIGUSR1, System.err, () -> server.serveForever()));
 * }
 */
public final class TaskDumps {
    private TaskDumps() {}

    /** The property that makes {@link Signals#runCancellable} dump tasks on a signal. */
    public static final String PROPERTY = "xiio.taskDumpSignal";

    /**
     * Runs {@code body}; every {@code signal} meanwhile prints the task tree to {@code out}.
     *
     * @throws IllegalArgumentException if the signal is reserved (see {@link Signal#reservedBecause()})
     */
    public static <T> T on(Signal signal, PrintStream out, Suspendable<T> body) throws Exception {
        Objects.requireNonNull(out, "out");
        Objects.requireNonNull(body, "body");
        try (SignalSubscription arrivals = Signals.subscribe(signal)) {
            return TaskGroup.scope(group -> {
                Task<Void> dumper = group.spawn("task dumps on " + signal, () -> {
                    while (true) {
                        arrivals.receive();
                        out.print("xiio task dump (" + signal + "):\n" + TaskDump.current());
                        out.flush();
                    }
                });
                try {
                    return body.call();
                } finally {
                    dumper.cancel(); // the body has ended: the dumper must not keep the group open
                }
            });
        }
    }

    /** The signal named by {@link #PROPERTY} (e.g. {@code SIGUSR1} or {@code USR1}), or null. */
    static Signal fromProperty() {
        String name = System.getProperty(PROPERTY);
        if (name == null || name.isBlank()) return null;
        String n = name.trim().toUpperCase();
        try {
            return Signal.valueOf(n.startsWith("SIG") ? n : "SIG" + n);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("-D" + PROPERTY + "=" + name + " names no signal; use e.g. SIGUSR1");
        }
    }
}
