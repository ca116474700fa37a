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
    private static final int IDLE = 0, ARMED = 1, FIRED = 2;

    final Coroutine<?> owner;
    Condition condition;
    WaitSet parent;
    Engine engine;
    long deadline = Deadlines.NEVER;
    int heapIndex = -1;
    boolean fired;
    private int state = IDLE;
    /** Thrown at the suspension point instead of returning, e.g. a failed epoll_ctl. */
    Throwable error;

    Waiter(Coroutine<?> owner) {
        this.owner = owner;
    }

    boolean isArmed() {
        return state == ARMED;
    }

    /** Registers the wait with {@code engine}; fires at once if already fulfilled. */
    void arm(Engine engine) {
        this.engine = engine;
        this.state = ARMED;
        this.fired = false;
        if (owner.cancelPending()) {
            fire();
            return;
        }
        Condition c = condition;
        long due = Math.min(owner.scopeDeadline(), c == null ? Deadlines.NEVER : c.earliestDeadline());
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

    /** The wait is over: unregister every part and tell the parent. Idempotent. */
    void fire() {
        if (state != ARMED) return;
        state = FIRED;
        fired = true;
        if (condition != null) condition.disarm(engine, this);
        if (heapIndex >= 0) engine.timers.remove(this);
        if (parent != null) parent.memberFired(this);
        else engine.rootFired = true;
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
        fired = false;
        condition = null;
        deadline = Deadlines.NEVER;
    }
}
