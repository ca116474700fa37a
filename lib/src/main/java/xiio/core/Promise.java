package xiio.core;

import java.util.Objects;

/**
 * A value that arrives later, within one run: completed or failed exactly once,
 * awaited by any number of coroutines. Not thread-safe: complete it from the run's
 * coroutines (other threads use {@code xiio.thread} bridges, which wake the loop
 * through an fd).
 *
 * {@snippet :
 * Promise<String> answer = new Promise<>();
 * TaskGroup.scope(group -> {
 *     group.spawn(() -> { Xiio.sleep(Duration.ofMillis(5)); answer.complete("42"); return null; });
 *     return answer.await();            // "42"
 * });
 * }
 *
 * @param <T> the value's type
 */
public final class Promise<T> {
    private boolean done;
    private T value;
    private Throwable failure;
    private final WaiterList waiters = new WaiterList();
    private Engine engine;
    private Condition doneCondition;

    /** A pending promise. */
    public Promise() {}

    /**
     * Completes with {@code value} and wakes every waiter.
     *
     * @throws IllegalStateException if already done
     */
    public void complete(T value) {
        if (!tryComplete(value)) throw alreadyDone();
    }

    /**
     * Fails with {@code failure}, which every awaiter will throw.
     *
     * @throws IllegalStateException if already done
     */
    public void fail(Throwable failure) {
        if (!tryFail(failure)) throw alreadyDone();
    }

    /** Completes unless already done; returns whether it did. */
    public boolean tryComplete(T value) {
        if (done) return false;
        this.value = value;
        finish();
        return true;
    }

    /** Fails unless already done; returns whether it did. */
    public boolean tryFail(Throwable failure) {
        Objects.requireNonNull(failure, "failure");
        if (done) return false;
        this.failure = failure;
        finish();
        return true;
    }

    /** Whether it was completed or failed. */
    public boolean isDone() {
        return done;
    }

    /**
     * Suspends until done, then returns the value or throws the failure as itself.
     */
    public T await() throws Exception {
        if (!done) Xiio.await(condition());
        return get();
    }

    /**
     * The value of a done promise.
     *
     * @throws IllegalStateException if not done yet
     */
    public T get() throws Exception {
        if (!done) throw new IllegalStateException("promise is not done yet; await() it");
        if (failure != null) throw Xiio.sneaky(failure);
        return value;
    }

    /** The failure of a failed promise, or null. */
    public Throwable failure() {
        return failure;
    }

    /** The condition "this promise is done" (the same object every time). */
    public Condition condition() {
        Condition c = doneCondition;
        if (c == null) doneCondition = c = new Condition.Done(this);
        return c;
    }

    private IllegalStateException alreadyDone() {
        return new IllegalStateException("promise is already " + (failure != null ? "failed" : "completed")
                + "; a promise completes once (use tryComplete to race)");
    }

    private void finish() {
        done = true;
        // fire() removes the waiter from this list, so take them from the end
        while (waiters.size() > 0) waiters.last().fire();
    }

    void addWaiter(Engine engine, Waiter w, int part) {
        if (this.engine == null) this.engine = engine;
        else if (this.engine != engine) {
            throw new IllegalStateException("this promise belongs to another Xiio.run; promises do not cross runs"
                    + " (use xiio.thread bridges between loops)");
        }
        if (done) {
            w.fire();
            return;
        }
        waiters.add(w, part);
    }

    void removeWaiter(Waiter w, int part) {
        waiters.remove(w, part);
    }

    @Override
    public String toString() {
        return "Promise[" + (!done ? "pending" : failure != null ? "failed: " + failure : "completed") + "]";
    }
}
