package xiio.core;

/**
 * One coroutine's current wait, as the engine sees it. Each coroutine owns exactly
 * one waiter and reuses it for every suspension, so waiting allocates nothing.
 *
 * <p>Life cycle: {@link #arm} registers the condition's parts (fd interest, the
 * deadline in the timer heap, promise listeners); the first part to become true
 * {@link #fire fires} the waiter, which unregisters every part and reports to its
 * parent {@link WaitSet} (main's waiter has none: the loop sees it fired).
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
    /**
     * Numbers the parts of the condition that join a {@link WaiterList} (a promise, an
     * fd), in the order {@code arm} and {@code disarm} both walk them: reset before each.
     */
    int nextPart;
    /** Where part 0 sits in its list, and parts 1.. in {@link #moreSlots}; -1 when not listed. */
    private int slot0 = -1;
    private int[] moreSlots;

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

    /** Where part {@code part} of the condition sits in its {@link WaiterList}, or -1. */
    int slot(int part) {
        if (part == 0) return slot0;
        return moreSlots != null && part <= moreSlots.length ? moreSlots[part - 1] : -1;
    }

    void slot(int part, int index) {
        if (part == 0) {
            slot0 = index;
            return;
        }
        if (moreSlots == null || part > moreSlots.length) {
            int old = moreSlots == null ? 0 : moreSlots.length;
            moreSlots = java.util.Arrays.copyOf(moreSlots == null ? new int[0] : moreSlots, Math.max(part, 2 * old));
            java.util.Arrays.fill(moreSlots, old, moreSlots.length, -1);
        }
        moreSlots[part - 1] = index;
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
                nextPart = 0;
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
            if (w.condition != null) {
                w.nextPart = 0;
                w.condition.disarm(engine, w);
            }
            if (w.heapIndex >= 0) engine.timers.remove(w);
            // main's waiter has no parent: the loop sees it fired (Engine.waitFor)
            w = w.parent != null ? w.parent.memberFired(w) : null;
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
