package xiio.model;

import java.util.ArrayDeque;
import java.util.List;
import xiio.model.ModelValues.Completion;
import xiio.model.ModelValues.ExcKind;
import xiio.model.ModelValues.MExc;
import xiio.model.ModelValues.MScope;
import xiio.model.Program.*;

/**
 * One task of the model: an explicit stack of frames (blocks, scopes, try/finally,
 * catch) interpreted statement by statement, and a state machine NEW → READY ⇄ WAITING →
 * DONE driven by {@link Model}. Every suspension point suspends (a due cancellation or
 * a wait that is already over makes it READY at once); every resume first delivers the
 * outermost due scope (R1, R2), whatever woke it.
 */
final class ModelTask {
    enum State { NEW, READY, WAITING, DONE }

    sealed interface Wait {}
    record SleepWait(String step, long until) implements Wait {}
    record YieldWait(String step, int left) implements Wait {}
    record EventWait(String step, int event) implements Wait {}
    record PromiseWait(String step, int promise) implements Wait {}
    record PipeWait(String step, int pipe) implements Wait {}
    record JoinWait(String step, ModelTask target) implements Wait {}
    record GroupWait(String step, ModelGroup group) implements Wait {}

    private sealed interface Frame {}
    private static final class BlockFrame implements Frame {
        final List<Stmt> stmts;
        int pc;
        BlockFrame(List<Stmt> stmts) { this.stmts = stmts; }
    }
    private record ScopeFrame(Scope stmt, MScope scope) implements Frame {}
    private static final class TryFrame implements Frame {
        final Try stmt;
        Completion pending; // non-null once the cleanup runs
        TryFrame(Try stmt) { this.stmt = stmt; }
    }
    private record CatchFrame(Swallow stmt) implements Frame {}

    final String path;
    final int depth;
    /** The group it is a member of (null for main), and the group whose body it is. */
    final ModelGroup group, bodyOf;
    final MScope root;
    private final Model model;
    private final ArrayDeque<Frame> stack = new ArrayDeque<>();
    private MScope innermost;
    State state = State.NEW;
    Wait wait;
    String result;
    MExc failure;
    boolean cancelled;
    /** The model's pass in which it last became ready (for schedules that follow that order). */
    long readySince;

    ModelTask(Model model, String path, List<Stmt> body, int depth, ModelGroup group, ModelGroup bodyOf) {
        this.model = model;
        this.path = path;
        this.depth = depth;
        this.group = group;
        this.bodyOf = bodyOf;
        this.root = new MScope("task:" + path, null, ModelValues.NEVER, null);
        this.innermost = root;
        stack.push(new BlockFrame(body));
    }

    Model model() {
        return model;
    }

    void requestCancel(MScope s) {
        if (s.open) s.cancelRequested = true;
    }

    /** The outermost scope due now, or null. */
    MScope dueScope() {
        MScope due = null;
        for (MScope s = innermost; s != null; s = s.outer) if (s.due(model.now)) due = s;
        return due;
    }

    /** The earliest time something of its own wakes it while it waits: its sleep or a scope's deadline. */
    long nextTimer() {
        long t = wait instanceof SleepWait s ? s.until : ModelValues.NEVER;
        for (MScope s = innermost; s != null; s = s.outer) if (s.open && !s.spent) t = Math.min(t, s.deadline);
        return t;
    }

    boolean waitIsOver() {
        return switch (wait) {
            case SleepWait s -> s.until <= model.now;
            case YieldWait y -> true;
            case EventWait e -> model.eventSet[e.event];
            case PromiseWait p -> model.promiseDone[p.promise];
            case PipeWait p -> model.pipeWritten[p.pipe];
            case JoinWait j -> j.target.state == State.DONE;
            case GroupWait g -> g.group.members.isEmpty();
        };
    }

    /** Whether an fd woke it (and not a cancellation). */
    boolean fdWoken() {
        return wait instanceof PipeWait && dueScope() == null;
    }

    /** Whether it waits for a group whose members have all ended. */
    boolean groupHasEmptied() {
        return wait instanceof GroupWait g && g.group.members.isEmpty();
    }

    /**
     * A scope's name as the real interpreter can tell it: a timeout's scope is not exposed,
     * so it is known by its deadline, and open timeouts with the same deadline are named together.
     */
    String nameOf(MScope s) {
        if (s.kind == null || s.kind == ScopeKind.OPEN) return s.name;
        String names = null;
        for (MScope o = innermost; o != null; o = o.outer) {
            if (o.kind != null && o.kind != ScopeKind.OPEN && o.deadline == s.deadline) {
                names = names == null ? o.name : o.name + "|" + names;
            }
        }
        return names != null ? names : s.name;
    }

    /** Runs it from where it stopped until it next suspends or ends. */
    void resume() {
        if (state == State.NEW) {
            state = State.READY;
            trace("start");
            proceed(null);
            return;
        }
        MScope due = dueScope();
        Wait w = wait;
        wait = null;
        if (due != null && w instanceof GroupWait g && g.group.members.isEmpty() && !model.deliverAtEmptyGroup()) {
            // every member ended in the pass that cancelled the owner: whether the owner
            // waited at all is left open, so the group may also return as if it had not;
            // the cancellation then comes at the owner's next suspension point
            due = null;
        }
        if (due != null) {
            MExc e = deliver(due);
            if (w instanceof GroupWait g) {
                // not observable by itself: the group reports it when it exits (R4, R5)
                g.group.ownerCancelled(e);
                if (g.group.members.isEmpty()) {
                    proceed(exitGroup(g));
                } else {
                    wait = w;
                    state = State.WAITING;
                }
                return;
            }
            trace("cancel " + stepOf(w) + " by " + nameOf(due));
            proceed(Completion.thr(e));
            return;
        }
        wait = w;
        if (!waitIsOver()) {
            state = State.WAITING;
            return;
        }
        wait = null;
        proceed(switch (w) {
            case YieldWait y when y.left > 1 -> suspend(new YieldWait(y.step, y.left - 1));
            case GroupWait g -> exitGroup(g);
            case JoinWait j -> joined(j.step, j.target);
            case PromiseWait p -> promised(p.step, p.promise);
            default -> done(stepOf(w));
        });
    }

    private static String stepOf(Wait w) {
        return switch (w) {
            case SleepWait s -> s.step;
            case YieldWait y -> y.step;
            case EventWait e -> e.step;
            case PromiseWait p -> p.step;
            case PipeWait p -> p.step;
            case JoinWait j -> j.step;
            case GroupWait g -> g.step;
        };
    }

    /** R1, R2: the delivered scope and every scope inside it become spent. */
    private MExc deliver(MScope due) {
        for (MScope s = innermost; ; s = s.outer) {
            s.spent = true;
            if (s == due) break;
        }
        due.delivered = true;
        return MExc.cancelled(due);
    }

    private Completion suspend(Wait w) {
        wait = w;
        state = State.WAITING; // the model wakes it at once if it is due or the wait is over
        return Completion.SUSPENDED;
    }

    private Completion done(String step) {
        trace("done " + step);
        return null;
    }

    /** Interprets until it suspends or ends; {@code c} is a completion to propagate, null to go on. */
    private void proceed(Completion c) {
        while (true) {
            if (c == Completion.SUSPENDED) return;
            if (c != null) {
                if (stack.isEmpty()) {
                    end(c);
                    return;
                }
                c = complete(stack.pop(), c);
                continue;
            }
            BlockFrame b = (BlockFrame) stack.peek();
            if (b.pc == b.stmts.size()) {
                stack.pop();
                c = Completion.NORMAL;
                continue;
            }
            c = exec(b.stmts.get(b.pc++));
        }
    }

    /** A frame receives the completion of what it ran; null means its statement completed normally. */
    private Completion complete(Frame f, Completion c) {
        switch (f) {
            case BlockFrame b -> {
                return c;
            }
            case ScopeFrame s -> {
                return exitScope(s.stmt, s.scope, c);
            }
            case TryFrame t -> {
                if (t.pending == null) {
                    t.pending = c;
                    trace("cleanup " + t.stmt.id());
                    stack.push(t);
                    stack.push(new BlockFrame(t.stmt.cleanup()));
                    return null;
                }
                if (c.kind() != Completion.Kind.NORMAL) return c; // Java: the finally's throw replaces
                trace("cleanup-done " + t.stmt.id());
                return t.pending.kind() == Completion.Kind.NORMAL ? null : t.pending;
            }
            case CatchFrame k -> {
                if (c.isThrow() && c.exc().isCancelled()) {
                    trace("swallowed " + k.stmt.id() + " " + nameOf(c.exc().scope));
                    return null;
                }
                return c.kind() == Completion.Kind.NORMAL ? null : c;
            }
        }
    }

    /** R1: a scope absorbs only its own cancellation; timeouts report theirs. */
    private Completion exitScope(Scope stmt, MScope scope, Completion c) {
        if (innermost != scope) throw new IllegalStateException("model: scopes out of order at " + stmt.id());
        innermost = scope.outer;
        scope.open = false;
        if (c.isThrow() && c.exc().scope != scope) {
            trace(stmt.id() + " threw " + c.exc().describe(this::nameOf));
            return c;
        }
        String value = c.kind() == Completion.Kind.RETURN ? c.value() : null;
        if (scope.delivered && stmt.kind() == ScopeKind.TIMEOUT) {
            MExc timeout = new MExc(ExcKind.TIMEOUT, null, null);
            trace(stmt.id() + " threw " + timeout.describe(this::nameOf));
            return Completion.thr(timeout);
        }
        if (scope.delivered && stmt.kind() == ScopeKind.TIMEOUT_OR_NULL) value = null;
        trace(stmt.id() + " -> " + value);
        return null;
    }

    /** R5: the group's exit once every member ended. */
    private Completion exitGroup(GroupWait g) {
        ModelGroup group = g.group;
        group.exited = true;
        MExc e = group.failure != null ? group.failure : group.ownerCancel;
        if (e != null) {
            trace(g.step + " threw " + e.describe(this::nameOf));
            return Completion.thr(e);
        }
        String value = group.body.cancelled ? null : group.body.result;
        trace(g.step + " -> " + value);
        return null;
    }

    /** R7: a join gives the result, the failure as itself, or CancellationException. */
    private Completion joined(String step, ModelTask target) {
        if (target.failure == null) {
            trace("done " + step + " = " + target.result);
            return null;
        }
        MExc e = target.cancelled ? new MExc(ExcKind.CANCELLATION_EXCEPTION, null, null) : target.failure;
        trace("fail " + step + " " + e.describe(this::nameOf));
        return Completion.thr(e);
    }

    private Completion promised(String step, int p) {
        MExc e = model.promiseFailure[p];
        if (e == null) {
            trace("done " + step + " = " + model.promiseValue[p]);
            return null;
        }
        trace("fail " + step + " " + e.describe(this::nameOf));
        return Completion.thr(e);
    }

    private Completion exec(Stmt s) {
        String id = s.id();
        switch (s) {
            case Sleep x -> {
                return suspend(new SleepWait(id, model.now + x.ms()));
            }
            case Yield x -> {
                return suspend(new YieldWait(id, x.times()));
            }
            case Fail x -> {
                return Completion.thr(MExc.io(id));
            }
            case Return x -> {
                return Completion.ret(id);
            }
            case Group x -> {
                ModelGroup g = new ModelGroup(id, this);
                model.groups.put(id, g);
                g.body = model.newTask(id + ".body", x.body(), depth + 1, g, g);
                return suspend(new GroupWait(id, g));
            }
            case Spawn x -> {
                // a task spawned after the group's cancellation began runs normally (TaskGroup's docs)
                ModelTask child = model.newTask(id, x.body(), depth, bodyOf, null);
                model.tasks.put(id, child);
                bodyOf.spawned(child);
                return done(id);
            }
            case Scope x -> {
                long deadline = x.deadlineMs() < 0 ? ModelValues.NEVER : model.now + x.deadlineMs();
                MScope scope = new MScope(id, innermost, deadline, x.kind());
                innermost = scope;
                if (x.kind() == ScopeKind.OPEN) model.scopes.put(id, scope);
                stack.push(new ScopeFrame(x, scope));
                stack.push(new BlockFrame(x.body()));
                return null;
            }
            case CancelTask x -> {
                ModelTask t = model.tasks.get(x.task());
                if (t != null && t.state != State.DONE) t.requestCancel(t.root);
                return done(id);
            }
            case CancelScopeStmt x -> {
                MScope target = model.scopes.get(x.scope());
                if (target != null) requestCancel(target);
                return done(id);
            }
            case CancelGroup x -> {
                ModelGroup g = model.groups.get(x.group());
                if (g != null && !g.exited) g.cancelMembers();
                return done(id);
            }
            case Try x -> {
                stack.push(new TryFrame(x));
                stack.push(new BlockFrame(x.body()));
                return null;
            }
            case Swallow x -> {
                stack.push(new CatchFrame(x));
                stack.push(new BlockFrame(x.body()));
                return null;
            }
            case AwaitEvent x -> {
                // awaiting what is already done is not a suspension point (Event.await, Promise.await, join)
                return model.eventSet[x.event()] ? done(id) : suspend(new EventWait(id, x.event()));
            }
            case SetEvent x -> {
                model.eventSet[x.event()] = true;
                return done(id);
            }
            case AwaitPromise x -> {
                return model.promiseDone[x.promise()] ? promised(id, x.promise()) : suspend(new PromiseWait(id, x.promise()));
            }
            case SettlePromise x -> {
                int p = x.promise();
                if (!model.promiseDone[p]) {
                    model.promiseDone[p] = true;
                    if (x.fail()) model.promiseFailure[p] = MExc.io(id);
                    else model.promiseValue[p] = id;
                }
                return done(id);
            }
            case AwaitPipe x -> {
                return suspend(new PipeWait(id, x.pipe()));
            }
            case WritePipe x -> {
                model.pipeWritten[x.pipe()] = true;
                return done(id);
            }
            case Join x -> {
                ModelTask t = model.tasks.get(x.task());
                if (t == null) {
                    trace("done " + id + " = none");
                    return null;
                }
                return t.state == State.DONE ? joined(id, t) : suspend(new JoinWait(id, t));
            }
        }
    }

    private void end(Completion c) {
        state = State.DONE;
        root.open = false;
        if (c.isThrow()) {
            failure = c.exc();
            cancelled = failure.isCancelled() && failure.scope == root;
            if (failure.isCancelled() && !cancelled) model.unspecified(path + " ended with another scope's cancellation");
            trace("end threw " + failure.describe(this::nameOf));
        } else {
            result = c.value();
            trace("end -> " + result);
        }
        if (group != null) group.memberEnded(this);
        model.taskEnded(this);
    }

    private void trace(String event) {
        model.trace.add(path, model.now, event);
    }
}
