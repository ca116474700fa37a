package xiio.model;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CancellationException;
import java.util.concurrent.TimeoutException;
import xiio.concurrent.Event;
import xiio.concurrent.Task;
import xiio.concurrent.TaskGroup;
import xiio.concurrent.Timeout;
import xiio.core.CancelScope;
import xiio.core.CancelledError;
import xiio.core.Condition;
import xiio.core.Coroutine;
import xiio.core.Promise;
import xiio.core.Xiio;
import xiio.model.Program.*;
import xiio.support.TestPipe;

/**
 * Runs a program on the real runtime, on the virtual clock, and records the same
 * trace the model records: each statement becomes the xiio call it names.
 */
final class RealInterpreter {
    /** An IOException labelled with the id of the statement that threw it, without a stack trace. */
    static final class Labelled extends IOException {
        Labelled(String label) {
            super(label);
        }

        @Override
        public synchronized Throwable fillInStackTrace() {
            return this;
        }
    }

    /** What a body returned, when a {@code return} statement ended it. */
    private record Ret(String value) {}

    /** A timeout open in a coroutine: its CancelScope is not exposed, so its deadline names it. */
    private record OpenTimeout(String id, long deadline) {}

    /** Per coroutine: its path, the group it is the body of, its open timeouts. */
    private record Ctx(String path, TaskGroup group, ArrayDeque<OpenTimeout> timeouts) {}

    @FunctionalInterface
    private interface Step {
        void run() throws Exception;
    }

    private final Trace trace = new Trace();
    private final Map<String, Task<String>> tasks = new HashMap<>();
    private final Map<String, CancelScope> scopes = new HashMap<>();
    private final Map<String, TaskGroup> groups = new HashMap<>();
    private final Map<CancelScope, String> scopeNames = new IdentityHashMap<>();
    private final List<Event> events = new ArrayList<>();
    private final List<Promise<String>> promises = new ArrayList<>();
    private final List<TestPipe> pipes = new ArrayList<>();
    private long mainEndMs;

    private RealInterpreter() {}

    static Trace run(Program p) throws Exception {
        RealInterpreter r = new RealInterpreter();
        for (int i = 0; i < p.events(); i++) r.events.add(new Event());
        for (int i = 0; i < p.promises(); i++) r.promises.add(new Promise<>());
        try {
            for (int i = 0; i < p.pipes(); i++) r.pipes.add(new TestPipe());
            try {
                String v = Xiio.run(new GuardedClock(), () -> r.runTask("main", p.main(), null));
                r.trace.add("run", r.mainEndMs, "-> " + v);
            } catch (Throwable t) {
                r.trace.add("run", r.mainEndMs, "threw " + r.describe(null, t));
            }
        } finally {
            r.pipes.forEach(TestPipe::close);
        }
        return r.trace;
    }

    private String runTask(String path, List<Stmt> body, TaskGroup group) throws Exception {
        Ctx c = new Ctx(path, group, new ArrayDeque<>());
        scopeNames.put(Coroutine.current().cancelScope(), "task:" + path);
        trace(c, "start");
        try {
            Ret r = block(c, body);
            String v = r == null ? null : r.value;
            trace(c, "end -> " + v);
            return v;
        } catch (Throwable t) {
            trace(c, "end threw " + describe(c, t));
            throw t;
        } finally {
            if (path.equals("main")) mainEndMs = Xiio.nanoTime() / 1_000_000;
        }
    }

    private Ret block(Ctx c, List<Stmt> stmts) throws Exception {
        for (Stmt s : stmts) {
            Ret r = stmt(c, s);
            if (r != null) return r;
        }
        return null;
    }

    private Ret stmt(Ctx c, Stmt s) throws Exception {
        String id = s.id();
        switch (s) {
            case Sleep x -> step(c, id, () -> Xiio.sleep(Duration.ofMillis(x.ms())));
            case Yield x -> step(c, id, () -> {
                for (int i = 0; i < x.times(); i++) Xiio.yieldNow();
            });
            case Fail x -> throw new Labelled(id);
            case Return x -> {
                return new Ret(id);
            }
            case Group x -> {
                try {
                    String v = TaskGroup.scope(g -> {
                        groups.put(id, g);
                        return runTask(id + ".body", x.body(), g);
                    });
                    trace(c, id + " -> " + v);
                } catch (Throwable t) {
                    trace(c, id + " threw " + describe(c, t));
                    throw t;
                }
            }
            case Spawn x -> {
                tasks.put(id, c.group.spawn(id, () -> runTask(id, x.body(), null)));
                trace(c, "done " + id);
            }
            case Scope x -> scope(c, x);
            case CancelTask x -> {
                Task<String> t = tasks.get(x.task());
                if (t != null) t.cancel();
                trace(c, "done " + id);
            }
            case CancelScopeStmt x -> {
                CancelScope target = scopes.get(x.scope());
                if (target != null) target.cancel();
                trace(c, "done " + id);
            }
            case CancelGroup x -> {
                TaskGroup g = groups.get(x.group());
                if (g != null) g.cancel();
                trace(c, "done " + id);
            }
            case Try x -> {
                Ret r;
                try {
                    r = block(c, x.body());
                } finally {
                    trace(c, "cleanup " + id);
                    if (block(c, x.cleanup()) != null) throw new IllegalStateException("return in a cleanup");
                    trace(c, "cleanup-done " + id);
                }
                return r;
            }
            case Swallow x -> {
                try {
                    return block(c, x.body());
                } catch (CancelledError e) {
                    trace(c, "swallowed " + id + " " + name(c, e.scope()));
                }
            }
            case AwaitEvent x -> step(c, id, () -> events.get(x.event()).await());
            case SetEvent x -> {
                events.get(x.event()).set();
                trace(c, "done " + id);
            }
            case AwaitPromise x -> valueStep(c, id, () -> promises.get(x.promise()).await());
            case SettlePromise x -> {
                Promise<String> p = promises.get(x.promise());
                if (x.fail()) p.tryFail(new Labelled(id));
                else p.tryComplete(id);
                trace(c, "done " + id);
            }
            case AwaitPipe x -> step(c, id, () -> Xiio.await(Condition.readable(pipes.get(x.pipe()).readFd)));
            case WritePipe x -> {
                pipes.get(x.pipe()).put("x");
                trace(c, "done " + id);
            }
            case Join x -> {
                Task<String> t = tasks.get(x.task());
                if (t == null) trace(c, "done " + id + " = none");
                else valueStep(c, id, t::join);
            }
        }
        return null;
    }

    private void scope(Ctx c, Scope x) throws Exception {
        String id = x.id();
        long deadline = Xiio.nanoTime() + x.deadlineMs() * 1_000_000L;
        Duration limit = Duration.ofMillis(x.deadlineMs());
        try {
            String v = switch (x.kind()) {
                case OPEN -> x.deadlineMs() < 0
                        ? CancelScope.open(sc -> scopeBody(c, x, sc, 0))
                        : CancelScope.open(limit, sc -> scopeBody(c, x, sc, 0));
                case TIMEOUT -> Timeout.withTimeout(limit, () -> scopeBody(c, x, null, deadline));
                case TIMEOUT_OR_NULL -> Timeout.withTimeoutOrNull(limit, () -> scopeBody(c, x, null, deadline));
            };
            trace(c, id + " -> " + v);
        } catch (Throwable t) {
            trace(c, id + " threw " + describe(c, t));
            throw t;
        }
    }

    private String scopeBody(Ctx c, Scope x, CancelScope sc, long timeoutDeadline) throws Exception {
        if (sc != null) {
            scopes.put(x.id(), sc);
            scopeNames.put(sc, x.id());
        } else {
            c.timeouts.push(new OpenTimeout(x.id(), timeoutDeadline));
        }
        try {
            Ret r = block(c, x.body());
            return r == null ? null : r.value;
        } finally {
            if (sc == null) c.timeouts.pop();
        }
    }

    /** A suspension point: records its cancellation, or that it is done. */
    private void step(Ctx c, String id, Step action) throws Exception {
        try {
            action.run();
        } catch (CancelledError e) {
            trace(c, "cancel " + id + " by " + name(c, e.scope()));
            throw e;
        }
        trace(c, "done " + id);
    }

    private void valueStep(Ctx c, String id, Suspending action) throws Exception {
        String v;
        try {
            v = action.call();
        } catch (CancelledError e) {
            trace(c, "cancel " + id + " by " + name(c, e.scope()));
            throw e;
        } catch (Exception e) {
            trace(c, "fail " + id + " " + describe(c, e));
            throw e;
        }
        trace(c, "done " + id + " = " + v);
    }

    @FunctionalInterface
    private interface Suspending {
        String call() throws Exception;
    }

    private String name(Ctx c, CancelScope scope) {
        String n = scopeNames.get(scope);
        if (n != null) return n;
        if (c != null) {
            // a timeout's scope is not exposed: its deadline names it, together with any
            // other open timeout of this coroutine with the same deadline (outermost first)
            String names = null;
            for (OpenTimeout t : c.timeouts) { // innermost first
                if (t.deadline == scope.deadline()) names = names == null ? t.id : t.id + "|" + names;
            }
            if (names != null) return names;
        }
        return "?";
    }

    /** The same text as {@code MExc.describe} gives in the model. */
    String describe(Ctx c, Throwable t) {
        String head = switch (t) {
            case Labelled io -> "IO(" + io.getMessage() + ")";
            case TimeoutException te -> "Timeout";
            case CancelledError ce -> "Cancelled(" + name(c, ce.scope()) + ")";
            case CancellationException ce -> "CancellationException";
            default -> t.getClass().getSimpleName() + "(" + t.getMessage() + ")";
        };
        Throwable[] suppressed = t.getSuppressed();
        if (suppressed.length == 0) return head;
        StringBuilder out = new StringBuilder(head).append("[+");
        for (int i = 0; i < suppressed.length; i++) out.append(i > 0 ? "," : "").append(describe(c, suppressed[i]));
        return out.append(']').toString();
    }

    private void trace(Ctx c, String event) {
        trace.add(c.path, Xiio.nanoTime() / 1_000_000, event);
    }
}
