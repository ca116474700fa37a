package xiio.core;

import java.io.IOException;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * A signal that any thread may {@link #signal} and coroutines of one run await: how
 * work handed to another thread (a {@code ThreadPool.call}, a {@code Futures.await})
 * tells its run it is done. The run wakes through its one eventfd
 * ({@link ThreadInbox}), shared by all its signals, so a signal costs no fd of its
 * own.
 *
 * <p>It is a {@link Condition}: fulfilled once signalled since the last
 * {@link #consume()}. Signals coalesce (many before the next consume count as one).
 * After {@link #close()} a signal does nothing: a worker that finishes after its
 * awaiting coroutine was cancelled cannot wake or touch any other wait, since each
 * signal is its own object.
 *
 * <p>A <em>certain</em> signal is one that is sure to come (a worker runs the job): a
 * virtual clock never jumps while a coroutine awaits one
 * ({@link RunView#waitsOnThreads()}), since work on another thread takes no virtual
 * time. Any other signal counts as a real-world wait ({@link RunView#waitsOnFds()}).
 *
 * {@snippet :
 * ThreadSignal done = ThreadSignal.open(true);
 * try {
 *     worker.start(() -> { compute(); done.signal(); });
 *     done.await();
 * } finally {
 *     done.close();
 * }
 * }
 */
public final class ThreadSignal extends Condition {
    private static final int IDLE = 0, QUEUED = 1, CLOSED = 2;
    private static final VarHandle STATE;

    static {
        try {
            STATE = MethodHandles.lookup().findVarHandle(ThreadSignal.class, "state", int.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private final Engine engine;
    private final ThreadInbox inbox;
    private final boolean certain;
    /** IDLE, QUEUED (on the inbox's stack) or CLOSED; the only field other threads touch. */
    @SuppressWarnings("unused") // through STATE
    private volatile int state;
    /** The inbox's stack link, written by the pusher before its CAS publishes it. */
    ThreadSignal next;
    // confined to the loop
    private boolean signalled;
    private final WaiterList waiters = new WaiterList();

    private ThreadSignal(Engine engine, boolean certain) throws IOException {
        this.engine = engine;
        this.inbox = engine.threadInbox();
        this.certain = certain;
    }

    /**
     * A new signal for the current run; with {@code certain}, one that is sure to come.
     *
     * @throws IllegalStateException outside {@link Xiio#run}
     * @throws IOException if the run's eventfd cannot be opened (its first signal opens it)
     */
    public static ThreadSignal open(boolean certain) throws IOException {
        return new ThreadSignal(Coroutine.current("ThreadSignal.open").engine, certain);
    }

    /**
     * From any thread: wakes whoever awaits this signal. Returns false, and does
     * nothing, once {@linkplain #close() closed}.
     */
    public boolean signal() {
        while (true) {
            int s = (int) STATE.getVolatile(this);
            if (s == CLOSED) return false;
            if (s == QUEUED) return true; // coalesces with the one on its way
            Coroutine<?> c = Coroutine.currentOrNull();
            if (c != null && c.engine == engine) { // on the loop itself: no need to wake it
                // the state stays as it is: only the drain may move QUEUED to IDLE, or a
                // second push of a signal still on the stack would break the stack's links
                arrived();
                return true;
            }
            if (STATE.compareAndSet(this, IDLE, QUEUED)) {
                inbox.post(this);
                return true;
            }
        }
    }

    /** On the loop, taken from the inbox's stack: back to IDLE (another thread may queue it again), then arrived. */
    void deliver() {
        if (STATE.compareAndSet(this, QUEUED, IDLE)) arrived(); // else closed meanwhile: nobody waits
    }

    private void arrived() {
        signalled = true;
        // fire() removes the waiter from this list, so take them from the end
        while (waiters.size() > 0) waiters.last().fire();
    }

    /** On the loop: whether it was signalled since the last consume; resets it. */
    public boolean consume() {
        boolean s = signalled;
        signalled = false;
        return s;
    }

    /**
     * Suspends until signalled since the last consume, and consumes the signal.
     * Cancel-safe: a cancelled await consumes nothing.
     *
     * @throws IOException if closed
     */
    public void await() throws IOException {
        while (!consume()) {
            if ((int) STATE.getVolatile(this) == CLOSED) throw new IOException("thread signal is closed");
            Xiio.await(this);
        }
    }

    /** On the loop: later signals do nothing. Idempotent. */
    public void close() {
        STATE.setVolatile(this, CLOSED);
        signalled = false;
    }

    @Override
    void arm(Engine engine, Waiter waiter) {
        if (engine != this.engine) {
            throw new IllegalStateException("this thread signal belongs to another Xiio.run; open one in the run that awaits it");
        }
        waiter.nextPart++;
        if (signalled) {
            waiter.fire();
            return;
        }
        waiters.add(waiter, waiter.nextPart - 1);
        if (certain) inbox.certainWaits++;
        else inbox.otherWaits++;
    }

    @Override
    void disarm(Engine engine, Waiter waiter) {
        int before = waiters.size();
        waiters.remove(waiter, waiter.nextPart++);
        if (waiters.size() < before) {
            if (certain) inbox.certainWaits--;
            else inbox.otherWaits--;
        }
    }

    @Override
    public String toString() {
        return "signalledByThread(" + (certain ? "certain" : "maybe") + ")";
    }
}
