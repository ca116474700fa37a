package xiio.core;

/**
 * The union of the waits of many coroutines, kept incrementally: the condition a
 * scheduler (a task group) awaits on behalf of its children.
 *
 * <p>Awaiting a wait set is fulfilled as soon as any member's own wait is; the
 * members whose waits were fulfilled are then handed out by {@link #next()} to be
 * resumed. Adding a member or resuming one costs O(1) plus arming its own wait,
 * and a wakeup touches only members that became ready, so a set of 100,000 idle
 * coroutines costs nothing per wakeup. Sets nest: a member may itself be awaiting a
 * wait set.
 *
 * <p>Members leave the set when they end. A new member is ready at once (it has not
 * started). Only the coroutine that created the set may await it.
 */
public final class WaitSet extends Condition {
    private final Engine engine;
    final Coroutine<?> owner;
    /** Links in the owner's list of non-empty sets, for task dumps. */
    WaitSet prevOwned, nextOwned;
    private Coroutine<?> head;
    private Coroutine<?> readyHead, readyTail;
    private Waiter listener;
    private int size;

    /**
     * A new, empty set owned by the current coroutine.
     *
     * @throws IllegalStateException outside {@link Xiio#run}
     */
    public WaitSet() {
        this.owner = Coroutine.current("new WaitSet()");
        this.engine = owner.engine;
    }

    /**
     * Makes {@code member} part of this set. A member that has not started is ready at
     * once; a suspended one joins with its current wait.
     *
     * @throws IllegalStateException if it belongs to a set already, belongs to another
     *                               run, or has ended
     */
    public void add(Coroutine<?> member) {
        if (member.set != null) throw new IllegalStateException(member + " already belongs to a WaitSet");
        if (member.engine != engine) throw new IllegalStateException(member + " belongs to another Xiio.run");
        if (member.isDone()) throw new IllegalStateException(member + " has already ended");
        if (size == 0) owner.ownSet(this);
        member.set = this;
        member.nextMember = head;
        if (head != null) head.prevMember = member;
        head = member;
        size++;
        member.waiter.parent = this;
        if (!member.isStarted()) {
            Waiter l = enqueue(member);
            if (l != null) l.fire();
        }
        else if (member.waitingFor() != null && member.waiter.isIdle()) member.waiter.arm(engine);
    }

    /**
     * The next member whose wait is fulfilled, to be resumed; null if none is ready, or
     * if the run is due to look at its fds and timers first (the fairness bound: after
     * at most 256 resumes, or 1 ms). Either way, await the set next: with members ready
     * it is fulfilled at once, after the run has polled.
     */
    public Coroutine<?> next() {
        Coroutine<?> c = readyHead;
        if (c == null) return null;
        // Only resumes that do work count; a scheduler passing a wakeup down to its own
        // members does not, or a descent through more than 64 nested groups could never
        // reach the bottom before the next poll.
        if (c.ownedSets == null ? engine.pollDue() : engine.isPollDue()) return null;
        if (SeededSchedule.ENABLED) return takeSeeded();
        readyHead = c.nextReady;
        if (readyHead == null) readyTail = null;
        c.nextReady = null;
        c.queued = false;
        return c;
    }

    /** {@link #next()} under {@code -Dxiio.scheduleSeed}: one of the first ready members, drawn from the run's seed. */
    private Coroutine<?> takeSeeded() {
        int count = 0;
        for (Coroutine<?> c = readyHead; c != null && count < SeededSchedule.REACH; c = c.nextReady) count++;
        int k = engine.schedule.pick(count);
        Coroutine<?> prev = null, c = readyHead;
        for (int i = 0; i < k; i++) {
            prev = c;
            c = c.nextReady;
        }
        if (prev == null) readyHead = c.nextReady;
        else prev.nextReady = c.nextReady;
        if (readyTail == c) readyTail = prev;
        c.nextReady = null;
        c.queued = false;
        return c;
    }

    /** Whether some member's wait is fulfilled (though {@link #next()} may wait for a poll first). */
    public boolean hasReady() {
        return readyHead != null;
    }

    /** How many members have not ended yet. */
    public int size() {
        return size;
    }

    /** Calls {@code action} for every member, newest first (for cancellation and task dumps). */
    public void forEachMember(java.util.function.Consumer<Coroutine<?>> action) {
        for (Coroutine<?> c = head, n; c != null; c = n) {
            n = c.nextMember;
            action.accept(c);
        }
    }

    void leave(Coroutine<?> member) {
        if (member.prevMember != null) member.prevMember.nextMember = member.nextMember;
        else head = member.nextMember;
        if (member.nextMember != null) member.nextMember.prevMember = member.prevMember;
        member.prevMember = member.nextMember = null;
        member.set = null;
        member.waiter.parent = null;
        size--;
        if (size == 0) owner.disownSet(this);
    }

    /** A member's wait was fulfilled; returns the set's own waiter, which must fire next, or null. */
    Waiter memberFired(Waiter w) {
        return enqueue(w.owner);
    }

    /** Queues {@code c} to be handed out; returns the waiter of the set's owner to fire, or null. */
    private Waiter enqueue(Coroutine<?> c) {
        if (c.queued) return null;
        c.queued = true;
        if (readyTail == null) readyHead = c;
        else readyTail.nextReady = c;
        readyTail = c;
        Waiter l = listener;
        listener = null;
        return l;
    }

    @Override
    void arm(Engine engine, Waiter waiter) {
        if (waiter.owner != owner) {
            throw new IllegalStateException("only the coroutine that created a WaitSet may await it");
        }
        if (readyHead != null) waiter.fire();
        else listener = waiter;
    }

    @Override
    void disarm(Engine engine, Waiter waiter) {
        if (listener == waiter) listener = null;
    }

    @Override
    public String toString() {
        return "WaitSet[" + size + " members]";
    }
}
