package xiio.core;

import java.time.Duration;
import java.util.Objects;

/** Saturating arithmetic on the run clock's nanoseconds: a huge duration means "never". */
final class Deadlines {
    private Deadlines() {}

    static final long NEVER = Long.MAX_VALUE;

    static long after(long now, Duration delay) {
        Objects.requireNonNull(delay, "delay");
        if (delay.isNegative()) {
            throw new IllegalArgumentException("negative duration " + delay + ": a delay must be zero or more");
        }
        long nanos;
        try {
            nanos = delay.toNanos();
        } catch (ArithmeticException tooLong) {
            return NEVER;
        }
        long deadline = now + nanos;
        return deadline < now ? NEVER : deadline;
    }
}
