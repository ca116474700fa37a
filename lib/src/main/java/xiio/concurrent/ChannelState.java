package xiio.concurrent;

import java.util.ArrayDeque;

/**
 * The state the ends of one memory channel share: the buffer, the queues of waiting
 * receivers and senders (their offers), and how many ends of each kind are open.
 *
 * <p>Invariants, kept by hand-off: receivers wait only while the buffer is empty and no
 * sender waits; senders wait only while the buffer is full (always, when unbuffered).
 * So a send first hands its item to the oldest live receiver, and a receive refills
 * the buffer from the oldest live sender: FIFO, and a newcomer never overtakes. An
 * offer whose selection was chosen elsewhere or given up is dead and skipped.
 */
final class ChannelState<T> {
    /** What {@link #poll} returns once no sender end is open and nothing is buffered. */
    static final Object END = new Object();

    final int capacity;
    final ArrayDeque<T> buffer;
    final OfferQueue receivers = new OfferQueue();
    final OfferQueue senders = new OfferQueue();
    int openSenders = 1, openReceivers = 1;
    int peakBuffered;

    ChannelState(int capacity) {
        this.capacity = capacity;
        this.buffer = new ArrayDeque<>(Math.min(capacity, 16));
    }

    /** A waiting send or receive: one case of one selection, queued at this channel. */
    static final class Offer {
        final Selection selection;
        final int caseIndex;
        /** The end it waits on, so closing that end fails it. */
        final Object end;
        /** The item a sender brings. */
        final Object item;
        Offer prev, next;
        boolean queued;

        Offer(Selection selection, int caseIndex, Object end, Object item) {
            this.selection = selection;
            this.caseIndex = caseIndex;
            this.end = end;
            this.item = item;
        }
    }

    /** An intrusive FIFO of offers: a cancelled waiter leaves in O(1). */
    static final class OfferQueue {
        private Offer head, tail;
        private int size;

        void add(Offer o) {
            o.queued = true;
            o.prev = tail;
            if (tail == null) head = o;
            else tail.next = o;
            tail = o;
            size++;
        }

        Offer poll() {
            Offer o = head;
            if (o != null) remove(o);
            return o;
        }

        void remove(Offer o) {
            if (!o.queued) return;
            o.queued = false;
            if (o.prev == null) head = o.next;
            else o.prev.next = o.next;
            if (o.next == null) tail = o.prev;
            else o.next.prev = o.prev;
            o.prev = o.next = null;
            size--;
        }

        /** Live offers (dead ones are dropped as they are met). */
        int live() {
            int n = 0;
            for (Offer o = head; o != null; o = o.next) if (o.selection.isLive()) n++;
            return n;
        }

        /** Chooses every live offer waiting on {@code end} (or on any end, if null) with {@code outcome}. */
        void failAll(Object end, int outcome) {
            for (Offer o = head, n; o != null; o = n) {
                n = o.next;
                if (end != null && o.end != end) continue;
                remove(o);
                o.selection.choose(o.caseIndex, null, outcome);
            }
        }
    }

    /**
     * Takes an item now if that needs no waiting: the item, {@link #END} once no sender
     * end is open and nothing is left, or null (it would wait).
     */
    Object poll() {
        T item = buffer.pollFirst();
        if (item != null) {
            refill();
            return item;
        }
        // empty buffer: a waiting sender means an unbuffered channel; take from it directly
        for (Offer s; (s = senders.poll()) != null; ) {
            if (s.selection.choose(s.caseIndex, null, Selection.VALUE)) return s.item;
        }
        return openSenders == 0 ? END : null;
    }

    /** Moves items of waiting senders into the freed slots, oldest first. */
    @SuppressWarnings("unchecked")
    private void refill() {
        while (buffer.size() < capacity) {
            Offer s = senders.poll();
            if (s == null) return;
            if (s.selection.choose(s.caseIndex, null, Selection.VALUE)) buffer.addLast((T) s.item);
        }
    }

    /**
     * Delivers {@code item} now if that needs no waiting: to the oldest live receiver,
     * or into a free slot. Whether it was delivered.
     *
     * @throws ChannelClosedException if every receive end is closed
     */
    boolean offer(T item) {
        if (openReceivers == 0) throw noReceivers();
        for (Offer r; (r = receivers.poll()) != null; ) {
            if (r.selection.choose(r.caseIndex, item, Selection.VALUE)) return true;
        }
        if (buffer.size() < capacity) {
            buffer.addLast(item);
            peakBuffered = Math.max(peakBuffered, buffer.size());
            return true;
        }
        return false;
    }

    /** A send end closed; the last one ends the channel for receivers once drained. */
    void senderClosed(Object end) {
        senders.failAll(end, Selection.CLOSED);
        if (--openSenders == 0) receivers.failAll(null, Selection.END);
    }

    /** A receive end closed; the last one drops the buffer and fails every sender. */
    void receiverClosed(Object end) {
        receivers.failAll(end, Selection.CLOSED);
        if (--openReceivers == 0) {
            buffer.clear();
            senders.failAll(null, Selection.BROKEN);
        }
    }

    static ChannelClosedException noReceivers() {
        return new ChannelClosedException("send on a channel whose receive ends are all closed: the item was not sent");
    }

    static ChannelClosedException ended() {
        return new ChannelClosedException("receive on a channel whose send ends are all closed and that is drained");
    }

    static ChannelClosedException endClosed(String what) {
        return new ChannelClosedException(what + " on a " + "closed channel end: it was closed by its owner");
    }

    MemoryChannel.Statistics statistics() {
        return new MemoryChannel.Statistics(buffer.size(), capacity, peakBuffered, openSenders, openReceivers,
                senders.live(), receivers.live());
    }
}
