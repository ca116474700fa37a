package xiio.model;

import java.io.IOException;
import xiio.core.Poller;
import xiio.core.Readiness;
import xiio.testing.VirtualClock;

/**
 * The virtual clock, made to fail instead of hanging: a run whose tasks wait for
 * nothing that can ever happen (no deadline, no fd ready) would block in epoll_wait
 * forever; here the wait throws, which the run delivers into main like any failed
 * wait, so the trace shows the hang. Virtual time is capped for the same reason.
 */
final class GuardedClock implements Poller {
    private static final long LIMIT_NANOS = 3_600_000_000_000L; // an hour of virtual time
    private final VirtualClock clock;
    private IOException hang;

    GuardedClock() throws IOException {
        clock = new VirtualClock();
    }

    @Override
    public long nanoTime() {
        return clock.nanoTime();
    }

    @Override
    public int add(int fd, Readiness interest) {
        return clock.add(fd, interest);
    }

    @Override
    public int modify(int fd, Readiness interest) {
        return clock.modify(fd, interest);
    }

    @Override
    public void delete(int fd) {
        clock.delete(fd);
    }

    @Override
    public int wait(long timeoutNanos, ReadySink sink) throws IOException {
        if (timeoutNanos < 0) {
            int n = clock.wait(0, sink);
            if (n > 0) return n;
            // one instance: the run may deliver it again and again to a task that cannot end
            if (hang == null) hang = new IOException("hang: the run would block forever at " + nanoTime() / 1_000_000 + " ms");
            throw hang;
        }
        if (nanoTime() + timeoutNanos > LIMIT_NANOS) throw new IOException("virtual time ran past an hour");
        return clock.wait(timeoutNanos, sink);
    }

    @Override
    public void close() {
        clock.close();
    }
}
