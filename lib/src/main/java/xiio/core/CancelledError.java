package xiio.core;

/**
 * Thrown at a suspension point when the coroutine, or a {@link CancelScope} it runs
 * in, is cancelled.
 *
 * <p>It is an {@link Error}, not an {@link Exception}, on purpose: a
 * {@code catch (Exception e)} in user code must not silently swallow a cancellation
 * (a long-standing complaint about Kotlin's {@code CancellationException}; Python's
 * asyncio moved {@code CancelledError} out of {@code Exception} for the same reason,
 * and the JDK's own {@code ThreadDeath} was an {@code Error}). Code that catches it
 * should clean up and rethrow it. Cleanup may still suspend: a cancellation is
 * delivered once, not at every later suspension point.
 *
 * <p>It carries no stack trace unless the JVM runs with {@code -Dxiio.debug=true}.
 *
 * <p>Each instance names the scope it came from ({@link #scope()}); a scope only
 * ever absorbs its own cancellation, never one that came from outside it.
 */
public final class CancelledError extends Error {
    private static final long serialVersionUID = 1L;
    /**
     * Cancellations are control flow, often a million at once (a group of sleeping tasks
     * cancelled together): filling in a stack trace for each costs microseconds. Like
     * Kotlin's JobCancellationException, the trace is kept only in debug mode.
     */
    private static final boolean STACK_TRACES = Boolean.getBoolean("xiio.debug");
    private final transient CancelScope scope;
    private final boolean requested;

    /**
     * The message is made when asked for, not here: a group of a million sleeping tasks
     * cancelled at once makes a million of these, and most are never printed.
     */
    CancelledError(CancelScope scope, boolean requested, Throwable cause) {
        super(null, cause, true, STACK_TRACES);
        this.scope = scope;
        this.requested = requested;
    }

    /** Which scope was cancelled and why: "coroutine 'name' cancelled", "cancel scope deadline passed". */
    @Override
    public String getMessage() {
        return scope == null ? null : scope.describe(requested);
    }

    /** The scope whose cancellation this is. */
    public CancelScope scope() {
        return scope;
    }
}
