package xiio.concurrent;

/**
 * A channel between the coroutines of one run, as a pair of ends: items go in at the
 * {@link #sender()}, come out at the {@link #receiver()} in the order they went in.
 * Both ends can be {@linkplain SendChannel#clone() cloned} to fan in and fan out, and
 * closing is per end: the channel ends for receivers once the last send end is closed
 * (and the buffer drained), and breaks for senders once the last receive end is
 * closed. Like trio's memory channels; {@link Select} waits on several at once.
 *
 * {@snippet :
 * MemoryChannel<String> jobs = MemoryChannel.open(0);           // unbuffered: a send waits for a receiver
 * TaskGroup.scope(group -> {
 *     try (SendChannel<String> out = jobs.sender()) {
 *         for (int p = 1; p <= 2; p++) {
 *             SendChannel<String> mine = out.clone();          // one end per producer
 *             int n = p;
 *             group.spawn("producer " + n, () -> {
 *                 try (mine) {
 *                     mine.send("job from " + n);
 *                 }
 *                 return null;
 *             });
 *         }
 *     }                                                      // the original end is closed here
 *     try (ReceiveChannel<String> in = jobs.receiver()) {
 *         for (String job : in) handle(job);                 // ends when both producers closed theirs
 *     }
 *     return null;
 * });
 * }
 *
 * <h2>Guarantees</h2>
 * <ul>
 * <li><b>Exactly once.</b> {@code send} returning means the item is in the channel or
 *     in a receiver's hands; {@code send} throwing means it is not. {@code receive}
 *     returning an item means it left the channel; throwing means it took none. A
 *     waiter handed its item (or relieved of it) just as it is cancelled keeps the
 *     hand-off: it returns normally and the cancellation is raised at its next
 *     suspension point ({@link xiio.core.Xiio#awaitHandOff}).
 * <li><b>Fair.</b> Waiting senders and receivers are served in the order they came;
 *     while anyone waits, a newcomer queues behind them.
 * <li><b>Closing.</b> Closing an end fails the coroutines waiting on that very end
 *     ({@link ChannelClosedException}); using a closed end throws. When the last send
 *     end closes, receivers drain the buffer, then {@code receive} throws and iteration
 *     ends; when the last receive end closes, the buffer is dropped and every send throws.
 * </ul>
 * A capacity of 0 is a rendezvous (each send waits for a receiver), a positive one a
 * bounded buffer (backpressure), {@link Integer#MAX_VALUE} a buffer without a limit.
 * Items must not be null. Not thread-safe: use it from the coroutines of one run.
 *
 * @param sender the first send end
 * @param receiver the first receive end
 * @param <T> the items' type
 */
public record MemoryChannel<T>(SendChannel<T> sender, ReceiveChannel<T> receiver) {
    /**
     * A new channel buffering up to {@code capacity} items (0: unbuffered; {@link
     * Integer#MAX_VALUE}: no limit), with one send end and one receive end.
     *
     * @throws IllegalArgumentException if {@code capacity} is negative
     */
    public static <T> MemoryChannel<T> open(int capacity) {
        if (capacity < 0) {
            throw new IllegalArgumentException("capacity must not be negative, got " + capacity
                    + " (0 is an unbuffered channel, Integer.MAX_VALUE one without a limit)");
        }
        ChannelState<T> state = new ChannelState<>(capacity);
        return new MemoryChannel<>(new SendChannel<>(state), new ReceiveChannel<>(state));
    }

    /** Checks the ends exist; use {@link #open} to make a channel. */
    public MemoryChannel {
        java.util.Objects.requireNonNull(sender, "sender");
        java.util.Objects.requireNonNull(receiver, "receiver");
    }

    /**
     * A snapshot of a channel's state, for monitoring and tests.
     *
     * @param buffered items in the buffer now
     * @param capacity the most it buffers
     * @param peakBuffered the most it ever buffered
     * @param openSenders send ends not closed
     * @param openReceivers receive ends not closed
     * @param waitingSenders coroutines (or selects) waiting to send
     * @param waitingReceivers coroutines (or selects) waiting to receive
     */
    public record Statistics(int buffered, int capacity, int peakBuffered, int openSenders, int openReceivers,
                             int waitingSenders, int waitingReceivers) {}
}
