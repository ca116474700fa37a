package xiio.concurrent;

import java.util.Iterator;
import java.util.NoSuchElementException;
import java.util.function.Supplier;

/**
 * The for-each loop of a channel: {@code hasNext()} receives (and may suspend) until the
 * source answers null, its end; breaking out leaves the remaining items in the channel.
 */
final class DrainingIterator<T> implements Iterator<T> {
    private final Supplier<T> receiveOrNull;
    private final String endedMessage;
    private T next;

    DrainingIterator(Supplier<T> receiveOrNull, String endedMessage) {
        this.receiveOrNull = receiveOrNull;
        this.endedMessage = endedMessage;
    }

    @Override
    public boolean hasNext() {
        if (next == null) next = receiveOrNull.get();
        return next != null;
    }

    @Override
    public T next() {
        if (!hasNext()) throw new NoSuchElementException(endedMessage);
        T item = next;
        next = null;
        return item;
    }
}
