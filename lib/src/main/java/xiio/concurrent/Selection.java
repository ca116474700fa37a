package xiio.concurrent;

import java.io.IOException;
import xiio.core.Promise;
import xiio.core.Xiio;

/**
 * The one decision of a coroutine waiting on memory channels: a plain send or receive
 * (one offer), or a {@link Select} (an offer per channel case). Whoever commits an
 * offer first <em>chooses</em> the selection, which makes every other offer of it
 * dead; a selection given up (cancelled, or woken by something else) can no longer be
 * chosen. Everything runs on the loop's thread, so "first" needs no atomics.
 */
final class Selection {
    static final int VALUE = 0, CLOSED = 1, BROKEN = 2, END = 3;

    /** Done once chosen: what the waiting coroutine awaits (as a hand-off). */
    final Promise<Void> chosen = new Promise<>();
    private boolean decided;
    /** Which case was chosen. */
    int caseIndex = -1;
    /** The item handed over, for a receive. */
    Object value;
    /** How the chosen case ended: {@link #VALUE}, {@link #CLOSED}, {@link #BROKEN} or {@link #END}. */
    int outcome;

    /** Chooses case {@code index} if nothing was chosen and the selection was not given up. */
    boolean choose(int index, Object value, int outcome) {
        if (decided) return false;
        decided = true;
        this.caseIndex = index;
        this.value = value;
        this.outcome = outcome;
        chosen.complete(null);
        return true;
    }

    /** Nothing may choose it any more (its coroutine was cancelled or woken otherwise). */
    void giveUp() {
        decided = true;
    }

    boolean isLive() {
        return !decided;
    }

    boolean wasChosen() {
        return caseIndex >= 0;
    }

    /** Awaits being chosen, as a hand-off: once chosen, a cancellation that came meanwhile waits. */
    void awaitChosen() {
        try {
            Xiio.awaitHandOff(chosen.condition(), chosen);
        } catch (IOException impossible) {
            // only fd conditions fail with an IOException; a promise's never does
            throw new IllegalStateException("waiting on a promise failed", impossible);
        }
    }
}
