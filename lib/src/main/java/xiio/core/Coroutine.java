package xiio.core;

import java.util.Objects;
import xiio.core.strand.Backends;
import xiio.core.strand.Strand;

/**
 * A resumable coroutine of the current run: the building block of task groups and
 * other schedulers written as ordinary library code. Application code uses
 * {@code xiio.concurrent.TaskGroup} instead.
 *
 * <p>{@link #resume()} runs the body until it suspends (awaits a {@link Condition})
 * or ends. A suspended coroutine is resumed only once its wait is fulfilled; a
 * {@link WaitSet} it belongs to hands it out when that happens.
 *
 * {@snippet :
 * WaitSet set = new WaitSet();
 * Coroutine<String> c = Coroutine.create("worker", () -> { Xiio.sleep(Duration.ofMillis(10)); return "done"; });
 * set.add(c);
 * while (!c.isDone()) {
 *     Xiio.await(set);                  // suspends until c's wait is fulfilled
 *     for (Coroutine<?> r; (r = set.next()) != null; ) r.resume();
 * }
 * }
 *
 * @param <T> what the body returns
 */
public final class Coroutine<T> {
    private static final int NEW = 0, RUNNING = 1, SUSPENDED = 2, DONE = 3;
    private static final xiio.core.strand.Backend BACKEND = Backends.get();
    /**
     * How deeply resumes may nest on one thread: on the continuation backend every
     * coroutine being resumed keeps its resumer's frames on the driving thread's stack
     * (a task group nested in a task of another group, and so on), so past some depth
     * the thread's stack overflows. Where a real overflow lands is chance: in the JDK's
     * own freeze of a continuation, in a waiter being armed, in a group's bookkeeping;
     * there it can leave the run waiting forever, or keep the thread busy in the JVM
     * for minutes (a freeze near the limit, interpreted). So the depth is bounded
     * before that: a resume that would nest deeper throws {@link StackOverflowError}
     * to its resumer, with the coroutine untouched. About 1,700 levels fit in the
     * default 1 MB stack interpreted (fewer with deep code in them), hence 500 by default;
     * {@code -Dxiio.maxNesting=N} sets it (for a bigger {@code -Xss}). The
     * virtual-thread backend gives each coroutine a stack of its own: no bound there.
     */
    static final int MAX_NESTING = BACKEND.needsVirtualDriver()
            ? Integer.MAX_VALUE
            : Math.max(2, Integer.getInteger("xiio.maxNesting", 500));

    final Engine engine;
    final Waiter waiter = new Waiter(this);
    /** The coroutine's own scope, created when first needed (most coroutines never need it). */
    CancelScope rootScope;
    /** The innermost open cancel scope, or null when there is none. */
    CancelScope innermost;
    /** Set when a cancellation was requested that is not delivered yet. */
    boolean cancelHint;
    /** How many open scopes of this coroutine hold a {@link CancelScope#completeOnSuspend} promise: 0 costs one test per suspension. */
    int suspendHooks;

    /** The non-empty wait sets this coroutine owns (its task groups), for task dumps. */
    WaitSet ownedSets;

    // WaitSet membership (an intrusive list, so joining and leaving allocate nothing)
    WaitSet set;
    Coroutine<?> prevMember, nextMember, nextReady;
    boolean queued;

    private final String name;
    private final Strand strand;
    private Suspendable<T> body;
    private final java.util.function.Consumer<? super Coroutine<T>> onEnd;
    private int state = NEW;
    private T result;
    private Throwable failure;
    private boolean cancelled;

    private Coroutine(Engine engine, String name, Suspendable<T> body, java.util.function.Consumer<? super Coroutine<T>> onEnd) {
        this.engine = engine;
        this.name = name;
        this.onEnd = onEnd;
        this.body = body;
        // a static entry point and the owner, rather than a lambda per coroutine: 24 bytes
        // less for each of a million sleeping tasks
        this.strand = Backends.get().create(this, name, Coroutine::enter);
    }

    /**
     * A new coroutine of the current run. It does not start until it is resumed.
     *
     * @throws IllegalStateException outside {@link Xiio#run}
     */
    public static <T> Coroutine<T> create(String name, Suspendable<T> body) {
        return create(name, body, null);
    }

    /**
     * Like {@link #create(String, Suspendable)}, with {@code onEnd} called on the
     * resumer's side as soon as the coroutine has ended, however it ended (also when
     * it was cancelled before it started: it then runs until its first suspension).
     */
    public static <T> Coroutine<T> create(String name, Suspendable<T> body, java.util.function.Consumer<? super Coroutine<T>> onEnd) {
        Objects.requireNonNull(body, "body");
        return new Coroutine<>(Coroutine.current("Coroutine.create").engine, Objects.requireNonNull(name, "name"), body, onEnd);
    }

    static <T> Coroutine<T> root(Engine engine, Suspendable<T> body) {
        return new Coroutine<>(engine, "main", body, null);
    }

    /**
     * The coroutine that is running: an identity for owners of locks and similar
     * (on the continuation backend every coroutine of a run shares one thread, so
     * {@code Thread.currentThread()} cannot tell them apart).
     *
     * @throws IllegalStateException outside {@link Xiio#run}
     */
    public static Coroutine<?> current() {
        return current("Coroutine.current");
    }

    /** The coroutine running on this thread, or null outside a run. */
    static Coroutine<?> currentOrNull() {
        return (Coroutine<?>) BACKEND.current();
    }

    /** The coroutine running on this thread; fails with a message that names {@code what}. */
    static Coroutine<?> current(String what) {
        Coroutine<?> c = currentOrNull();
        if (c == null) {
            throw new IllegalStateException(what + " must be called inside Xiio.run(...): there is no running"
                    + " coroutine on thread " + Thread.currentThread().getName());
        }
        return c;
    }

    private static void enter(Object owner) {
        ((Coroutine<?>) owner).runBody();
    }

    private void runBody() {
        Suspendable<T> b = body;
        body = null;
        try {
            result = b.call();
        } catch (CancelledError e) {
            if (rootScope != null && e.scope() == rootScope) cancelled = true;
            failure = e;
        } catch (Throwable t) {
            failure = t;
        }
    }

    /**
     * Runs the body until it next suspends or ends. When the coroutine belongs to a
     * {@link WaitSet}, its new wait joins the set's union before this returns.
     *
     * @throws IllegalStateException if it has ended, is running, or is still waiting
     */
    public void resume() {
        switch (state) {
            case DONE -> throw new IllegalStateException("coroutine '" + name + "' has already ended");
            case RUNNING -> throw new IllegalStateException("coroutine '" + name + "' is already running");
            case SUSPENDED -> {
                if (!waiter.isFired()) {
                    throw new IllegalStateException("coroutine '" + name + "' is still waiting for "
                            + waitingFor() + "; resume it when its WaitSet hands it out");
                }
            }
            default -> {
                // A coroutine cancelled before it started still starts: the cancellation
                // is delivered at its first suspension point (trio's rule). So whatever was
                // handed to it (an accepted socket) reaches its try-with-resources and is
                // closed; a body that never ran could not close anything.
            }
        }
        if (engine.nesting >= MAX_NESTING) {
            // before anything changes: the coroutine stays as it was, the resumer's
            // stack has room to unwind, and the error reaches run() as a failure of
            // every level above (a scheduler must not catch it and resume again)
            throw new StackOverflowError("xiio: coroutines nested " + MAX_NESTING + " deep on the continuation"
                    + " backend (resuming '" + name + "'), the limit for the driving thread's stack;"
                    + " -Dxiio.maxNesting=N with a bigger -Xss allows more");
        }
        Coroutine<?> resumer = null;
        if (SlowStepWatchdog.ENABLED) {
            resumer = engine.stepping;
            engine.step(this);
        }
        if (state == NEW) RuntimeEvents.started(this);
        state = RUNNING;
        engine.nesting++;
        try {
            strand.resume();
        } finally {
            engine.nesting--;
        }
        if (SlowStepWatchdog.ENABLED) engine.step(resumer);
        if (strand.isDone()) {
            ended();
        } else {
            state = SUSPENDED;
            // arm what it now waits for: in its wait set, or, for main, for the loop
            if (set != null || engine.root == this) {
                waiter.parent = set;
                waiter.arm(engine);
            }
        }
    }

    void ownSet(WaitSet set) {
        set.nextOwned = ownedSets;
        if (ownedSets != null) ownedSets.prevOwned = set;
        ownedSets = set;
    }

    void disownSet(WaitSet set) {
        if (set.prevOwned != null) set.prevOwned.nextOwned = set.nextOwned;
        else ownedSets = set.nextOwned;
        if (set.nextOwned != null) set.nextOwned.prevOwned = set.prevOwned;
        set.prevOwned = set.nextOwned = null;
    }

    /** The thread the body runs on, if it has one of its own (the virtual-thread backend). */
    Thread strandThread() {
        return strand.thread();
    }

    /** Whether it is suspended (not new, running or done). */
    boolean isSuspended() {
        return state == SUSPENDED;
    }

    private void ended() {
        state = DONE;
        RuntimeEvents.ended(this);
        if (set != null) set.leave(this);
        if (onEnd != null) onEnd.accept(this);
    }

    /** Suspends the current coroutine until {@code condition} is fulfilled. The one way to suspend. */
    void suspend(Condition condition) {
        waiter.condition = condition;
        waiter.ownDeadline = Deadlines.NEVER;
        yieldToResumer();
    }

    /**
     * {@link #suspend} for a hand-off: if {@code handOff} is done when the coroutine runs
     * again, the wait has taken effect (an item was handed over) and a cancellation that
     * came meanwhile is left for the next suspension point instead of undoing it.
     */
    void suspendHandOff(Condition condition, Promise<?> handOff) {
        waiter.condition = condition;
        waiter.ownDeadline = Deadlines.NEVER;
        if (suspendHooks != 0) completeSuspendHooks();
        BACKEND.suspend();
        waiter.reset();
        Throwable error = waiter.error;
        if (error != null) {
            waiter.error = null;
            throw Xiio.sneaky(error);
        }
        if (handOff.isDone()) {
            // trio's rule: a task already rescheduled with its value cannot be cancelled
            // out of that wait; the next suspension point raises the cancellation
            if ((cancelHint || innermost != null && innermost != rootScope) && dueScope() != null) cancelHint = true;
            return;
        }
        if (cancelHint || innermost != null && innermost != rootScope) {
            CancelScope due = dueScope();
            if (due != null) throw due.deliver();
        }
    }

    /** Completes the promises of {@link CancelScope#completeOnSuspend} of this coroutine's open scopes: it suspends now. */
    private void completeSuspendHooks() {
        for (CancelScope s = innermost; s != null && suspendHooks > 0; s = s.outer) {
            if (s.owner == this) s.takeSuspendHook();
        }
    }

    /** {@link #suspend} on a bare deadline, without allocating a condition (sleep, yieldNow). */
    void suspendUntil(long deadline) {
        waiter.condition = null;
        waiter.ownDeadline = deadline;
        yieldToResumer();
    }

    private void yieldToResumer() {
        if (suspendHooks != 0) completeSuspendHooks();
        BACKEND.suspend();
        waiter.reset();
        Throwable error = waiter.error;
        if (error != null) {
            waiter.error = null;
            throw Xiio.sneaky(error);
        }
        if (cancelHint || innermost != null && innermost != rootScope) {
            CancelScope due = dueScope();
            if (due != null) throw due.deliver();
        }
    }

    /**
     * The outermost scope whose cancellation is due and not yet delivered, or null.
     * The walk outwards stops at a shield: scopes outside it are not due while it is open.
     */
    private CancelScope dueScope() {
        CancelScope due = null;
        long now = 0;
        boolean haveNow = false;
        boolean shielded = false;
        for (CancelScope s = innermost; s != null; s = s.outer) {
            if (!s.spent) {
                boolean isDue = s.cancelRequested;
                if (!isDue && s.deadline != Deadlines.NEVER) {
                    if (!haveNow) {
                        now = engine.now();
                        haveNow = true;
                    }
                    isDue = s.deadline <= now;
                }
                if (isDue) due = s;
            }
            if (s.shield && s.outer != null) {
                shielded = true;
                break;
            }
        }
        // behind a shield, an outer request stays pending until the shield closes
        if (due == null && !shielded) cancelHint = false;
        return due;
    }

    /** Whether a cancellation request waits to be delivered (and is not held back by a shield). */
    boolean cancelPending() {
        if (!cancelHint) return false;
        for (CancelScope s = innermost; s != null; s = s.outer) {
            if (s.cancelRequested && !s.spent) return true;
            if (s.shield) return false;
        }
        return false;
    }

    /** The earliest deadline of the open scopes, up to the innermost shield, whose cancellation is not delivered yet. */
    long scopeDeadline() {
        long earliest = Deadlines.NEVER;
        for (CancelScope s = innermost; s != null; s = s.outer) {
            if (!s.spent) earliest = Math.min(earliest, s.deadline);
            if (s.shield) break;
        }
        return earliest;
    }

    /**
     * Whether a cancellation (a request, or a passed deadline of an open scope) waits to
     * be raised at this coroutine's next suspension point; one held back by a shield
     * does not count. A scheduler uses it to decide for a coroutine that is not running,
     * as {@code TaskGroup.start} does: a task reporting to a starter that is about to be
     * cancelled reports to nobody.
     */
    public boolean isCancellationDue() {
        if (!cancelHint && (innermost == null || innermost == rootScope)) return false;
        long now = engine.now();
        for (CancelScope s = innermost; s != null; s = s.outer) {
            if (!s.spent && (s.cancelRequested || s.deadline != Deadlines.NEVER && s.deadline <= now)) return true;
            if (s.shield) return false;
        }
        return false;
    }

    /** Whether {@code scope}, open in this coroutine, lies outside an open shield (so its cancellation waits). */
    boolean shieldedFrom(CancelScope scope) {
        for (CancelScope s = innermost; s != null && s != scope; s = s.outer) {
            if (s.shield) return true;
        }
        return false;
    }

    /** Wakes the coroutine so a newly requested cancellation is delivered at its suspension point. */
    void wakeForCancel() {
        cancelHint = true;
        if (waiter.isArmed()) waiter.fire();
    }

    /**
     * Requests cancellation: a {@link CancelledError} is raised at the coroutine's
     * current or next suspension point (once). A coroutine cancelled before it started
     * still starts when resumed and gets the error at its first suspension point, so
     * whatever was handed to it reaches its cleanup. Has no effect on a coroutine that
     * has ended.
     */
    public void cancel() {
        if (state != DONE) cancelScope().cancel();
    }

    /** The coroutine's own cancel scope: the one {@link #cancel()} cancels. */
    public CancelScope cancelScope() {
        CancelScope root = rootScope;
        if (root == null) {
            rootScope = root = new CancelScope(this, null, Deadlines.NEVER);
            // it belongs below every scope that is open now
            if (innermost == null) {
                innermost = root;
            } else {
                CancelScope bottom = innermost;
                while (bottom.outer != null) bottom = bottom.outer;
                bottom.outer = root;
            }
        }
        return root;
    }

    /** The name given at creation. */
    public String name() {
        return name;
    }

    /** Whether the body has ended (returned, thrown, or was cancelled). */
    public boolean isDone() {
        return state == DONE;
    }

    /** Whether it ended because of its own {@link #cancel()}. */
    public boolean isCancelled() {
        return cancelled;
    }

    /** Whether it has been resumed at least once. */
    public boolean isStarted() {
        return state != NEW;
    }

    /**
     * What the body returned.
     *
     * @throws IllegalStateException if it has not ended or did not return normally
     */
    public T result() {
        if (state != DONE) throw new IllegalStateException("coroutine '" + name + "' has not ended");
        if (failure != null) throw new IllegalStateException("coroutine '" + name + "' failed", failure);
        return result;
    }

    /** What the body threw (a {@link CancelledError} if it was cancelled), or null. */
    public Throwable failure() {
        return failure;
    }

    /** Where the suspended body waits (its stack, innermost frame first); empty if not suspended. */
    public StackTraceElement[] suspensionPoint() {
        return state == SUSPENDED ? strand.stackTrace() : new StackTraceElement[0];
    }

    /** What it waits for while suspended, or null. */
    public Condition waitingFor() {
        if (state != SUSPENDED) return null;
        return waiter.condition != null ? waiter.condition : new Condition.Deadline(waiter.ownDeadline);
    }

    @Override
    public String toString() {
        String s = switch (state) {
            case NEW -> "new";
            case RUNNING -> "running";
            case SUSPENDED -> "waiting for " + waitingFor();
            default -> cancelled ? "cancelled" : failure != null ? "failed" : "done";
        };
        return "Coroutine[" + name + ", " + s + "]";
    }
}
