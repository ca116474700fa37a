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
 * <p>Each instance names the scope it came from ({@link #scope()}); a scope only
 * ever absorbs its own cancellation, never one that came from outside it.
 */
public final class CancelledError extends Error {
    private static final long serialVersionUID = 1L;
    private final transient CancelScope scope;

    CancelledError(CancelScope scope, String message, Throwable cause) {
        super(message, cause);
        this.scope = scope;
    }

    /** The scope whose cancellation this is. */
    public CancelScope scope() {
        return scope;
    }
}
