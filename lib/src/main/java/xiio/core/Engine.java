package xiio.core;

import java.io.IOException;

/**
 * What one {@link Xiio#run} caches for its duration: the poller, who waits on which
 * fd, and the timer heap. Nothing here outlives the run, nothing is global, and a
 * wakeup costs O(what became ready), never O(everything that waits).
 */
final class Engine implements AutoCloseable {
    /**
     * The fairness bound: the poller is consulted (fds collected, timers expired) after
     * at most this many resumes handed out by wait sets or of main, however deeply
     * groups nest and however many coroutines never really wait ...
     *
     * <p>Not fewer: each poll of level-triggered epoll reports again every fd that is
     * ready and whose coroutine is queued but not yet resumed. With 256 HTTP connections
     * ready and a poll every 64 resumes (two per request: the connection and its
     * disconnect watch), epoll reported 5.1 fds per request, 4 of them for nothing (a
     * tcp_poll in the kernel each, 9% of the server's CPU); every 256 resumes, 1.9
     * (JFR xiio.PollerWait over wrk -c256). The time bound below keeps timers prompt.
     */
    static final int MAX_RESUMES_BETWEEN_POLLS = 256;
    /**
     * ... and once this much time has passed on the run's clock since it last was,
     * within the next 8 resumes. The run's clock, not the wall clock: virtual time
     * stands still while coroutines run, so a virtual-clock test schedules the same
     * way on a slow machine as on a fast one.
     */
    static final long MAX_NANOS_BETWEEN_POLLS = 1_000_000;

    final Poller poller;
    final FdTable fds;
    final TimerHeap timers = new TimerHeap();
    /** Waiters of {@link AllTasksBlocked}: woken one at a time, when nothing else can run. */
    final WaiterList idle = new WaiterList();
    /** The seeded order of {@code -Dxiio.scheduleSeed}; null (and never read) when it is off. */
    final SeededSchedule schedule = SeededSchedule.ENABLED ? SeededSchedule.forRun() : null;
    /** The run's main coroutine, where task dumps start. */
    Coroutine<?> root;
    /** The thread driving the loop. */
    Thread thread;
    /** How other threads wake this run: opened by its first {@link ThreadSignal}, closed with it. */
    private ThreadInbox threadInbox;

    // what the slow-step watchdog reads (written only when it is enabled)
    volatile Coroutine<?> stepping;
    volatile long stepStart;
    long reportedStep;
    /** How many {@link Coroutine#resume()} calls are under way on the driving thread (see {@code Coroutine.MAX_NESTING}). */
    int nesting;
    private int resumesSincePoll;
    private long lastPoll;
    private boolean pollDue;

    static {
        // Any close through the syscall table, on a loop thread, tells that loop first.
        xiio.unix.sys.FileSyscalls.setCloseHook(fd -> {
            Coroutine<?> c = Coroutine.currentOrNull();
            if (c != null) {
                c.engine.fds.closing(fd, new java.io.IOException("fd " + fd + " was closed while a coroutine waited on it"));
            }
        });
        JitWarmUp.start();
    }

    Engine(Poller poller) {
        this.poller = poller;
        this.fds = new FdTable(poller);
        this.thread = Thread.currentThread();
        this.lastPoll = now();
        if (SlowStepWatchdog.ENABLED) SlowStepWatchdog.watch(this);
        if (poller instanceof RunView.Observer observer) {
            observer.attach(new RunView() {
                @Override
                public boolean waitsOnFds() {
                    return fds.hasWaiters() || threadInbox != null && threadInbox.otherWaits > 0;
                }

                @Override
                public boolean waitsOnThreads() {
                    return threadInbox != null && threadInbox.certainWaits > 0;
                }
            });
        }
    }

    /** A switch to {@code c} (or back to the loop, when null): stamps the step for the watchdog. */
    void step(Coroutine<?> c) {
        stepStart = System.nanoTime();
        stepping = c;
    }

    /** The run's {@link ThreadInbox}, opened on first use. */
    ThreadInbox threadInbox() throws IOException {
        if (threadInbox == null) fds.inbox = threadInbox = ThreadInbox.open(poller);
        return threadInbox;
    }

    long now() {
        return poller.nanoTime();
    }

    /**
     * Counts one resume about to happen and says whether the run should consult the
     * poller first. Once it says so it keeps saying so until the poller was consulted:
     * wait sets then hand out nothing, every scheduler awaits its set (fulfilled at
     * once), and control climbs to the loop, which polls without blocking.
     */
    boolean pollDue() {
        if (pollDue) return true;
        int n = ++resumesSincePoll;
        if (n >= MAX_RESUMES_BETWEEN_POLLS
                || (n & 7) == 0 && now() - lastPoll >= MAX_NANOS_BETWEEN_POLLS) {
            pollDue = true;
        }
        return pollDue;
    }

    /** Whether {@link #pollDue()} has said so since the poller was last consulted. */
    boolean isPollDue() {
        return pollDue;
    }

    /**
     * Blocks until {@code root}, main's armed waiter, fires. A root that fired while it
     * was being armed returns at once unless the fairness bound says to poll first (see
     * {@link #pollDue()}), so coroutines that never really wait cannot starve I/O and
     * timers.
     */
    void waitFor(Waiter root) throws IOException, InterruptedException {
        if (root.isFired() && !pollDue()) return;
        do {
            if (Thread.interrupted()) throw new InterruptedException("the thread driving Xiio.run was interrupted");
            if (root.isFired()) poll(0);
            else if (idle.size() > 0) pollOrWakeIdle(root);
            else poll(untilNextTimer());
        } while (!root.isFired());
        pollDue = false;
        resumesSincePoll = 0;
        lastPoll = now();
    }

    /**
     * Nothing is ready and someone waits for every other coroutine to be blocked: look
     * at the fds without blocking (and expire due timers), and if that woke nobody,
     * wake the newest idle waiter, before any timer could pass (or a virtual clock jump).
     */
    private void pollOrWakeIdle(Waiter root) throws IOException {
        poll(0);
        if (!root.isFired() && idle.size() > 0) idle.last().fire();
    }

    /** Nanoseconds until the earliest timer, or -1 for none. */
    private long untilNextTimer() {
        long earliest = timers.earliest();
        return earliest == Deadlines.NEVER ? -1 : Math.max(0, earliest - now());
    }

    /** One call of the poller (the JFR event, when recording, around it), then the timers that came due. */
    private void poll(long timeoutNanos) throws IOException {
        RuntimeEvents.PollerWait event = RuntimeEvents.pollerWaitBegins();
        fds.narrowUnwanted = timeoutNanos != 0;
        int ready = poller.wait(timeoutNanos, fds);
        if (event != null) RuntimeEvents.pollerWaitEnds(event, timeoutNanos, ready);
        if (timers.size() > 0) timers.expire(now());
    }

    @Override
    public void close() {
        if (SlowStepWatchdog.ENABLED) SlowStepWatchdog.unwatch(this);
        try {
            poller.close();
        } finally {
            if (threadInbox != null) threadInbox.close();
        }
    }
}
