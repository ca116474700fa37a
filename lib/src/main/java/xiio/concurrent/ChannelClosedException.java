package xiio.concurrent;

/**
 * A {@link Channel} was closed: thrown by {@code send} on a closed channel (the item
 * was not delivered), and by {@code receive} once a closed channel is drained.
 */
public final class ChannelClosedException extends IllegalStateException {
    private static final long serialVersionUID = 1L;

    /** With a message that says what was attempted. */
    public ChannelClosedException(String message) {
        super(message);
    }
}
