package xiio.core;

import java.io.IOException;

/**
 * What one {@link Xiio#run} caches for its duration: the poller, who waits on which
 * fd, and the timer heap. Nothing here outlives the run, nothing is global, and a
 * wakeup costs O(what became ready), never O(everything that waits).
 */
final class Engine implements AutoCloseable {
    /** After this many waits that were fulfilled at once, look at the fds anyway. */
    private static final int FAIRNESS_ROUNDS = 64;

    final Poller poller;
    final FdTable fds;
    final TimerHeap timers = new TimerHeap();
    boolean rootFired;
    /** The run's main coroutine, where task dumps start. */
    Coroutine<?> root;
    /** The thread driving the loop. */
    Thread thread;

    // what the slow-step watchdog reads (written only when it is enabled)
    volatile Coroutine<?> stepping;
    volatile long stepStart;
    long reportedStep;
    private int immediateRounds;

    static {
        // Any close through the syscall table, on a loop thread, tells that loop first.
        xiio.unix.FileSyscalls.setCloseHook(fd -> {
            Coroutine<?> c = Coroutine.currentOrNull();
            if (c != null) {
                c.engine.fds.closing(fd, new java.io.IOException("fd " + fd + " was closed while a coroutine waited on it"));
            }
        });
    }

    Engine(Poller poller) {
        this.poller = poller;
        this.fds = new FdTable(poller);
        this.thread = Thread.currentThread();
        if (SlowStepWatchdog.ENABLED) SlowStepWatchdog.watch(this);
    }

    /** A switch to {@code c} (or back to the loop, when null): stamps the step for the watchdog. */
    void step(Coroutine<?> c) {
        stepStart = System.nanoTime();
        stepping = c;
    }

    long now() {
        return poller.nanoTime();
    }

    /**
     * Blocks until the armed root waiter fires. A root that fired while it was being
     * armed returns at once, except every {@value #FAIRNESS_ROUNDS}th time, when ready
     * fds are collected too, so a coroutine that never really waits cannot starve I/O.
     */
    void waitForRoot() throws IOException, InterruptedException {
        if (rootFired && ++immediateRounds < FAIRNESS_ROUNDS) return;
        immediateRounds = 0;
        do {
            if (Thread.interrupted()) throw new InterruptedException("the thread driving Xiio.run was interrupted");
            long timeout = 0;
            if (!rootFired) {
                long earliest = timers.earliest();
                timeout = earliest == Deadlines.NEVER ? -1 : Math.max(0, earliest - now());
            }
            RuntimeEvents.pollerWait(poller, timeout, fds);
            if (timers.size() > 0) timers.expire(now());
        } while (!rootFired);
    }

    @Override
    public void close() {
        if (SlowStepWatchdog.ENABLED) SlowStepWatchdog.unwatch(this);
        poller.close();
    }
}
