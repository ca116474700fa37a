package xiio.bench;

import java.io.IOException;
import xiio.signal.Signal;

/** Sends a signal to a child process while it runs; one that already exited needs none. */
public final class ChildSignals {
    private ChildSignals() {}

    public static void kill(Process child, Signal signal) {
        if (!child.isAlive()) return;
        try {
            xiio.signal.Signals.send(child.pid(), signal);
        } catch (IOException exitedMeanwhile) {
            // ESRCH: it ended between the check and the kill
        }
    }
}
