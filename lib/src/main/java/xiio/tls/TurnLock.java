package xiio.tls;

import java.io.IOException;

/**
 * A turn lock: a non-reentrant lock held by one coroutine, whose waiters wait on a
 * {@link Broadcast} they share with other locks and state changes. One per job on a
 * {@link TlsStream} that one coroutine does at a time: reading, flushing,
 * writing, handshaking or running delegated tasks. The others wait on the stream's
 * {@link Broadcast}, which every release fires. Used like a lock:
 * {@code role.take(); try { ... } finally { role.release(); }}.
 */
final class TurnLock {
    private final Broadcast signal;
    private boolean held;

    TurnLock(Broadcast signal) {
        this.signal = signal;
    }

    boolean isHeld() {
        return held;
    }

    /** Waits until no coroutine holds the role, then takes it. */
    void take() throws IOException {
        while (held) signal.awaitChange();
        held = true;
    }

    /**
     * Takes the role if it is free; otherwise waits for the next change and returns
     * false, so that the caller looks at the state again (maybe what it wanted was
     * done meanwhile) before it tries again.
     */
    boolean takeOrAwait() throws IOException {
        if (held) {
            signal.awaitChange();
            return false;
        }
        held = true;
        return true;
    }

    /** Gives the role up and wakes every coroutine waiting for a change. */
    void release() {
        held = false;
        signal.signal();
    }
}
