package xiio.core;

import java.util.Arrays;
import xiio.unix.Errno;
import xiio.unix.ErrnoException;

/**
 * Who waits on which fd, and what the kernel was last told about it.
 *
 * <p>Facts about epoll this table is built around:
 * <ul>
 * <li>Registrations are level-triggered and cached for the whole run. Arming a wait
 *     that the kernel already watches costs no syscall, so an echo loop (wait
 *     readable, read, write, wait readable, ...) makes no epoll_ctl per message.
 * <li>Interest is narrowed lazily: only when an event nobody waits for arrives in a
 *     poll that was allowed to block, that is, when no coroutine of the run was ready.
 *     Narrowing at every disarm would cost two epoll_ctl per message, and so would
 *     narrowing in the fairness bound's non-blocking polls, which come while woken
 *     coroutines are still queued: a readable socket whose reader is about to run and
 *     wait again is reported once more meanwhile (the echo benchmark showed 1.8
 *     epoll_ctl per round trip).
 * <li>EPOLLERR and EPOLLHUP are reported even for an empty interest mask, so an fd
 *     nobody waits on is deleted, not modified to 0, or a hung-up pipe spins.
 * <li>Closing an fd removes it from epoll only when no dup of it is open, and our cache
 *     would then say "registered" for a new fd that reuses the number, so its waiters
 *     would sleep forever (a random task-tree test found this). Every close through
 *     the syscall table therefore tells the loop first ({@link #closing}), which
 *     deletes the registration while the number is still ours. An fd closed any other
 *     way (a JDK channel, JNI, libc's close) leaves the cache stale, and it is repaired
 *     only when a wait needs more than the cache says is registered (MOD answers
 *     ENOENT, and we ADD): a wait for what the cache already covers is not
 *     re-registered and sees nothing until its deadline. Checking the kernel at every
 *     wait would cost the epoll_ctl per message this cache exists to save, so the rule
 *     is the documented one: call {@code Xiio.closing(fd)} before closing an fd by
 *     other means ({@code FdMisuseTest} shows both).
 * <li>Regular files cannot be registered (EPERM): they are always "ready", so a wait
 *     on one is fulfilled at once and the read that follows does disk I/O in place.
 * </ul>
 */
final class FdTable implements Poller.ReadySink {
    private static final class Slot {
        Readiness registered = Readiness.NONE;
        boolean alwaysReady;
        final WaiterList readers = new WaiterList();
        final WaiterList writers = new WaiterList();

        Readiness wanted() {
            return Readiness.of(readers.size() > 0, writers.size() > 0);
        }
    }

    private final Poller poller;
    private Slot[] slots = new Slot[1024];
    /** The run's thread wake-up eventfd, if open: registered for the whole run, outside the slots. */
    ThreadInbox inbox;
    /** Whether the poll now reporting may narrow interest: it could block, so nobody was ready. */
    boolean narrowUnwanted;

    FdTable(Poller poller) {
        this.poller = poller;
    }

    void add(int fd, Interest interest, Waiter w, int part) {
        if (fd >= slots.length) slots = Arrays.copyOf(slots, Math.max(fd + 1, slots.length * 2));
        Slot s = slots[fd];
        if (s == null) slots[fd] = s = new Slot();
        if (s.alwaysReady) {
            w.fire();
            return;
        }
        (interest == Interest.READ ? s.readers : s.writers).add(w, part);
        Readiness wanted = s.wanted();
        if (s.registered.containsAll(wanted)) return;
        Readiness mask = s.registered.union(wanted);
        int r = s.registered.isEmpty() ? poller.add(fd, mask) : poller.modify(fd, mask);
        if (r == 0) {
            s.registered = mask;
        } else if (r == -Errno.EPERM) {
            s.alwaysReady = true;
            w.fire();
        } else {
            remove(fd, interest, w, part);
            w.fail(new ErrnoException("wait for fd " + fd + " to be "
                    + (interest == Interest.READ ? "readable" : "writable"), -r));
        }
    }

    void remove(int fd, Interest interest, Waiter w, int part) {
        Slot s = fd < slots.length ? slots[fd] : null;
        if (s != null) (interest == Interest.READ ? s.readers : s.writers).remove(w, part);
    }

    @Override
    public void ready(int fd, Readiness ready) {
        if (inbox != null && fd == inbox.fd) {
            inbox.drain();
            return;
        }
        Slot s = fd < slots.length ? slots[fd] : null;
        if (s == null) {
            poller.delete(fd);
            return;
        }
        boolean woke = false;
        if (ready.readable() && s.readers.size() > 0) {
            woke = true;
            fireAll(s.readers);
        }
        if (ready.writable() && s.writers.size() > 0) {
            woke = true;
            fireAll(s.writers);
        }
        if (!woke && narrowUnwanted) {
            Readiness wanted = s.wanted();
            // Record the narrower interest only if the kernel took it: the event is
            // level-triggered, so forgetting a registration the kernel kept would make
            // every epoll_wait return at once, forever (a fault-injection test found it).
            // Nobody waiting is a delete, not a modify to nothing: EPOLLERR and EPOLLHUP
            // come even for an empty mask, so a hung-up pipe would spin.
            if (wanted == Readiness.NONE) {
                poller.delete(fd);
                s.registered = wanted;
            } else if (wanted != s.registered && poller.modify(fd, wanted) == 0) {
                s.registered = wanted;
            }
        }
    }

    /**
     * {@code fd} is about to be closed: forget its registration and fail whoever waits
     * on it with {@code error}, so no wait hangs on an fd that no longer exists.
     */
    void closing(int fd, Throwable error) {
        Slot s = fd >= 0 && fd < slots.length ? slots[fd] : null;
        if (s == null) return;
        if (!s.registered.isEmpty()) poller.delete(fd);
        s.registered = Readiness.NONE;
        s.alwaysReady = false;
        while (s.readers.size() > 0) s.readers.last().fail(error);
        while (s.writers.size() > 0) s.writers.last().fail(error);
    }

    /** Whether some coroutine waits on some fd (cached registrations without waiters do not count). */
    boolean hasWaiters() {
        for (Slot s : slots) {
            if (s != null && (s.readers.size() > 0 || s.writers.size() > 0)) return true;
        }
        return false;
    }

    /** Fires every waiter of {@code list}; each fire() removes its entry. */
    private static void fireAll(WaiterList list) {
        while (list.size() > 0) list.last().fire();
    }
}
