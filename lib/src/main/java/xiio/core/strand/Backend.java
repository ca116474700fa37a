package xiio.core.strand;

/** Creates strands and suspends the current one; one implementation per coroutine mechanism. */
public interface Backend {
    /**
     * A new strand that will call {@code entry.accept(owner)}; {@code owner} is also what
     * {@link #current()} returns inside it. A static {@code entry} costs no allocation.
     */
    Strand create(Object owner, String name, java.util.function.Consumer<Object> entry);

    /** Suspends the strand that calls it, returning control to whoever resumed it. */
    void suspend();

    /** The owner of the strand running on this thread, or null outside any strand. */
    Object current();

    /** Whether the loop must be driven from a virtual thread. */
    boolean needsVirtualDriver();

    /** A short name: {@code continuation} or {@code vthread}. */
    String name();
}
