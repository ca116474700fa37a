package xiio.core;

import java.time.Duration;
import java.util.Arrays;
import java.util.Objects;

/**
 * What a coroutine waits for: an fd becoming readable or writable, a deadline
 * passing, a {@link Promise} being done, or any of several of these. Conditions are
 * immutable values; {@link Xiio#await(Condition)} is the one primitive that suspends
 * on them, and every other suspending method of the project is built on it.
 *
 * <p>A condition is <em>fulfilled</em> when any fd is ready for a requested interest,
 * any promise is done, or the deadline has passed. Unions ({@link #or}, {@link #anyOf})
 * are fulfilled when any part is, and the earliest deadline wins.
 *
 * {@snippet :
 * // wait until the pipe has data, or one second has passed
 * Xiio.await(Condition.readable(pipeFd).or(Condition.after(Duration.ofSeconds(1))));
 * }
 */
public abstract sealed class Condition
        permits Condition.FdReady, Condition.Deadline, Condition.Done, Condition.AnyOf, WaitSet, AllTasksBlocked, ThreadSignal {

    Condition() {}

    /** Fulfilled when {@code fd} is readable (data, EOF, a connection to accept, or an error). */
    public static Condition readable(int fd) {
        return FdReady.of(fd, Interest.READ);
    }

    /** Fulfilled when {@code fd} is writable (buffer space, a finished connect, or an error). */
    public static Condition writable(int fd) {
        return FdReady.of(fd, Interest.WRITE);
    }

    /** Fulfilled when {@code fd} is ready for {@code interest}. */
    public static Condition ready(int fd, Interest interest) {
        return FdReady.of(fd, Objects.requireNonNull(interest, "interest"));
    }

    /**
     * Fulfilled once the run's clock ({@link Xiio#nanoTime()}) reaches
     * {@code deadlineNanos}. Needs a running loop to read the clock only when awaited.
     */
    public static Condition deadline(long deadlineNanos) {
        return new Deadline(deadlineNanos);
    }

    /**
     * Fulfilled once {@code delay} has passed from now on the run's clock. Must be
     * called inside {@link Xiio#run}; huge delays saturate to "never".
     *
     * @throws IllegalArgumentException if {@code delay} is negative
     */
    public static Condition after(Duration delay) {
        return new Deadline(Deadlines.after(Xiio.nanoTime(), delay));
    }

    /** Fulfilled once {@code promise} is done (completed or failed). */
    public static Condition done(Promise<?> promise) {
        return new Done(Objects.requireNonNull(promise, "promise"));
    }

    /** Fulfilled when any of {@code conditions} is. An empty union is never fulfilled. */
    public static Condition anyOf(Condition... conditions) {
        for (Condition c : conditions) Objects.requireNonNull(c, "conditions contains null");
        return conditions.length == 1 ? conditions[0] : new AnyOf(conditions.clone());
    }

    /** The union of this condition and {@code other}. */
    public Condition or(Condition other) {
        return anyOf(this, Objects.requireNonNull(other, "other"));
    }

    // --- what the engine does with a condition -------------------------------------

    /** Registers {@code waiter} for every part; may fire it at once. */
    abstract void arm(Engine engine, Waiter waiter);

    /** Undoes {@link #arm}; harmless for parts that were never armed. */
    abstract void disarm(Engine engine, Waiter waiter);

    /** The earliest deadline in this condition, or {@link Deadlines#NEVER}. */
    long earliestDeadline() {
        return Deadlines.NEVER;
    }

    /** Readiness of one fd for one interest. Interned for small fds, so awaiting one allocates nothing. */
    static final class FdReady extends Condition {
        private static final int CACHED = 4096;
        private static final FdReady[] READ = new FdReady[CACHED];
        private static final FdReady[] WRITE = new FdReady[CACHED];

        final int fd;
        final Interest interest;

        private FdReady(int fd, Interest interest) {
            this.fd = fd;
            this.interest = interest;
        }

        static FdReady of(int fd, Interest interest) {
            if (fd < 0) throw new IllegalArgumentException("invalid fd " + fd + ": must not be negative");
            if (fd >= CACHED) return new FdReady(fd, interest);
            FdReady[] cache = interest == Interest.READ ? READ : WRITE;
            FdReady c = cache[fd];
            if (c == null) cache[fd] = c = new FdReady(fd, interest);
            return c;
        }

        @Override
        void arm(Engine engine, Waiter waiter) {
            engine.fds.add(fd, interest, waiter, waiter.nextPart++);
        }

        @Override
        void disarm(Engine engine, Waiter waiter) {
            engine.fds.remove(fd, interest, waiter, waiter.nextPart++);
        }

        @Override
        public String toString() {
            return (interest == Interest.READ ? "readable(fd " : "writable(fd ") + fd + ")";
        }
    }

    /** A point in time on the run's clock. */
    static final class Deadline extends Condition {
        final long nanos;

        Deadline(long nanos) {
            this.nanos = nanos;
        }

        @Override
        void arm(Engine engine, Waiter waiter) {
            // The waiter carries one deadline for all its parts; see Waiter#arm.
        }

        @Override
        void disarm(Engine engine, Waiter waiter) {}

        @Override
        long earliestDeadline() {
            return nanos;
        }

        @Override
        public String toString() {
            return "deadline(" + nanos + "ns)";
        }
    }

    /** A promise being done. */
    static final class Done extends Condition {
        final Promise<?> promise;

        Done(Promise<?> promise) {
            this.promise = promise;
        }

        @Override
        void arm(Engine engine, Waiter waiter) {
            promise.addWaiter(engine, waiter, waiter.nextPart++);
        }

        @Override
        void disarm(Engine engine, Waiter waiter) {
            promise.removeWaiter(waiter, waiter.nextPart++);
        }

        @Override
        public String toString() {
            return "done(" + promise + ")";
        }
    }

    /** A fixed union. */
    static final class AnyOf extends Condition {
        final Condition[] parts;

        AnyOf(Condition[] parts) {
            this.parts = parts;
        }

        @Override
        void arm(Engine engine, Waiter waiter) {
            for (Condition part : parts) {
                if (waiter.isFired()) return;
                part.arm(engine, waiter);
            }
        }

        @Override
        void disarm(Engine engine, Waiter waiter) {
            for (Condition part : parts) part.disarm(engine, waiter);
        }

        @Override
        long earliestDeadline() {
            long earliest = Deadlines.NEVER;
            for (Condition part : parts) earliest = Math.min(earliest, part.earliestDeadline());
            return earliest;
        }

        @Override
        public String toString() {
            return "anyOf" + Arrays.toString(parts);
        }
    }
}
