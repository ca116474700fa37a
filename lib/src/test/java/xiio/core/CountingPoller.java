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
    public int add(int fd, Readiness interest) {
        return record("add", fd, interest, epoll.add(fd, interest));
    }

    @Override
    public int modify(int fd, Readiness interest) {
        return record("modify", fd, interest, epoll.modify(fd, interest));
    }

    @Override
    public void delete(int fd) {
        epoll.delete(fd);
        watches.add("delete fd " + fd);
    }

    private int record(String verb, int fd, Readiness interest, int r) {
        watches.add(verb + " fd " + fd + " " + interest + (r == 0 ? "" : " = " + r));
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
