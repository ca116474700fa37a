package xiio.core;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import xiio.unix.ErrnoException;
import xiio.unix.sys.FileSyscalls;
import xiio.unix.sys.OwnedFd;

/**
 * How other threads reach one run: a single eventfd, opened at the run's first
 * {@link ThreadSignal} and closed when the run ends, and a lock-free stack of the
 * signals they raised. The loop watches the eventfd like any fd; when it is readable
 * the loop resets it and delivers every queued signal, so a thread's answer costs
 * the worker one write and the loop one read, with no fd opened, registered or
 * closed per call (it was eventfd2, epoll_ctl ADD, write, read, epoll_ctl DEL and
 * close, about 30 us of loop CPU).
 *
 * <p>Signals coalesce: only the push that finds the stack empty writes the eventfd;
 * the others ride on the wake-up it causes. The loop reads the eventfd before it
 * takes the stack, so a push after the take finds the stack empty and writes again:
 * no wake-up is lost, and at worst one is spurious (the read then resets it, so the
 * loop never spins).
 *
 * <p>The eventfd is written only under this object's lock, and {@link #close} retires
 * it under the same lock before closing it: a signal that comes after its run ended
 * writes nothing, and can never write to whatever fd reuses the number.
 */
final class ThreadInbox implements AutoCloseable {
    private static final VarHandle HEAD;
    private static final byte[] ONE = {1, 0, 0, 0, 0, 0, 0, 0}; // eventfd counter += 1 (little-endian u64)

    static {
        try {
            HEAD = MethodHandles.lookup().findVarHandle(ThreadInbox.class, "head", ThreadSignal.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    /** The eventfd the loop watches; read by the loop, written (under the lock) by signallers. */
    final int fd;
    private final OwnedFd owned;
    @SuppressWarnings("unused") // through HEAD
    private volatile ThreadSignal head;
    private boolean closed; // guarded by this
    private final byte[] drain = new byte[8];
    // confined to the loop: armed waits on signals, for the virtual clock (RunView)
    int certainWaits, otherWaits;

    private ThreadInbox(OwnedFd owned) {
        this.owned = owned;
        this.fd = owned.fd();
    }

    /** Opens the eventfd and registers it for reading for the rest of the run. */
    static ThreadInbox open(Poller poller) throws ErrnoException {
        OwnedFd fd = new OwnedFd(FileSyscalls.get().eventfd(), "thread wake-up eventfd");
        int r = poller.add(fd.fd(), Readiness.READ);
        if (r != 0) {
            int number = fd.fd();
            fd.close();
            throw new ErrnoException("register the thread wake-up eventfd " + number, -r);
        }
        return new ThreadInbox(fd);
    }

    /** From any thread: queues {@code s} (its state already says so) and wakes the loop if the queue was empty. */
    void post(ThreadSignal s) {
        ThreadSignal h;
        do {
            h = (ThreadSignal) HEAD.getVolatile(this);
            s.next = h;
        } while (!HEAD.compareAndSet(this, h, s));
        if (h == null) wake();
    }

    private synchronized void wake() {
        if (!closed) FileSyscalls.get().write(fd, ONE, 0, ONE.length);
    }

    /** On the loop, when the eventfd is readable: resets it, then delivers every queued signal. */
    void drain() {
        FileSyscalls.get().read(fd, drain, 0, drain.length); // first, so a later push writes again
        ThreadSignal s = (ThreadSignal) HEAD.getAndSet(this, null);
        while (s != null) {
            ThreadSignal next = s.next;
            s.next = null;
            s.deliver();
            s = next;
        }
    }

    /** At the run's end, after the poller closed: later signals write nothing. */
    @Override
    public void close() {
        synchronized (this) {
            closed = true;
        }
        owned.close();
    }
}
