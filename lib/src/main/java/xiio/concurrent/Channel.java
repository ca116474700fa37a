package xiio.concurrent;

import java.util.ArrayDeque;
import java.util.Iterator;
import java.util.Objects;

/**
 * A bounded FIFO queue between the coroutines of one run: {@link #send} waits while
 * the channel is full, {@link #receive} waits while it is empty, and {@link #close()}
 * lets receivers drain what is left, then ends their loops.
 *
 * {@snippet :
 * List<String> received = Xiio.run(() -> {
 *     Channel<String> lines = new Channel<>(16);
 *     List<String> out = new ArrayList<>();
 *     TaskGroup.scope(group -> {
 *         group.spawn("producer", () -> {
 *             try (lines) {                     // closing ends the consumer's loop
 *                 for (String l : List.of("a", "b", "c")) lines.send(l);   // waits while 16 are queued
 *             }
 *             return null;
 *         });
 *         for (String line : lines) out.add(line);   // suspends until an item comes or the channel closes
 *         return null;
 *     });
 *     return out;                               // [a, b, c]
 * });
 * }
 *
 * <h2>Guarantees</h2>
 * <ul>
 * <li><b>Exactly once.</b> {@code send} returning means the item is in the channel
 *     (or in a receiver's hands); {@code send} throwing (cancelled, or
 *     {@link ChannelClosedException}) means it is not. {@code receive} returning an
 *     item means it left the channel; {@code receive} throwing means it took none.
 *     No item is lost or duplicated, whatever is cancelled when.
 * <li><b>Fair.</b> Waiting senders and receivers are served in the order they came;
 *     while anyone waits, a newcomer queues behind them.
 * <li><b>Cancellation and hand-off.</b> A receiver that waits is handed its item
 *     directly. If it is cancelled after the hand-off but before it runs again, it
 *     passes the item to the next waiting receiver, or puts it back at the head of
 *     the channel (which may then briefly hold one item more than its capacity).
 *     A sender that waits is granted a free slot; it puts its own item in only
 *     when it runs again, so if it is cancelled first its item was never sent and
 *     the slot goes to the next sender.
 * <li><b>Close.</b> After {@link #close()}, {@code send} throws
 *     {@link ChannelClosedException} (senders that were waiting too: their items were
 *     not sent); receivers get the items still buffered, then {@code null} from
 *     {@link #receiveOrNull()}, the end of iteration, or
 *     {@link ChannelClosedException} from {@link #receive()}.
 * </ul>
 * Items must not be null. Capacity is at least 1 (for a hand-off between two
 * coroutines, use 1). Not thread-safe: use it from the coroutines of one run
 * ({@code xiio.thread} bridges other threads).
 *
 * @param <T> the items' type
 */
public final class Channel<T> implements Iterable<T>, AutoCloseable {
    private final int capacity;
    private final ArrayDeque<T> buffer;
    /** Receivers wait only while the buffer is empty; each node's value is the item handed to it. */
    private final WaitQueue<T> receivers = new WaitQueue<>();
    /** Senders wait while the buffer is full or others wait; each node's value is its item. */
    private final WaitQueue<T> senders = new WaitQueue<>();
    /** Slots granted to woken senders that have not put their item in yet. */
    private int reserved;
    private boolean closed;
    /** Items handed to a receiver that was cancelled before it ran (for tests). */
    int givenBack;
    /** Slots granted to a sender that was cancelled before it ran (for tests). */
    int slotsPassedOn;

    /**
     * A channel that holds up to {@code capacity} items.
     *
     * @throws IllegalArgumentException if {@code capacity} is less than 1
     */
    public Channel(int capacity) {
        if (capacity < 1) {
            throw new IllegalArgumentException("capacity must be at least 1, got " + capacity
                    + " (use 1 for a hand-off between two coroutines)");
        }
        this.capacity = capacity;
        this.buffer = new ArrayDeque<>(Math.min(capacity, 1024));
    }

    /**
     * Puts {@code item} into the channel, suspending while it is full (or other
     * senders wait). Returning means the item was sent; throwing means it was not.
     *
     * @throws ChannelClosedException if the channel is closed, or closes while waiting
     * @throws xiio.core.CancelledError if cancelled while waiting
     */
    public void send(T item) {
        Objects.requireNonNull(item, "item: a channel carries no nulls (receiveOrNull uses null for 'closed')");
        if (closed) throw sendOnClosed();
        if (hasRoomNow()) {
            deliver(item);
            return;
        }
        WaitQueue.Node<T> node = senders.add(item);
        try {
            WaitQueue.await(node);
        } catch (Throwable t) {
            if (node.isGranted()) {
                // granted a slot, then cancelled before putting the item in: the slot goes on
                reserved--;
                slotsPassedOn++;
                admitSenders();
            } else {
                senders.remove(node);
            }
            throw t;
        }
        if (node.isClosed()) throw sendOnClosed();
        reserved--;
        if (closed) throw sendOnClosed();
        deliver(item);
        // if the item went straight to a receiver, the slot this sender reserved is free again
        admitSenders();
    }

    /**
     * Puts {@code item} into the channel if that needs no waiting.
     *
     * @return whether it was sent
     * @throws ChannelClosedException if the channel is closed
     */
    public boolean trySend(T item) {
        Objects.requireNonNull(item, "item: a channel carries no nulls (receiveOrNull uses null for 'closed')");
        if (closed) throw sendOnClosed();
        if (!hasRoomNow()) return false;
        deliver(item);
        return true;
    }

    /**
     * Takes the oldest item, suspending while the channel is empty.
     *
     * @throws ChannelClosedException if the channel is closed and drained
     * @throws xiio.core.CancelledError if cancelled while waiting (then it took nothing)
     */
    public T receive() {
        T item = receiveOrNull();
        if (item == null) throw new ChannelClosedException("receive() on a channel that is closed and drained");
        return item;
    }

    /**
     * Takes the oldest item, suspending while the channel is empty; {@code null} once
     * it is closed and drained.
     *
     * @throws xiio.core.CancelledError if cancelled while waiting (then it took nothing)
     */
    public T receiveOrNull() {
        while (true) {
            T item = buffer.pollFirst();
            if (item != null) {
                admitSenders();
                return item;
            }
            if (closed) return null;
            WaitQueue.Node<T> node = receivers.add(null);
            try {
                WaitQueue.await(node);
            } catch (Throwable t) {
                if (node.isGranted()) giveBack(node.value); // handed an item, then cancelled
                else receivers.remove(node);
                throw t;
            }
            if (node.isGranted()) return node.value;
            // woken by close(): look again, a cancelled receiver may have given an item back
        }
    }

    /** Takes the oldest item if there is one (null if not); never suspends. */
    public T tryReceive() {
        T item = buffer.pollFirst();
        if (item != null) admitSenders();
        return item;
    }

    /**
     * Closes the channel: later sends fail, waiting senders fail (their items were not
     * sent), and receivers drain the buffered items, then see the end. Idempotent.
     */
    @Override
    public void close() {
        if (closed) return;
        closed = true;
        for (WaitQueue.Node<T> s; (s = senders.poll()) != null; ) s.close();
        // receivers wait only while the buffer is empty, and no item can come any more
        for (WaitQueue.Node<T> r; (r = receivers.poll()) != null; ) r.close();
    }

    /** Whether {@link #close()} was called (items may still be buffered). */
    public boolean isClosed() {
        return closed;
    }

    /** How many items are buffered. */
    public int size() {
        return buffer.size();
    }

    /** The most items it buffers. */
    public int capacity() {
        return capacity;
    }

    /**
     * Receives until the channel is closed and drained; {@code hasNext()} suspends.
     * Breaking out of the loop leaves the remaining items in the channel.
     */
    @Override
    public Iterator<T> iterator() {
        return new DrainingIterator<>(this::receiveOrNull, "the channel is closed and drained");
    }

    /** Whether a sender may deliver without waiting: nobody queued before it, and a receiver waits or a slot is free. */
    private boolean hasRoomNow() {
        return senders.isEmpty() && (!receivers.isEmpty() || buffer.size() + reserved < capacity);
    }

    /** Hands {@code item} to the oldest waiting receiver, or buffers it. */
    private void deliver(T item) {
        WaitQueue.Node<T> r = receivers.poll();
        if (r != null) r.grant(item);
        else buffer.addLast(item);
    }

    /** A cancelled receiver's item goes to the next receiver, or back to the head of the channel. */
    private void giveBack(T item) {
        givenBack++;
        WaitQueue.Node<T> r = receivers.poll();
        if (r != null) r.grant(item);
        else buffer.addFirst(item);
    }

    /** Grants free slots to waiting senders, oldest first. */
    private void admitSenders() {
        while (!senders.isEmpty() && buffer.size() + reserved < capacity) {
            reserved++;
            senders.poll().grant();
        }
    }

    private ChannelClosedException sendOnClosed() {
        return new ChannelClosedException("send() on a closed channel: the item was not sent");
    }

    @Override
    public String toString() {
        return "Channel[" + buffer.size() + "/" + capacity + (closed ? ", closed" : "") + ", "
                + receivers.size() + " receivers and " + senders.size() + " senders waiting]";
    }
}
