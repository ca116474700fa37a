package xiio.concurrent;

import java.util.Iterator;

/**
 * The receive end of a {@link MemoryChannel}; iterable until the channel ends. Clone
 * it to give each consumer an end of its own; senders fail once every receive end is
 * closed.
 *
 * @param <T> the items' type
 */
public final class ReceiveChannel<T> implements Iterable<T>, AutoCloseable {
    final ChannelState<T> state;
    private boolean closed;

    ReceiveChannel(ChannelState<T> state) {
        this.state = state;
    }

    /**
     * Takes the oldest item, suspending while there is none.
     *
     * @throws ChannelClosedException once every send end is closed and the buffer drained, or if this end is closed
     * @throws xiio.core.CancelledError if cancelled while waiting (then it took nothing)
     */
    public T receive() {
        T item = receiveOrNull();
        if (item == null) throw ChannelState.ended();
        return item;
    }

    /**
     * Takes the oldest item, suspending while there is none; {@code null} once every send
     * end is closed and the buffer drained.
     *
     * @throws ChannelClosedException if this end is closed (also while waiting)
     * @throws xiio.core.CancelledError if cancelled while waiting (then it took nothing)
     */
    @SuppressWarnings("unchecked")
    public T receiveOrNull() {
        checkOpen("receive");
        Object now = state.poll();
        if (now == ChannelState.END) return null;
        if (now != null) return (T) now;
        Selection sel = new Selection();
        ChannelState.Offer offer = new ChannelState.Offer(sel, 0, this, null);
        state.receivers.add(offer);
        try {
            sel.awaitChosen();
        } catch (Throwable t) {
            sel.giveUp();
            state.receivers.remove(offer);
            throw t;
        }
        return switch (sel.outcome) {
            case Selection.CLOSED -> throw ChannelState.endClosed("receive");
            case Selection.END -> null;
            default -> (T) sel.value;
        };
    }

    /**
     * Takes the oldest item if that needs no waiting; null if there is none yet.
     *
     * @throws ChannelClosedException once every send end is closed and the buffer drained, or if this end is closed
     */
    @SuppressWarnings("unchecked")
    public T tryReceive() {
        checkOpen("tryReceive");
        Object now = state.poll();
        if (now == ChannelState.END) throw ChannelState.ended();
        return (T) now;
    }

    /** Throws if this end is closed. */
    void checkOpen(String what) {
        if (closed) throw ChannelState.endClosed(what);
    }

    /**
     * Another receive end of the same channel.
     *
     * @throws ChannelClosedException if this end is closed
     */
    @Override
    public ReceiveChannel<T> clone() {
        checkOpen("clone()");
        state.openReceivers++;
        return new ReceiveChannel<>(state);
    }

    /**
     * Closes this end: coroutines waiting to receive on it fail; once every receive end
     * is closed the buffered items are dropped and senders fail. Idempotent.
     */
    @Override
    public void close() {
        if (closed) return;
        closed = true;
        state.receiverClosed(this);
    }

    /** Whether this end is closed. */
    public boolean isClosed() {
        return closed;
    }

    /** A snapshot of the channel's counts. */
    public MemoryChannel.Statistics statistics() {
        return state.statistics();
    }

    /**
     * Receives until every send end is closed and the buffer drained; {@code hasNext()}
     * suspends. Breaking out of the loop leaves the remaining items in the channel.
     */
    @Override
    public Iterator<T> iterator() {
        return new DrainingIterator<>(this::receiveOrNull, "the channel has ended");
    }

    @Override
    public String toString() {
        return "ReceiveChannel[" + state.statistics() + (closed ? ", closed" : "") + "]";
    }
}
