package xiio.model;

import java.util.List;
import xiio.model.Program.*;

/** A program as readable Java-like pseudo-code, for failure messages. */
final class ProgramText {
    private ProgramText() {}

    static String of(Program p) {
        StringBuilder out = new StringBuilder();
        out.append("main:\n");
        block(out, p.main(), 1);
        return out.toString();
    }

    private static void block(StringBuilder out, List<Stmt> stmts, int depth) {
        if (stmts.isEmpty()) line(out, depth, "(empty)");
        for (Stmt s : stmts) stmt(out, s, depth);
    }

    private static void stmt(StringBuilder out, Stmt s, int d) {
        String id = s.id();
        switch (s) {
            case Sleep x -> line(out, d, id + ": sleep(" + x.ms() + ")");
            case Yield x -> line(out, d, id + ": yieldNow() x" + x.times());
            case Fail x -> line(out, d, id + ": throw new IOException(\"" + id + "\")");
            case Return x -> line(out, d, id + ": return \"" + id + "\"");
            case Group x -> nested(out, d, id + " = TaskGroup.scope(g -> {   // body is task " + id + ".body", x.body());
            case Spawn x -> nested(out, d, id + " = g.spawn(() -> {", x.body());
            case Scope x -> nested(out, d, id + " = " + scopeCall(x) + " {", x.body());
            case CancelTask x -> line(out, d, id + ": " + x.task() + ".cancel()");
            case CancelScopeStmt x -> line(out, d, id + ": " + x.scope() + ".cancel()");
            case CancelGroup x -> line(out, d, id + ": " + x.group() + ".cancel()   // the group");
            case Try x -> {
                nested(out, d, id + ": try {", x.body());
                line(out, d, "} finally {");
                block(out, x.cleanup(), d + 1);
                line(out, d, "}");
                return;
            }
            case Swallow x -> {
                nested(out, d, id + ": try {", x.body());
                line(out, d, "} catch (CancelledError swallowed) {}");
                return;
            }
            case AwaitEvent x -> line(out, d, id + ": event" + x.event() + ".await()");
            case SetEvent x -> line(out, d, id + ": event" + x.event() + ".set()");
            case AwaitPromise x -> line(out, d, id + ": promise" + x.promise() + ".await()");
            case SettlePromise x -> line(out, d, id + ": promise" + x.promise()
                    + (x.fail() ? ".tryFail(new IOException(\"" + id + "\"))" : ".tryComplete(\"" + id + "\")"));
            case AwaitPipe x -> line(out, d, id + ": await readable(pipe" + x.pipe() + ")");
            case WritePipe x -> line(out, d, id + ": write(pipe" + x.pipe() + ", 1 byte)");
            case Join x -> line(out, d, id + ": " + x.task() + ".join()");
        }
        if (s instanceof Group || s instanceof Spawn || s instanceof Scope) line(out, d, "})");
    }

    private static String scopeCall(Scope x) {
        String limit = "ms(" + x.deadlineMs() + ")";
        return switch (x.kind()) {
            case OPEN -> "CancelScope.open(" + (x.deadlineMs() < 0 ? "" : limit + ", ") + "scope ->";
            case TIMEOUT -> "Timeout.withTimeout(" + limit + ", () ->";
            case TIMEOUT_OR_NULL -> "Timeout.withTimeoutOrNull(" + limit + ", () ->";
        };
    }

    private static void nested(StringBuilder out, int d, String head, List<Stmt> body) {
        line(out, d, head);
        block(out, body, d + 1);
    }

    private static void line(StringBuilder out, int depth, String text) {
        out.append("    ".repeat(depth)).append(text).append('\n');
    }
}
