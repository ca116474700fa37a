package xiio.model;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import java.util.stream.Collectors;
import xiio.model.Program.ScopeKind;

/** The model's plain values: scopes, exceptions, completions. No runtime code is used. */
final class ModelValues {
    private ModelValues() {}

    static final long NEVER = Long.MAX_VALUE;

    /** A cancel scope of one model task: a task's own scope, a CancelScope.open or a timeout. */
    static final class MScope {
        final String name;
        final MScope outer;
        final long deadline;
        /** Null for a task's own scope. */
        final ScopeKind kind;
        boolean open = true;
        boolean cancelRequested;
        /** It, or a scope around it, was delivered: it raises nothing more (R1). */
        boolean spent;
        /** Its own cancellation was raised inside it. */
        boolean delivered;

        MScope(String name, MScope outer, long deadline, ScopeKind kind) {
            this.name = name;
            this.outer = outer;
            this.deadline = deadline;
            this.kind = kind;
        }

        boolean due(long now) {
            return open && !spent && (cancelRequested || deadline <= now);
        }
    }

    enum ExcKind { IO, TIMEOUT, CANCELLED, CANCELLATION_EXCEPTION }

    /** A thrown value, with identity (one object can be thrown in several places). */
    static final class MExc {
        final ExcKind kind;
        final String label;
        final MScope scope;
        final List<MExc> suppressed = new ArrayList<>();

        MExc(ExcKind kind, String label, MScope scope) {
            this.kind = kind;
            this.label = label;
            this.scope = scope;
        }

        static MExc io(String label) {
            return new MExc(ExcKind.IO, label, null);
        }

        static MExc cancelled(MScope scope) {
            return new MExc(ExcKind.CANCELLED, null, scope);
        }

        boolean isCancelled() {
            return kind == ExcKind.CANCELLED;
        }

        /** The same text as {@code RealInterpreter.describe} gives for the real exception. */
        String describe(Function<MScope, String> names) {
            String head = switch (kind) {
                case IO -> "IO(" + label + ")";
                case TIMEOUT -> "Timeout";
                case CANCELLED -> "Cancelled(" + names.apply(scope) + ")";
                case CANCELLATION_EXCEPTION -> "CancellationException";
            };
            if (suppressed.isEmpty()) return head;
            return head + suppressed.stream().map(e -> e.describe(names)).collect(Collectors.joining(",", "[+", "]"));
        }
    }

    /** How a block, statement or body ended; {@link #NORMAL} is "fell off the end". */
    record Completion(Kind kind, String value, MExc exc) {
        enum Kind { NORMAL, RETURN, THROW, SUSPENDED }

        static final Completion NORMAL = new Completion(Kind.NORMAL, null, null);
        static final Completion SUSPENDED = new Completion(Kind.SUSPENDED, null, null);

        static Completion ret(String value) {
            return new Completion(Kind.RETURN, value, null);
        }

        static Completion thr(MExc e) {
            return new Completion(Kind.THROW, null, e);
        }

        boolean isThrow() {
            return kind == Kind.THROW;
        }
    }
}
