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

    /** The thread the body runs on, or null when it runs on whoever resumes it. */
    Thread thread();

    /** The stack of the suspended body, outermost frame last; empty when not suspended. */
    StackTraceElement[] stackTrace();
}
