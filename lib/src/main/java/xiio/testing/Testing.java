package xiio.testing;

import java.io.IOException;
import xiio.core.AllTasksBlocked;
import xiio.core.Xiio;

/**
 * Helpers for tests of concurrent code, on any poller.
 *
 * {@snippet :
 * TaskGroup.scope(g -> {
 *     Event go = new Event();
 *     Task<?> worker = g.spawn(() -> { go.await(); return null; });
 *     Testing.waitAllTasksBlocked();       // the worker ran as far as it could
 *     assert !worker.isDone();             // ... and nothing happened without the event
 *     go.set();
 *     return null;
 * });
 * }
 */
public final class Testing {
    private Testing() {}

    /**
     * Suspends until every other coroutine of the run is blocked (trio's
     * {@code wait_all_tasks_blocked}): none is ready to run, and a look at the fds that
     * does not block found none ready either. Coroutines waiting for a deadline count
     * as blocked, and this returns before the deadline passes: under a
     * {@link VirtualClock} time stands still until it returns. When several coroutines
     * call it, they return one at a time, each once all the others are blocked.
     *
     * @throws xiio.core.CancelledError if cancelled while waiting
     * @throws IllegalStateException outside {@link Xiio#run}
     */
    public static void waitAllTasksBlocked() {
        try {
            Xiio.await(AllTasksBlocked.condition());
        } catch (IOException impossible) {
            throw new IllegalStateException("waiting for the other tasks failed", impossible);
        }
    }
}
