package xiio.core;

/**
 * One coroutine's current wait, as the engine sees it. Each coroutine owns exactly
 * one waiter and reuses it for every suspension, so waiting allocates nothing.
 *
 * <p>Life cycle: {@link #arm} registers the condition's parts (fd interest, the
 * deadline in the timer heap, promise listeners); the first part to become true
 * {@link #fire fires} the waiter, which unregisters every part and reports to its
 * parent {@link WaitSet} (or, for the main coroutine, to the engine).
 */
final class Waiter {
    private static final byte IDLE = 0, ARMED = 1, FIRED = 2;

    final Coroutine<?> owner;
    Condition condition;
    /** A deadline awaited without a condition object (sleep); NEVER otherwise. */
    long ownDeadline = Deadlines.NEVER;
    WaitSet parent;
    long deadline = Deadlines.NEVER;
    int heapIndex = -1;
    private byte state = IDLE;
    /** Thrown at the suspension point instead of returning, e.g. a failed epoll_ctl. */
    Throwable error;

    Waiter(Coroutine<?> owner) {
        this.owner = owner;
    }

    /** Whether the wait is over (fulfilled, cancelled or failed) and the owner may run. */
    boolean isFired() {
        return state == FIRED;
    }

    boolean isIdle() {
        return state == IDLE;
    }

    boolean isArmed() {
        return state == ARMED;
    }

    /** Registers the wait with {@code engine}; fires at once if already fulfilled. */
    void arm(Engine engine) {
        this.state = ARMED;
        if (owner.cancelPending()) {
            fire();
            return;
        }
        Condition c = condition;
        long due = Math.min(owner.scopeDeadline(), c == null ? ownDeadline : c.earliestDeadline());
        if (due != Deadlines.NEVER && due <= engine.now()) {
            fire();
            return;
        }
        if (c != null) {
            try {
                c.arm(engine, this);
            } catch (RuntimeException misuse) {
                // e.g. a promise of another run: thrown at the suspension point, not into the loop
                fail(misuse);
                return;
            }
        }
        if (state == ARMED && due != Deadlines.NEVER) {
            deadline = due;
            engine.timers.add(this);
        }
    }

    /**
     * The wait is over: unregister every part and tell the parent. Idempotent. A
     * parent set whose own owner awaited it fires that owner's waiter in turn; the
     * climb is a loop, not a recursion, so any nesting depth fits on the stack.
     */
    void fire() {
        for (Waiter w = this; w != null && w.state == ARMED; ) {
            w.state = FIRED;
            Engine engine = w.owner.engine;
            if (w.condition != null) w.condition.disarm(engine, w);
            if (w.heapIndex >= 0) engine.timers.remove(w);
            if (w.parent != null) {
                w = w.parent.memberFired(w);
            } else {
                engine.rootFired = true;
                w = null;
            }
        }
    }

    /** Fires with an error to throw at the suspension point. */
    void fail(Throwable t) {
        if (state != ARMED) return;
        if (error == null) error = t;
        fire();
    }

    /** Back to idle once the owner runs again. */
    void reset() {
        state = IDLE;
        condition = null;
        deadline = Deadlines.NEVER;
    }
}
