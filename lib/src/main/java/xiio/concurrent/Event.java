package xiio.concurrent;

import java.io.IOException;
import xiio.core.Condition;
import xiio.core.Promise;
import xiio.core.Xiio;

/**
 * A flag that coroutines can wait for: {@link #await()} returns once the event is
 * {@link #set()}, at once if it already is. Every waiter wakes, not just one.
 *
 * {@snippet :
 * Event ready = new Event();
 * TaskGroup.scope(group -> {
 *     group.spawn(() -> { ready.await(); return serve(); });
 *     loadConfiguration();
 *     ready.set();                          // the server task starts serving
 *     return null;
 * });
 * }
 *
 * <p>{@link #clear()} makes it unset again for later waiters; a coroutine that was
 * already woken by the {@code set()} still returns, even if {@code clear()} came
 * before it ran. Nothing is handed over, so cancellation never loses anything.
 * Not thread-safe: use it from the coroutines of one run.
 */
public final class Event {
    private Promise<Void> flag = new Promise<>();

    /** An unset event. */
    public Event() {}

    /** Sets the event and wakes every waiter; no effect if it is set. */
    public void set() {
        flag.tryComplete(null);
    }

    /** Unsets the event; no effect if it is not set. */
    public void clear() {
        if (flag.isDone()) flag = new Promise<>();
    }

    /** Whether it is set. */
    public boolean isSet() {
        return flag.isDone();
    }

    /**
     * Suspends until the event is set; returns at once if it is.
     *
     * @throws xiio.core.CancelledError if cancelled while waiting
     */
    public void await() {
        if (flag.isDone()) return;
        try {
            Xiio.await(flag.condition());
        } catch (IOException impossible) {
            throw new IllegalStateException("waiting on a promise failed", impossible);
        }
    }

    /** The condition "this event is set (as of now)", to combine with others in one {@link Xiio#await}. */
    public Condition condition() {
        return flag.condition();
    }

    @Override
    public String toString() {
        return "Event[" + (isSet() ? "set" : "unset") + "]";
    }
}
