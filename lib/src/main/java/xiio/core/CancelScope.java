package xiio.core;

import java.time.Duration;
import java.util.Objects;

/**
 * A region of one coroutine's code that can be cancelled as a unit, explicitly or
 * when a deadline passes. Scopes nest; timeouts and task groups are built on them.
 *
 * <p>When a scope is cancelled, one {@link CancelledError} naming the scope is raised
 * at the current (or next) suspension point inside it. The scope absorbs that
 * error when it reaches the scope's end, so {@link #open} returns {@code null}; any
 * other error, including a cancellation of an enclosing scope, passes through
 * untouched: a scope never swallows a cancellation that came from outside it.
 * After the delivery, cleanup code inside the scope may suspend freely; a new scope
 * opened during cleanup (for example a timeout on a goodbye message) works as usual.
 *
 * {@snippet :
 * String reply = Xiio.run(() -> CancelScope.open(Duration.ofMillis(100), scope -> {
 *     Xiio.sleep(Duration.ofDays(1));          // cancelled when the deadline passes
 *     return "never";
 * }));                                         // null: the scope's own cancellation ended it
 * }
 *
 * <h2>Shields</h2>
 * A scope opened with {@link #shielded} keeps cancellations of enclosing scopes (an
 * outer timeout, the task being cancelled, its group failing) out of its body: for
 * cleanup that must finish, such as a graceful close. A cancellation that arrives
 * meanwhile is not lost: it is raised at the first suspension point after the shield
 * ends. The shield's own deadline and {@link #cancel()} still work, and so do scopes
 * opened inside it; give a shield a deadline, or a peer that never answers holds it
 * open forever.
 *
 * {@snippet :
 * try {
 *     serve(conn);
 * } finally {                                  // runs also when the task is cancelled
 *     CancelScope.shielded(Duration.ofSeconds(2), s -> {
 *         conn.writeAll(GOODBYE, 0, GOODBYE.length);   // not cut short by an outer cancellation
 *         return null;
 *     });
 * }
 * }
 */
public final class CancelScope {
    /** The body of a scope; it receives the scope so it can cancel it. */
    @FunctionalInterface
    public interface Body<T> {
        /** Runs inside the scope. */
        T run(CancelScope scope) throws Exception;
    }

    final Coroutine<?> owner;
    /** The enclosing scope; the coroutine's own scope may be attached below later. */
    CancelScope outer;
    final long deadline;
    boolean cancelRequested;
    /** Its cancellation was delivered, or an enclosing one's was: it raises no more. */
    boolean spent;
    /** Cancellations of enclosing scopes wait until this scope ends. */
    final boolean shield;
    private boolean delivered;
    private boolean open = true;
    private Throwable cause;
    /** Completed at the owner's first suspension inside this scope; see {@link #completeOnSuspend}. */
    private Promise<Void> onSuspend;

    CancelScope(Coroutine<?> owner, CancelScope outer, long deadline) {
        this(owner, outer, deadline, false);
    }

    private CancelScope(Coroutine<?> owner, CancelScope outer, long deadline, boolean shield) {
        this.owner = owner;
        this.outer = outer;
        this.deadline = deadline;
        this.shield = shield;
    }

    /** Runs {@code body} in a new scope without a deadline; null if the scope's own cancellation ended it. */
    public static <T> T open(Body<T> body) throws Exception {
        return openUntil(Deadlines.NEVER, body);
    }

    /**
     * Runs {@code body} in a new scope that cancels itself after {@code timeout}
     * (a huge duration means no limit); null if the scope's own cancellation ended it.
     *
     * @throws IllegalArgumentException if {@code timeout} is negative
     */
    public static <T> T open(Duration timeout, Body<T> body) throws Exception {
        return openUntil(Deadlines.after(Xiio.nanoTime(), timeout), body);
    }

    /** Like {@link #open(Duration, Body)} with an absolute deadline on the run's clock. */
    public static <T> T openUntil(long deadlineNanos, Body<T> body) throws Exception {
        return run(deadlineNanos, false, body, "CancelScope.open");
    }

    /**
     * Runs {@code body} in a new scope shielded from the cancellation of every enclosing
     * scope, and cancelled itself after {@code timeout}; null if its own cancellation
     * ended it. An outer cancellation that came meanwhile is raised at the first
     * suspension point after the shield. The limit is required: a shield without one
     * can hold a cancelled task open forever (pass a huge duration to mean none).
     *
     * @throws IllegalArgumentException if {@code timeout} is negative
     * @throws NullPointerException if {@code timeout} is null
     */
    public static <T> T shielded(Duration timeout, Body<T> body) throws Exception {
        Objects.requireNonNull(timeout, "timeout: a shield needs a limit of its own (a huge duration means none)");
        return shieldedUntil(Deadlines.after(Xiio.nanoTime(), timeout), body);
    }

    /** Like {@link #shielded(Duration, Body)} with an absolute deadline on the run's clock. */
    public static <T> T shieldedUntil(long deadlineNanos, Body<T> body) throws Exception {
        return run(deadlineNanos, true, body, "CancelScope.shielded");
    }

    private static <T> T run(long deadlineNanos, boolean shield, Body<T> body, String what) throws Exception {
        Objects.requireNonNull(body, "body");
        Coroutine<?> c = Coroutine.current(what);
        CancelScope scope = new CancelScope(c, c.innermost, deadlineNanos, shield);
        c.innermost = scope;
        try {
            return body.run(scope);
        } catch (CancelledError e) {
            if (e.scope() == scope) return null;
            throw e;
        } finally {
            c.innermost = scope.outer;
            scope.open = false;
            if (scope.onSuspend != null) { // it never suspended: the promise stays as it is
                scope.onSuspend = null;
                c.suspendHooks--;
            }
            // a cancellation held back by the shield is delivered at the next suspension point
            if (shield) c.cancelHint = true;
        }
    }

    /**
     * Requests cancellation of this scope: its coroutine gets a
     * {@link CancelledError} at its current or next suspension point inside it.
     * May be called from any coroutine of the same run; no effect once the scope
     * has ended or its cancellation was delivered.
     */
    public void cancel() {
        cancel(null);
    }

    void cancel(Throwable cause) {
        if (!open || cancelRequested) return;
        cancelRequested = true;
        this.cause = cause;
        if (spent) return;
        if (owner.shieldedFrom(this)) owner.cancelHint = true;   // delivered once the shield ends
        else owner.wakeForCancel();
    }

    /**
     * Completes {@code promise} (with null) when this scope's coroutine next suspends
     * while the scope is open, just before it does; never, if the scope ends first.
     * For work that is worth starting only if the code in the scope really waits: an
     * HTTP server watches a connection for a client that leaves only while a handler
     * waits, and a handler that answers without suspending costs the watcher nothing.
     * Called from another coroutine of the run, it completes the promise at once: the
     * scope's coroutine is suspended then (one coroutine of a run runs at a time).
     * One promise per scope at a time; the same promise again is no change.
     *
     * @param promise what to complete; already done, nothing happens
     * @throws IllegalStateException if the scope has ended, or holds another promise
     */
    public void completeOnSuspend(Promise<Void> promise) {
        Objects.requireNonNull(promise, "promise");
        if (!open) throw new IllegalStateException("the cancel scope has ended: its coroutine will not suspend in it again");
        if (onSuspend == promise || promise.isDone()) return;
        if (onSuspend != null) throw new IllegalStateException("the cancel scope already completes another promise when it suspends");
        if (Coroutine.currentOrNull() != owner) {
            promise.tryComplete(null);
            return;
        }
        onSuspend = promise;
        owner.suspendHooks++;
    }

    /** The owner suspends: complete the promise of {@link #completeOnSuspend}, if any. */
    void takeSuspendHook() {
        Promise<Void> p = onSuspend;
        if (p == null) return;
        onSuspend = null;
        owner.suspendHooks--;
        p.tryComplete(null);
    }

    /** Whether this scope holds back the cancellation of enclosing scopes. */
    public boolean isShielded() {
        return shield;
    }

    /** Whether cancellation was requested or the deadline has passed. */
    public boolean isCancelled() {
        return cancelRequested || deadline != Deadlines.NEVER && deadline <= owner.engine.now();
    }

    /** Whether this scope's own cancellation was raised inside it. */
    public boolean wasDelivered() {
        return delivered;
    }

    /** The deadline on the run's clock, or {@link Long#MAX_VALUE} for none. */
    public long deadline() {
        return deadline;
    }

    /** Marks this scope and every scope inside it as spent and returns the error to raise. */
    CancelledError deliver() {
        for (CancelScope s = owner.innermost; s != null; s = s.outer) {
            s.spent = true;
            if (s == this) break;
        }
        delivered = true;
        return newError();
    }

    CancelledError newError() {
        return new CancelledError(this, cancelRequested, cause);
    }

    /** What a {@link CancelledError} of this scope says: which scope, and why. */
    String describe(boolean requested) {
        String what = requested ? "cancelled" : "deadline passed";
        String where = this == owner.rootScope ? "coroutine '" + owner.name() + "'" : "cancel scope";
        return where + " " + what;
    }

    /** The cause given to the cancellation, for example the interrupt of the driving thread. */
    Throwable cause() {
        return cause;
    }
}
