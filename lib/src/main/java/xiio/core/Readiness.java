package xiio.core;

/**
 * A set of {@link Interest}s on one fd: what a {@link Poller} is asked to watch, and
 * what it found ready. Four values, compared by identity, so a poller allocates
 * nothing per event. An error or hang-up is reported as {@link #BOTH}: whoever waits
 * on the fd, for either direction, wakes and learns of it from the call that follows.
 */
public final class Readiness {
    /** Nothing: the fd is not watched, or nothing is ready. */
    public static final Readiness NONE = new Readiness(false, false);
    /** Readable only. */
    public static final Readiness READ = new Readiness(true, false);
    /** Writable only. */
    public static final Readiness WRITE = new Readiness(false, true);
    /** Readable and writable (also: an error or hang-up). */
    public static final Readiness BOTH = new Readiness(true, true);

    private final boolean readable;
    private final boolean writable;

    private Readiness(boolean readable, boolean writable) {
        this.readable = readable;
        this.writable = writable;
    }

    /** The value with these members. */
    public static Readiness of(boolean readable, boolean writable) {
        return readable ? (writable ? BOTH : READ) : (writable ? WRITE : NONE);
    }

    /** The value holding just {@code interest}. */
    public static Readiness of(Interest interest) {
        return interest == Interest.READ ? READ : WRITE;
    }

    /** Whether {@link Interest#READ} is a member. */
    public boolean readable() {
        return readable;
    }

    /** Whether {@link Interest#WRITE} is a member. */
    public boolean writable() {
        return writable;
    }

    /** Whether there is no member. */
    public boolean isEmpty() {
        return this == NONE;
    }

    /** Whether {@code interest} is a member. */
    public boolean contains(Interest interest) {
        return interest == Interest.READ ? readable : writable;
    }

    /** Whether every member of {@code other} is a member of this. */
    public boolean containsAll(Readiness other) {
        return (readable || !other.readable) && (writable || !other.writable);
    }

    /** The members of both. */
    public Readiness union(Readiness other) {
        return of(readable || other.readable, writable || other.writable);
    }

    @Override
    public String toString() {
        return readable ? (writable ? "BOTH" : "READ") : (writable ? "WRITE" : "NONE");
    }
}
