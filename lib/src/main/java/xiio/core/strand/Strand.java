package xiio.core.strand;

/**
 * A one-shot stackful coroutine: the small interface behind which the two backends
 * sit. {@link #resume()} runs the body until it calls {@link Backend#suspend()} or
 * ends, and returns then; strictly one side runs at a time.
 */
public interface Strand {
    /** Runs the body until its next suspension or its end. */
    void resume();

    /** Whether the body has ended. */
    boolean isDone();

    /** The stack of the suspended body, outermost frame last; empty when not suspended. */
    StackTraceElement[] stackTrace();
}
