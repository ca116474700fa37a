package xiio.concurrent;

/**
 * A channel was closed: thrown by {@code send} on a closed {@link Channel}, a closed
 * {@link SendChannel} or one whose receive ends are all closed (the item was not
 * delivered), by {@code receive} once a channel has ended and is drained, and by any
 * use of a {@link SendChannel} or {@link ReceiveChannel} its owner closed. The message
 * says which.
 */
public final class ChannelClosedException extends IllegalStateException {
    private static final long serialVersionUID = 1L;

    /** With a message that says what was attempted. */
    public ChannelClosedException(String message) {
        super(message);
    }
}
