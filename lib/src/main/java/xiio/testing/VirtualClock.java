package xiio.testing;

import java.io.IOException;
import xiio.core.Poller;
import xiio.core.Readiness;
import xiio.core.Suspendable;
import xiio.core.Xiio;

/**
 * A poller with virtual time, for deterministic tests of timeouts and sleeps: when
 * nothing is ready, the clock jumps to the next deadline at once. Real fds still
 * work: they are polled first, and when nothing waits on a deadline the poller
 * blocks on them for real.
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
public final class VirtualClock implements Poller {
    private final Poller real;
    private long now;

    /** A virtual clock starting at 0 ns, over a new {@link Poller#system()} poller. */
    public VirtualClock() throws IOException {
        this.real = Poller.system();
    }

    /** Runs {@code main} on a new virtual clock; see {@link Xiio#run(Poller, Suspendable)}. */
    public static <T> T run(Suspendable<T> main) throws Exception {
        return Xiio.run(new VirtualClock(), main);
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
        if (n > 0 || timeoutNanos == 0) return n;
        if (timeoutNanos < 0) return real.wait(-1, sink);
        now += timeoutNanos;
        return 0;
    }

    @Override
    public void close() {
        real.close();
    }
}
