package xiio.core;

/**
 * What a poller may ask about the run it serves, on the loop thread while the run
 * calls it: the questions a poller with virtual time (such as
 * {@code xiio.testing.VirtualClock}) needs answered before it lets time jump. A real
 * poller needs none of this and never sees it.
 */
public interface RunView {

    /**
     * Whether some coroutine of the run waits for an fd to become ready: a wait the
     * real world answers (a socket, a pipe, a child's pidfd, a signal, a
     * {@link ThreadSignal} that is not certain, such as a {@code Futures.await}),
     * which virtual time cannot satisfy. Registrations the run keeps cached
     * for fds nobody waits on do not count. Costs O(highest fd in use).
     */
    boolean waitsOnFds();

    /**
     * Whether some coroutine waits for work on another thread to finish (a
     * certain {@link ThreadSignal}: a {@code ThreadPool.call}), which is sure to answer.
     * Costs O(1).
     */
    boolean waitsOnThreads();

    /** A poller that wants to see its run: the run calls {@link #attach} once, before main starts. */
    interface Observer {
        /** Called once by the run that owns this poller, before main starts. */
        void attach(RunView run);
    }
}
