package xiio.tls;

import java.io.IOException;
import xiio.core.Promise;
import xiio.core.Xiio;

/**
 * A re-armable broadcast: {@link #signal()} wakes every coroutine waiting in
 * {@link #awaitChange()}, and the next wait waits for the next signal. What the
 * coroutines of one {@link TlsStream} wait on for each other: a {@link TurnLock} was
 * released, or the stream's state changed (it failed or closed).
 */
final class Broadcast {
    private Promise<Void> changed;

    /**
     * Waits until the next {@link #signal()}. Cancel-safe: waiting has no effect. The
     * promise is made only when someone waits, so the streaming path allocates nothing.
     */
    void awaitChange() throws IOException {
        Promise<Void> p = changed;
        if (p == null) changed = p = new Promise<>();
        Xiio.await(p.condition());
    }

    /** Wakes every coroutine in {@link #awaitChange()}. */
    void signal() {
        Promise<Void> p = changed;
        if (p != null) {
            changed = null;
            p.complete(null);
        }
    }
}
