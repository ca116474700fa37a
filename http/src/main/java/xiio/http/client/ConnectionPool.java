package xiio.http.client;

import java.io.IOException;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;
import xiio.core.Promise;
import xiio.core.Xiio;

/**
 * The connections of one client, by origin, within two limits: at most
 * {@code maxPerOrigin} open to one origin and {@code maxTotal} open in all (leased,
 * idle or being opened). A request takes the most recently returned idle connection
 * to its origin, else opens one if both limits allow (closing the longest-idle
 * connection to another origin to make room under the total), else waits.
 *
 * <p><b>Idle eviction without a background task.</b> The loop is stateless: nothing
 * runs that the user did not start, so there is no janitor. Every acquire and release
 * first closes the connections idle for longer than {@code idleTimeout} (oldest first,
 * an O(expired) scan of the deque heads), and {@link #evictIdle} does it on demand.
 *
 * <p><b>Waiting.</b> Whoever waits awaits one shared promise, completed and replaced
 * whenever a connection is returned or closed; every waiter then looks again. This
 * wakes waiters that cannot proceed too, but it is cancel-safe without bookkeeping: a
 * cancelled waiter leaves nothing behind that another must hand on.
 */
final class ConnectionPool {
    /** Opens a connection to an origin. */
    @FunctionalInterface
    interface Connector {
        PooledConnection connect(Origin origin) throws IOException;
    }

    /** The connections to one origin. */
    private static final class Slot {
        int open;                                                 // leased, idle or connecting
        final ArrayDeque<PooledConnection> idle = new ArrayDeque<>(); // oldest first
    }

    private final int maxPerOrigin, maxTotal;
    private final long idleNanos;
    private final Map<Origin, Slot> slots = new HashMap<>();
    private int total, idleCount, waiting;
    private long opened;
    private Promise<Void> changed = new Promise<>();
    private boolean closed;

    ConnectionPool(int maxPerOrigin, int maxTotal, long idleNanos) {
        this.maxPerOrigin = maxPerOrigin;
        this.maxTotal = maxTotal;
        this.idleNanos = idleNanos;
    }

    /**
     * A connection to {@code origin}: an idle one, or a new one from {@code connector};
     * waits while a limit is reached. {@code fresh} skips idle connections (a retry
     * after a reused one failed).
     *
     * @throws IllegalStateException if the pool is closed
     */
    PooledConnection acquire(Origin origin, boolean fresh, Connector connector) throws IOException {
        while (true) {
            checkOpen();
            evictIdle();
            Slot slot = slots.computeIfAbsent(origin, o -> new Slot());
            if (!fresh && !slot.idle.isEmpty()) {
                PooledConnection c = slot.idle.pollLast();
                idleCount--;
                c.exchanges++;
                return c;
            }
            if (slot.open < maxPerOrigin && (total < maxTotal || closeLongestIdle())) {
                return open(origin, slot, connector);
            }
            if (fresh && !slot.idle.isEmpty()) { // at the origin's limit: trade an idle one for a fresh one
                discard(slot, slot.idle.pollFirst());
                continue;
            }
            waiting++;
            try {
                Xiio.await(changed.condition());
            } finally {
                waiting--;
            }
        }
    }

    private PooledConnection open(Origin origin, Slot slot, Connector connector) throws IOException {
        slots.putIfAbsent(origin, slot); // making room may have closed this origin's last idle connection, and forgotten it
        slot.open++;
        total++;
        boolean ok = false;
        try {
            PooledConnection c = connector.connect(origin);
            c.exchanges = 1;
            opened++;
            ok = true;
            return c;
        } finally {
            if (!ok) { // failed or cancelled while connecting: the place is free again
                slot.open--;
                total--;
                forgetIfEmpty(origin, slot);
                signal();
            }
        }
    }

    /**
     * Returns a leased connection: back to the idle connections if {@code reusable}
     * (its last exchange ended cleanly and both sides keep it alive), else closed.
     */
    void release(PooledConnection c, boolean reusable) {
        Slot slot = slots.get(c.origin);
        if (slot == null) throw new IllegalStateException("not a connection of this pool: " + c);
        if (reusable && !closed && !c.isClosed() && idleNanos > 0) {
            c.idleSince = Xiio.nanoTime();
            slot.idle.addLast(c);
            idleCount++;
        } else {
            c.close();
            slot.open--;
            total--;
            forgetIfEmpty(c.origin, slot);
        }
        signal();
        evictIdle();
    }

    /** Closes every connection idle for longer than the idle timeout. */
    void evictIdle() {
        if (idleCount == 0) return;
        long now = Xiio.nanoTime();
        for (Iterator<Map.Entry<Origin, Slot>> it = slots.entrySet().iterator(); it.hasNext(); ) {
            Map.Entry<Origin, Slot> e = it.next();
            Slot slot = e.getValue();
            boolean evicted = false;
            while (!slot.idle.isEmpty() && now - slot.idle.peekFirst().idleSince >= idleNanos) {
                closeIdle(slot, slot.idle.pollFirst());
                evicted = true;
            }
            if (slot.open == 0) it.remove();
            if (evicted) signal();
        }
    }

    /** Closes the connection idle longest, of any origin, to make room; false if none is idle. */
    private boolean closeLongestIdle() {
        Origin oldestOrigin = null;
        long oldest = Long.MAX_VALUE;
        for (Map.Entry<Origin, Slot> e : slots.entrySet()) {
            PooledConnection head = e.getValue().idle.peekFirst();
            if (head != null && head.idleSince - oldest < 0) {
                oldest = head.idleSince;
                oldestOrigin = e.getKey();
            }
        }
        if (oldestOrigin == null) return false;
        Slot slot = slots.get(oldestOrigin);
        closeIdle(slot, slot.idle.pollFirst());
        forgetIfEmpty(oldestOrigin, slot);
        return true;
    }

    private void discard(Slot slot, PooledConnection c) {
        closeIdle(slot, c);
        signal();
    }

    private void closeIdle(Slot slot, PooledConnection c) {
        idleCount--;
        slot.open--;
        total--;
        c.close();
    }

    private void forgetIfEmpty(Origin origin, Slot slot) {
        if (slot.open == 0 && slots.get(origin) == slot) slots.remove(origin);
    }

    /** Wakes every waiter to look again. */
    private void signal() {
        if (waiting == 0) return;
        Promise<Void> p = changed;
        changed = new Promise<>();
        p.complete(null);
    }

    private void checkOpen() {
        if (closed) throw new IllegalStateException("the HTTP client is closed");
    }

    /** Closes the idle connections; leased ones are closed when they come back. Waiters fail. */
    void close() {
        if (closed) return;
        closed = true;
        for (Slot slot : slots.values()) {
            while (!slot.idle.isEmpty()) closeIdle(slot, slot.idle.pollFirst());
        }
        slots.values().removeIf(s -> s.open == 0);
        signal();
    }

    boolean isClosed() {
        return closed;
    }

    PoolStats stats() {
        return new PoolStats(total, idleCount, waiting, opened);
    }
}
