package xiio.core;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/** The epoll poller, recording every change of interest it is asked for (the fd table's epoll_ctl). */
final class CountingPoller implements Poller {
    final Poller epoll = Poller.epoll();
    final List<String> watches = new ArrayList<>();

    CountingPoller() throws IOException {}

    @Override
    public long nanoTime() {
        return epoll.nanoTime();
    }

    @Override
    public int watch(int fd, int oldMask, int newMask) {
        int r = epoll.watch(fd, oldMask, newMask);
        watches.add("fd " + fd + ": " + oldMask + " -> " + newMask + (r == 0 ? "" : " = " + r));
        return r;
    }

    @Override
    public int wait(long timeoutNanos, ReadySink sink) throws IOException {
        return epoll.wait(timeoutNanos, sink);
    }

    @Override
    public void close() {
        epoll.close();
    }
}
