package xiio.core;

/**
 * The body of a coroutine: plain Java code whose suspension points are ordinary
 * method calls ({@link Xiio#sleep}, {@link Xiio#await}, a read on a socket, ...).
 *
 * @param <T> what the body returns
 */
@FunctionalInterface
public interface Suspendable<T> {
    /** Runs the body; it may suspend any number of times. */
    T call() throws Exception;
}
