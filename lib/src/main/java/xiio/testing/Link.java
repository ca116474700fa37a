package xiio.testing;

import java.time.Duration;
import java.util.Objects;

/**
 * How one direction of a memory stream behaves: its faults, as a value. Each
 * {@code with...} returns a changed copy; {@link #PERFECT} has none.
 *
 * @param latency     how long (on the run's clock) written bytes take to become readable
 * @param capacity    how many bytes may be in flight before a writer waits (backpressure)
 * @param maxRead     the most bytes one read returns: a slow reader that takes small bites
 * @param dropAfter   bytes after this many vanish silently (the writer thinks they went); -1 never
 * @param resetAfter  once this many bytes went through, the connection is reset; -1 never
 */
public record Link(Duration latency, int capacity, int maxRead, long dropAfter, long resetAfter) {
    /** No latency, 64 KiB in flight, reads of any size, nothing lost. */
    public static final Link PERFECT = new Link(Duration.ZERO, 65536, Integer.MAX_VALUE, -1, -1);

    /** @throws IllegalArgumentException naming the field that is out of range */
    public Link {
        Objects.requireNonNull(latency, "latency");
        if (latency.isNegative()) throw new IllegalArgumentException("latency must not be negative, got " + latency);
        if (capacity < 1) throw new IllegalArgumentException("capacity must be at least 1, got " + capacity);
        if (maxRead < 1) throw new IllegalArgumentException("maxRead must be at least 1, got " + maxRead);
        if (dropAfter < -1) throw new IllegalArgumentException("dropAfter must be -1 (never) or a byte count, got " + dropAfter);
        if (resetAfter < -1) throw new IllegalArgumentException("resetAfter must be -1 (never) or a byte count, got " + resetAfter);
    }

    /** This link with bytes arriving {@code latency} after they were written. */
    public Link withLatency(Duration latency) {
        return new Link(latency, capacity, maxRead, dropAfter, resetAfter);
    }

    /** This link with at most {@code capacity} bytes in flight. */
    public Link withCapacity(int capacity) {
        return new Link(latency, capacity, maxRead, dropAfter, resetAfter);
    }

    /** This link with reads returning at most {@code maxRead} bytes. */
    public Link withMaxRead(int maxRead) {
        return new Link(latency, capacity, maxRead, dropAfter, resetAfter);
    }

    /** This link losing every byte after the first {@code bytes}. */
    public Link withDropAfter(long bytes) {
        return new Link(latency, capacity, maxRead, bytes, resetAfter);
    }

    /** This link resetting the connection once {@code bytes} went through. */
    public Link withResetAfter(long bytes) {
        return new Link(latency, capacity, maxRead, dropAfter, bytes);
    }
}
