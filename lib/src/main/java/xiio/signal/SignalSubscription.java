package xiio.signal;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayDeque;
import java.util.Collections;
import java.util.EnumSet;
import java.util.Iterator;
import java.util.NoSuchElementException;
import java.util.Set;
import java.util.function.Consumer;
import xiio.core.Condition;
import xiio.core.Xiio;
import xiio.unix.ErrnoException;
import xiio.unix.sys.FileSyscalls;
import xiio.unix.sys.OwnedFd;

/**
 * Signals as an async stream: while it is open, every arrival of one of its signals
 * is queued here and wakes a coroutine waiting in {@link #receive()}. Closing it
 * restores the handlers that were in place before (once no other subscription to
 * the same signal is open). Several subscriptions to one signal all receive it.
 *
 * {@snippet :
 * try (SignalSubscription signals = Signals.subscribe(Signal.SIGHUP, Signal.SIGUSR1)) {
 *     for (Signal s : signals) {          // suspends between signals
 *         if (s == Signal.SIGHUP) reloadConfiguration();
 *         else dumpStatistics();
 *     }
 * }
 * }
 *
 * <p>The queue is bounded ({@value #MAX_PENDING} signals); beyond that, arrivals are
 * dropped and counted in {@link #dropped()}. The kernel itself merges a standard
 * signal that arrives while the same one is pending, so a count of arrivals was
 * never exact. Receive from one run; {@link #close()} from that run too, or after it
 * (closing wakes a waiting receiver, which then ends its iteration).
 */
public final class SignalSubscription implements AutoCloseable, Iterable<Signal> {
    /** How many undelivered signals are kept before new ones are dropped. */
    public static final int MAX_PENDING = 1024;

    /** eventfd adds a host-order uint64 to its counter; any non-zero value wakes the reader. */
    private static final byte[] ONE = ByteBuffer.allocate(8).order(ByteOrder.nativeOrder()).putLong(1).array();

    private final Set<Signal> signals;
    private final OwnedFd eventFd;
    private final byte[] drain = new byte[8];
    // guarded by this: the JVM's handler threads add, the loop takes
    private final ArrayDeque<Signal> pending = new ArrayDeque<>();
    private boolean closed;
    private long dropped;
    /** Run on the handler thread for each arrival, after it is queued (the run helper's second-signal exit). */
    private final Consumer<Signal> onArrival;

    /**
     * Opens a subscription to {@code wanted}. With {@code skipUnavailable}, signals the
     * JVM refuses or the process ignores are left out instead of failing.
     * {@code onArrival}, if not null, runs on the JVM's handler thread for each arrival.
     */
    SignalSubscription(Set<Signal> wanted, boolean skipUnavailable, Consumer<Signal> onArrival) throws ErrnoException {
        if (wanted.isEmpty()) throw new IllegalArgumentException("subscribe to at least one signal");
        this.onArrival = onArrival;
        EnumSet<Signal> added = EnumSet.noneOf(Signal.class);
        this.eventFd = new OwnedFd(FileSyscalls.get().eventfd(), "signal eventfd");
        try {
            for (Signal s : wanted) {
                try {
                    SignalDispatch.add(s, this);
                    added.add(s);
                } catch (IllegalArgumentException | IllegalStateException unavailable) {
                    if (!skipUnavailable) throw unavailable;
                }
            }
        } catch (RuntimeException | Error e) {
            for (Signal s : added) SignalDispatch.remove(s, this);
            eventFd.close();
            throw e;
        }
        this.signals = Collections.unmodifiableSet(added);
    }

    /** The signals this subscription receives. */
    public Set<Signal> signals() {
        return signals;
    }

    /**
     * Suspends until one of the signals arrives (or one is already queued) and
     * returns it, oldest first (the JVM runs each signal's handler on a thread of its
     * own, so two signals arriving together may be queued in either order).
     * Cancel-safe: a cancelled receive takes nothing.
     *
     * @throws IOException if the subscription is closed, also while waiting
     */
    public Signal receive() throws IOException {
        Condition readable = Condition.readable(eventFd.fd());
        while (true) {
            Signal s = poll();
            if (s != null) return s;
            try {
                Xiio.await(readable);
            } catch (IOException e) {
                if (isClosed()) throw closedError();
                throw e;
            }
            synchronized (this) {
                if (closed) throw closedError();
                // reset the counter; EAGAIN just means another receiver got here first
                FileSyscalls.get().read(eventFd.fd(), drain, 0, 8);
            }
        }
    }

    /**
     * The oldest queued signal, or {@code null} if none has arrived; never suspends.
     *
     * @throws IOException if the subscription is closed
     */
    public Signal poll() throws IOException {
        synchronized (this) {
            if (closed) throw closedError();
            return pending.poll();
        }
    }

    /** Whether {@link #close()} was called. */
    public synchronized boolean isClosed() {
        return closed;
    }

    /** How many signals were dropped because {@value #MAX_PENDING} were already queued. */
    public synchronized long dropped() {
        return dropped;
    }

    /**
     * Iterates over arriving signals; {@code hasNext()} suspends until one arrives and
     * returns {@code false} once the subscription is closed. An I/O failure of the
     * wait is thrown as {@link UncheckedIOException}.
     */
    @Override
    public Iterator<Signal> iterator() {
        return new Iterator<>() {
            private Signal next;

            @Override
            public boolean hasNext() {
                if (next != null) return true;
                try {
                    next = receive();
                    return true;
                } catch (IOException e) {
                    if (isClosed()) return false;
                    throw new UncheckedIOException(e);
                }
            }

            @Override
            public Signal next() {
                if (!hasNext()) throw new NoSuchElementException("the signal subscription is closed");
                Signal s = next;
                next = null;
                return s;
            }
        };
    }

    /**
     * Stops receiving, restores the previous handlers of signals no other
     * subscription wants, closes the eventfd, and fails a coroutine waiting in
     * {@link #receive()}. Idempotent.
     */
    @Override
    public void close() {
        synchronized (this) {
            if (closed) return;
            // after this, no handler thread writes to the eventfd, so it may be closed and reused
            closed = true;
            pending.clear();
        }
        for (Signal s : signals) SignalDispatch.remove(s, this);
        eventFd.close(); // on the loop's thread, or after the run: the syscall table tells the loop
    }

    /** Called on the JVM's handler thread for each arrival. */
    void deliver(Signal s) {
        synchronized (this) {
            if (closed) return;
            if (pending.size() < MAX_PENDING) pending.add(s);
            else dropped++;
            // fails only with EAGAIN once 2^64-2 wakeups are unread: the reader is awake anyway
            FileSyscalls.get().write(eventFd.fd(), ONE, 0, 8);
        }
        if (onArrival != null) onArrival.accept(s);
    }

    private IOException closedError() {
        return new IOException("the subscription to " + signals + " is closed");
    }

    @Override
    public String toString() {
        return "SignalSubscription" + signals + (isClosed() ? " (closed)" : "");
    }
}
