package xiio.model;

import java.util.List;

/**
 * A small program over the core's semantics: the AST that both the model and the real
 * interpreter run. Every statement carries an id that is unique in its program and names
 * it in traces ("T3" a task, "G2" a group, "S4" a scope, "#7" a step). A statement runs
 * at most once per run, so an id also names the one instance a cancel refers to.
 *
 * <p>References (cancel, join) name their target by id; a target that does not exist
 * (not spawned yet, or deleted by the shrinker) makes the reference a no-op, on both
 * sides alike.
 */
record Program(List<Stmt> main, int events, int promises, int pipes) {

    /** The three ways to open a cancel scope. */
    enum ScopeKind {
        /** {@code CancelScope.open}, with or without a deadline. */
        OPEN,
        /** {@code Timeout.withTimeout}. */
        TIMEOUT,
        /** {@code Timeout.withTimeoutOrNull}. */
        TIMEOUT_OR_NULL
    }

    sealed interface Stmt {
        String id();
    }

    /** {@code Xiio.sleep(ms)}. */
    record Sleep(String id, int ms) implements Stmt {}

    /** {@code Xiio.yieldNow()} {@code times} times: an always-ready stretch. */
    record Yield(String id, int times) implements Stmt {}

    /** {@code throw new IOException(id)}. */
    record Fail(String id) implements Stmt {}

    /** Returns {@code id} from the innermost body (scope, group body or task). */
    record Return(String id) implements Stmt {}

    /** {@code TaskGroup.scope(g -> body)}; the body runs as task {@code id + ".body"}. */
    record Group(String id, List<Stmt> body) implements Stmt {}

    /** {@code g.spawn(body)} into the group whose body is running this statement. */
    record Spawn(String id, List<Stmt> body) implements Stmt {}

    /** A cancel scope or timeout; {@code deadlineMs < 0} means none (only for OPEN). */
    record Scope(String id, ScopeKind kind, int deadlineMs, List<Stmt> body) implements Stmt {}

    /** {@code task.cancel()}. */
    record CancelTask(String id, String task) implements Stmt {}

    /** {@code scope.cancel()} of a {@code CancelScope.open} scope (of any coroutine). */
    record CancelScopeStmt(String id, String scope) implements Stmt {}

    /** {@code group.cancel()}. */
    record CancelGroup(String id, String group) implements Stmt {}

    /** {@code try { body } finally { cleanup }}. */
    record Try(String id, List<Stmt> body, List<Stmt> cleanup) implements Stmt {}

    /** {@code try { body } catch (CancelledError e) { }}: swallows, then goes on. */
    record Swallow(String id, List<Stmt> body) implements Stmt {}

    /** {@code events[event].await()}. */
    record AwaitEvent(String id, int event) implements Stmt {}

    /** {@code events[event].set()}. */
    record SetEvent(String id, int event) implements Stmt {}

    /** {@code promises[promise].await()}: its value, or its failure thrown. */
    record AwaitPromise(String id, int promise) implements Stmt {}

    /** {@code promises[promise].tryComplete(id)}, or {@code tryFail(new IOException(id))}. */
    record SettlePromise(String id, int promise, boolean fail) implements Stmt {}

    /** {@code Xiio.await(Condition.readable(pipe's read end))}: never reads. */
    record AwaitPipe(String id, int pipe) implements Stmt {}

    /** Writes one byte to the pipe (without suspending). */
    record WritePipe(String id, int pipe) implements Stmt {}

    /** {@code task.join()}. */
    record Join(String id, String task) implements Stmt {}
}
