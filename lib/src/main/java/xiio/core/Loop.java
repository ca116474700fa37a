package xiio.core;

import java.io.IOException;

/**
 * The event loop of one run, as the brief's pseudo-code has it:
 *
 * <pre>
 *     loop:
 *         main.resume(wakeup)      // runs until main waits (its wait is armed), or ends
 *         if main ended: return its result / rethrow its exception
 *         wakeup = poll(condition) // the only blocking call
 * </pre>
 *
 * A wakeup travels one way: the poller's result, the fd table (or the timer heap),
 * a waiter, its wait set, and so on up to main's waiter; then resumes travel down.
 */
final class Loop {
    private Loop() {}

    /** This is the event loop: resume main until it ends; between resumes, wait for what it waits for. */
    static <T> T run(Engine engine, Coroutine<T> main) throws Exception {
        engine.root = main;
        while (true) {
            main.resume();
            if (main.isDone()) {
                if (!SeededSchedule.ENABLED) return outcome(main);
                try {
                    return outcome(main);
                } catch (Throwable failure) {
                    engine.schedule.note(failure); // says which seed reproduces it
                    throw failure;
                }
            }
            try {
                engine.waitFor(main.waiter);
            } catch (IOException | InterruptedException failure) {
                // thrown into main at its suspension point, as a cancellation
                main.cancelScope().cancel(failure);
                // a second failure while main cleans up is thrown as itself
                main.waiter.fail(failure);
            }
            // Anything else out of the wait (a StackOverflowError while firing waiters, a
            // bug) leaves the engine's books half written: cleanup on them could hang, so
            // it ends the run at once, as itself.
        }
    }

    /** What run returns or throws for a main that ended: a cancellation caused by the wait's failure is that failure. */
    private static <T> T outcome(Coroutine<T> main) throws Exception {
        Throwable failure = main.failure();
        if (failure == null) return main.result();
        if (failure instanceof CancelledError c && c.scope() == main.rootScope && c.getCause() != null) {
            Throwable cause = c.getCause();
            if (cause instanceof InterruptedException) Thread.currentThread().interrupt();
            throw Xiio.sneaky(cause);
        }
        throw Xiio.sneaky(failure);
    }
}
