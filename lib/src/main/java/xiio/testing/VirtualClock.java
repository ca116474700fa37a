package xiio.testing;

import java.io.IOException;
import java.time.Duration;
import java.util.Objects;
import xiio.core.Poller;
import xiio.core.Readiness;
import xiio.core.RunView;
import xiio.core.Suspendable;
import xiio.core.Xiio;

/**
 * A poller with virtual time, for deterministic tests of timeouts and sleeps: when
 * nothing is ready, the clock jumps to the next deadline at once.
 *
 * <p>What counts as "nothing is ready" for the real world: real fds are polled first,
 * every time. Work on another thread ({@code ThreadPool.call}, whose worker answers
 * through an eventfd) takes no virtual time: while a coroutine waits for it the clock
 * never jumps but blocks for real until the work answers, so a virtual timeout around
 * {@code ThreadPool.call} cannot fire before the work can answer. Other fds (a real
 * socket or pipe, a child's pidfd, a signal) may never answer, so by default the clock
 * does not wait for them: an hour-long virtual timeout on a silent socket fires at
 * once. An <em>autojump threshold</em> (trio's {@code MockClock(autojump_threshold=...)})
 * makes the clock first wait that long in real time for such an fd, for tests in which
 * a real peer answers a little later (a subprocess, a server on another thread).
 *
 * {@snippet :
 * VirtualClock.run(() -> {
 *     long t0 = Xiio.nanoTime();
 *     Xiio.sleep(Duration.ofHours(1));                 // returns at once
 *     assert Xiio.nanoTime() - t0 == Duration.ofHours(1).toNanos();
 *     return null;
 * });
 * }
 */
public final class VirtualClock implements Poller, RunView.Observer {
    private static final long NOT_WAITING = Long.MIN_VALUE;

    private final Poller real;
    private final long thresholdNanos;
    private RunView run;
    private long now;
    /** Real time at which the current stretch of waiting for the real world began. */
    private long waitingSince = NOT_WAITING;

    /** A virtual clock starting at 0 ns, over a new {@link Poller#system()} poller (epoll or io_uring), with no autojump threshold: silent fds do not hold time back. */
    public VirtualClock() throws IOException {
        this(0L);
    }

    /**
     * A virtual clock that, while a coroutine waits for an fd, waits up to
     * {@code autojumpThreshold} of real time for some fd to be ready before it jumps.
     *
     * @throws IllegalArgumentException if the threshold is negative
     */
    public VirtualClock(Duration autojumpThreshold) throws IOException {
        this(thresholdNanos(autojumpThreshold));
    }

    private VirtualClock(long thresholdNanos) throws IOException {
        this.thresholdNanos = thresholdNanos; // checked before the poller exists, so a bad one leaks nothing
        this.real = Poller.system();
    }

    private static long thresholdNanos(Duration threshold) {
        Objects.requireNonNull(threshold, "autojumpThreshold");
        if (threshold.isNegative()) {
            throw new IllegalArgumentException("autojumpThreshold must not be negative, got " + threshold);
        }
        return threshold.compareTo(Duration.ofDays(365)) > 0 ? Long.MAX_VALUE : threshold.toNanos();
    }

    /** Runs {@code main} on a new virtual clock; see {@link Xiio#run(Poller, Suspendable)}. */
    public static <T> T run(Suspendable<T> main) throws Exception {
        return Xiio.run(new VirtualClock(), main);
    }

    /** Runs {@code main} on a new virtual clock with the given {@linkplain #VirtualClock(Duration) autojump threshold}. */
    public static <T> T run(Duration autojumpThreshold, Suspendable<T> main) throws Exception {
        return Xiio.run(new VirtualClock(autojumpThreshold), main);
    }

    @Override
    public void attach(RunView run) {
        this.run = run;
    }

    @Override
    public long nanoTime() {
        return now;
    }

    @Override
    public int add(int fd, Readiness interest) {
        return real.add(fd, interest);
    }

    @Override
    public int modify(int fd, Readiness interest) {
        return real.modify(fd, interest);
    }

    @Override
    public void delete(int fd) {
        real.delete(fd);
    }

    @Override
    public int wait(long timeoutNanos, ReadySink sink) throws IOException {
        int n = real.wait(0, sink);
        if (n > 0 || timeoutNanos == 0) return readyNow(n);
        if (timeoutNanos < 0) return real.wait(-1, sink); // no deadline to jump to
        // Return even when nothing came: the run calls again (noticing an interrupt
        // meanwhile), and the next call knows how long it has waited.
        // work on another thread, or an io_uring operation the kernel completes by itself
        // (a file read), takes no virtual time: block for real until it answers
        if (run != null && run.waitsOnThreads() || real.awaitsKernel()) return readyNow(real.wait(-1, sink));
        if (thresholdNanos > 0 && run != null && run.waitsOnFds()) {
            long left = realTimeLeft();
            if (left > 0) return readyNow(real.wait(left, sink));
        }
        waitingSince = NOT_WAITING;
        now += timeoutNanos;
        return 0;
    }

    private int readyNow(int n) {
        if (n > 0) waitingSince = NOT_WAITING;
        return n;
    }

    /** How much longer to wait for an fd before jumping. */
    private long realTimeLeft() {
        long t = System.nanoTime();
        if (waitingSince == NOT_WAITING) waitingSince = t;
        return Math.max(0, thresholdNanos - (t - waitingSince));
    }

    /** The wrapped poller's: operations on io_uring work under virtual time too. */
    @Override
    public xiio.core.RingOps ringOps() {
        return real.ringOps();
    }

    @Override
    public boolean awaitsKernel() {
        return real.awaitsKernel();
    }

    @Override
    public void close() {
        real.close();
    }
}
