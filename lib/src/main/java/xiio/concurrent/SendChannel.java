package xiio.concurrent;

import java.util.Objects;

/**
 * The send end of a {@link MemoryChannel}. Clone it to give each producer an end of its
 * own; the channel ends for receivers once every send end is closed.
 *
 * @param <T> the items' type
 */
public final class SendChannel<T> implements AutoCloseable {
    final ChannelState<T> state;
    private boolean closed;

    SendChannel(ChannelState<T> state) {
        this.state = state;
    }

    /**
     * Puts {@code item} into the channel, suspending while it is full (unbuffered:
     * until a receiver takes it) or other senders wait. Returning means it was sent;
     * throwing means it was not.
     *
     * @throws ChannelClosedException if this end is closed (also while waiting), or every receive end is
     * @throws xiio.core.CancelledError if cancelled while waiting (then the item was not sent)
     */
    public void send(T item) {
        check(item);
        if (state.offer(item)) return;
        Selection sel = new Selection();
        ChannelState.Offer offer = new ChannelState.Offer(sel, 0, this, item);
        state.senders.add(offer);
        try {
            sel.awaitChosen();
        } catch (Throwable t) {
            sel.giveUp();
            state.senders.remove(offer);
            throw t;
        }
        switch (sel.outcome) {
            case Selection.CLOSED -> throw ChannelState.endClosed("send");
            case Selection.BROKEN -> throw ChannelState.noReceivers();
            default -> { }
        }
    }

    /**
     * Puts {@code item} into the channel if that needs no waiting.
     *
     * @return whether it was sent
     * @throws ChannelClosedException if this end is closed, or every receive end is
     */
    public boolean trySend(T item) {
        check(item);
        return state.offer(item);
    }

    private void check(T item) {
        Objects.requireNonNull(item, "item: a channel carries no nulls (receiveOrNull uses null for 'ended')");
        if (closed) throw ChannelState.endClosed("send");
    }

    /** Throws if this end is closed (for {@link Select}). */
    void checkOpen(String what) {
        if (closed) throw ChannelState.endClosed(what);
    }

    /**
     * Another send end of the same channel; the channel stays open for receivers until
     * every end is closed.
     *
     * @throws ChannelClosedException if this end is closed
     */
    @Override
    public SendChannel<T> clone() {
        if (closed) throw ChannelState.endClosed("clone()");
        state.openSenders++;
        return new SendChannel<>(state);
    }

    /**
     * Closes this end: coroutines waiting to send on it fail (their items were not sent);
     * once every send end is closed, receivers drain the buffer and then see the end.
     * Idempotent.
     */
    @Override
    public void close() {
        if (closed) return;
        closed = true;
        state.senderClosed(this);
    }

    /** Whether this end is closed. */
    public boolean isClosed() {
        return closed;
    }

    /** A snapshot of the channel's counts. */
    public MemoryChannel.Statistics statistics() {
        return state.statistics();
    }

    @Override
    public String toString() {
        return "SendChannel[" + state.statistics() + (closed ? ", closed" : "") + "]";
    }
}
