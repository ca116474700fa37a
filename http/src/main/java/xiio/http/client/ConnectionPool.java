package xiio.http.client;

import java.io.IOException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import xiio.core.Promise;
import xiio.core.Xiio;

/**
 * The connections of one client, by origin, within two limits: at most
 * {@code maxPerOrigin} open to one origin and {@code maxTotal} open in all (leased,
 * idle or being opened). A request takes the most recently returned idle connection
 * to its origin, else opens one if both limits allow (closing the longest-idle
 * connection to another origin to make room under the total), else waits its turn.
 *
 * <p><b>Idle eviction without a background task.</b> The loop is stateless: nothing
 * runs that the user did not start, so there is no janitor. Every acquire and release
 * first closes the connections idle for longer than {@code idleTimeout} (oldest first,
 * an O(expired) scan of the deque heads), and {@link #evictIdle} does it on demand.
 *
 * <p><b>Waiting, first come first served, in O(1) per hand-off.</b> A request that must
 * wait joins one of two queues in arrival order: its origin's (the origin is at its
 * limit) or the pool's (the total is reached). A returned connection is handed straight
 * to the first waiter of its origin; a place freed by a close goes to that origin's
 * first waiter, else to the first waiter for room. Only the waiter served is woken
 * (an earlier version woke every waiter to look again, which is quadratic: 4,000
 * concurrent requests through 4 connections took 5.4 s, 1.3 ms each, where 500 took
 * 0.5 ms each; now 4,000 take 0.7 s), and nobody
 * who arrives later takes a connection from under the queue. The hand-off is awaited
 * with {@link Xiio#awaitHandOff}: a waiter that was served takes what it was given
 * even if a cancellation came meanwhile (it meets the cancellation at its next
 * suspension, and its exchange gives the connection back), and one cancelled before
 * it was served just leaves its queue.
 */
final class ConnectionPool {
    /** Opens a connection to an origin. */
    @FunctionalInterface
    interface Connector {
        PooledConnection connect(Origin origin) throws IOException;
    }

    /** The connections to one origin. */
    private static final class Slot {
        final Origin origin;
        int open;                                                 // leased, idle, being opened, or handed to a waiter
        final ArrayDeque<PooledConnection> idle = new ArrayDeque<>(); // oldest first
        final LinkedHashSet<Waiter> waiters = new LinkedHashSet<>(); // at this origin's limit, in arrival order
        int queued;                                               // this origin's waiters in either queue

        Slot(Origin origin) {
            this.origin = origin;
        }
    }

    /** One request waiting its turn; {@link #served} completes when it has a connection or a place to open one. */
    private static final class Waiter {
        final Slot slot;
        final Promise<Void> served = new Promise<>();
        PooledConnection connection; // handed over; null when the waiter got a place to open one in
        boolean refused;             // served by close(): nothing was handed

        Waiter(Slot slot) {
            this.slot = slot;
        }
    }

    private final int maxPerOrigin, maxTotal;
    private final long idleNanos;
    private final Map<Origin, Slot> slots = new HashMap<>();
    /** Waiters under their origin's limit that wait for room under the total, in arrival order. */
    private final LinkedHashSet<Waiter> waitingForRoom = new LinkedHashSet<>();
    private int total, idleCount, waiting;
    private long opened;
    private boolean closed;

    ConnectionPool(int maxPerOrigin, int maxTotal, long idleNanos) {
        this.maxPerOrigin = maxPerOrigin;
        this.maxTotal = maxTotal;
        this.idleNanos = idleNanos;
    }

    /**
     * A connection to {@code origin}: an idle one, or a new one from {@code connector};
     * waits its turn while a limit is reached. {@code fresh} skips idle connections (a
     * retry after a reused one failed).
     *
     * @throws IllegalStateException if the pool is closed
     */
    PooledConnection acquire(Origin origin, boolean fresh, Connector connector) throws IOException {
        checkOpen();
        evictIdle();
        Slot slot = slots.computeIfAbsent(origin, Slot::new);
        if (!fresh) dropIdleHeardFrom(slot);
        if (slot.waiters.isEmpty()) { // nobody of this origin is ahead of us
            if (!fresh && !slot.idle.isEmpty()) {
                idleCount--;
                return lease(slot.idle.pollLast());
            }
            if (slot.open < maxPerOrigin && waitingForRoom.isEmpty() && (total < maxTotal || closeLongestIdle())) {
                reserve(slot);
                return connect(slot, connector);
            }
            if (fresh && !slot.idle.isEmpty()) { // at the origin's limit: trade an idle one for a fresh one
                idleCount--;
                slot.idle.pollFirst().close();
                return connect(slot, connector);   // in the place the idle one held
            }
        }
        Waiter w = new Waiter(slot);
        (slot.open >= maxPerOrigin || !slot.waiters.isEmpty() ? slot.waiters : waitingForRoom).add(w);
        slot.queued++;
        waiting++;
        try {
            Xiio.awaitHandOff(w.served.condition(), w.served);
        } finally {
            waiting--;
            if (!w.served.isDone()) { // cancelled (or failed) before its turn came: leave the queue
                slot.waiters.remove(w);
                waitingForRoom.remove(w);
                slot.queued--;
                forgetIfEmpty(slot);
            }
        }
        if (w.refused) checkOpen();
        if (closed) { // served just before close(): give back what was handed
            if (w.connection != null) release(w.connection, false);
            else placeFreed(slot);
            checkOpen();
        }
        if (w.connection != null && !fresh) return lease(w.connection);
        if (w.connection != null) w.connection.close(); // a retry wants a new one: keep the place, drop the old
        return connect(slot, connector);
    }

    /**
     * Closes the idle connections of {@code slot} the next lease would take (the most
     * recent first) that the server closed or spoke on meanwhile; their places go to
     * whoever waits first. Only the one leased is asked, one poll each.
     */
    private void dropIdleHeardFrom(Slot slot) {
        boolean freed = false;
        while (!slot.idle.isEmpty() && slot.idle.peekLast().heardFromWhileIdle()) {
            idleCount--;
            slot.idle.pollLast().close();
            slot.open--;
            total--;
            freed = true;
        }
        if (freed) makeRoom();
    }

    private static PooledConnection lease(PooledConnection c) {
        c.exchanges++;
        return c;
    }

    private void reserve(Slot slot) {
        slot.open++;
        total++;
    }

    /** Opens a connection in a place already counted; a failure or cancellation frees the place for the next waiter. */
    private PooledConnection connect(Slot slot, Connector connector) throws IOException {
        boolean ok = false;
        try {
            PooledConnection c = connector.connect(slot.origin);
            c.exchanges = 1;
            opened++;
            ok = true;
            return c;
        } finally {
            if (!ok) placeFreed(slot);
        }
    }

    /**
     * Returns a leased connection: to the next waiter of its origin or to the idle
     * connections if {@code reusable} (its last exchange ended cleanly and both sides
     * keep it alive), else closed.
     */
    void release(PooledConnection c, boolean reusable) {
        Slot slot = slots.get(c.origin);
        if (slot == null) throw new IllegalStateException("not a connection of this pool: " + c);
        if (reusable && !closed && !c.isClosed() && idleNanos > 0) {
            Waiter next = first(slot.waiters);
            if (next != null) {
                slot.waiters.remove(next);
                serve(next, c);
            } else if (!waitingForRoom.isEmpty() && total >= maxTotal) { // its place is worth more to another origin
                c.close();
                placeFreed(slot);
            } else {
                c.idleSince = Xiio.nanoTime();
                slot.idle.addLast(c);
                idleCount++;
            }
        } else {
            c.close();
            placeFreed(slot);
        }
        evictIdle();
    }

    /** A place of {@code slot} is free (its connection closed, or never opened): the next waiter gets it. */
    private void placeFreed(Slot slot) {
        slot.open--;
        total--;
        Waiter next = first(slot.waiters);
        if (next != null && !closed) {
            slot.waiters.remove(next);
            reserve(slot);
            serve(next, null);
        } else {
            makeRoom();
        }
        forgetIfEmpty(slot);
    }

    /** Gives places under the total to the waiters for room, first come first served. */
    private void makeRoom() {
        while (!closed && total < maxTotal && !waitingForRoom.isEmpty()) {
            Waiter next = first(waitingForRoom);
            waitingForRoom.remove(next);
            if (next.slot.open >= maxPerOrigin) { // its own origin filled up meanwhile: it waits there now
                next.slot.waiters.add(next);
                continue;
            }
            reserve(next.slot);
            serve(next, null);
        }
    }

    private void serve(Waiter w, PooledConnection c) {
        w.connection = c;
        w.slot.queued--;
        w.served.complete(null);
    }

    private static Waiter first(LinkedHashSet<Waiter> queue) {
        return queue.isEmpty() ? null : queue.iterator().next();
    }

    /** Closes every connection idle for longer than the idle timeout. */
    void evictIdle() {
        if (idleCount == 0) return;
        long now = Xiio.nanoTime();
        for (Iterator<Slot> it = slots.values().iterator(); it.hasNext(); ) {
            Slot slot = it.next();
            while (!slot.idle.isEmpty() && now - slot.idle.peekFirst().idleSince >= idleNanos) {
                PooledConnection c = slot.idle.pollFirst();
                idleCount--;
                c.close();
                slot.open--;
                total--;
            }
            if (slot.open == 0 && slot.queued == 0) it.remove();
        }
        makeRoom();
    }

    /** Closes the connection idle longest, of any origin, to make room; false if none is idle. */
    private boolean closeLongestIdle() {
        Slot oldestSlot = null;
        long oldest = Long.MAX_VALUE;
        for (Slot s : slots.values()) {
            PooledConnection head = s.idle.peekFirst();
            if (head != null && (oldestSlot == null || head.idleSince - oldest < 0)) {
                oldest = head.idleSince;
                oldestSlot = s;
            }
        }
        if (oldestSlot == null) return false;
        idleCount--;
        oldestSlot.idle.pollFirst().close();
        oldestSlot.open--;
        total--;
        forgetIfEmpty(oldestSlot);
        return true;
    }

    private void forgetIfEmpty(Slot slot) {
        if (slot.open == 0 && slot.queued == 0 && slots.get(slot.origin) == slot) slots.remove(slot.origin);
    }

    private void checkOpen() {
        if (closed) throw new IllegalStateException("the HTTP client is closed");
    }

    /** Closes the idle connections; leased ones are closed when they come back. Waiters fail. */
    void close() {
        if (closed) return;
        closed = true;
        for (Slot slot : slots.values()) {
            while (!slot.idle.isEmpty()) {
                idleCount--;
                slot.idle.pollFirst().close();
                slot.open--;
                total--;
            }
        }
        List<Waiter> all = new ArrayList<>(waitingForRoom);
        waitingForRoom.clear();
        for (Slot slot : slots.values()) {
            all.addAll(slot.waiters);
            slot.waiters.clear();
        }
        for (Waiter w : all) {
            w.refused = true;
            serve(w, null);
        }
        slots.values().removeIf(s -> s.open == 0 && s.queued == 0);
    }

    boolean isClosed() {
        return closed;
    }

    PoolStats stats() {
        return new PoolStats(total, idleCount, waiting, opened);
    }
}
