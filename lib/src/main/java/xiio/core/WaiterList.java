package xiio.core;

import java.util.Arrays;

/**
 * The waiters registered on one thing (a promise, one fd's readability or
 * writability), with O(1) add and remove, so 100,000 connections that each wait on one
 * shutdown promise under their own idle timeout cost O(N) to time out, not O(N^2).
 *
 * <p>Each entry remembers which part of its waiter's condition it is (a waiter of
 * {@code done(a).or(done(b))} sits in two lists, as parts 0 and 1), and the waiter
 * remembers, per part, where the entry sits ({@link Waiter#slot}); a removal moves the
 * last entry into the hole and tells that entry's waiter its new place.
 */
final class WaiterList {
    private static final Waiter[] NO_WAITERS = new Waiter[0];
    private static final int[] NO_PARTS = new int[0];

    private Waiter[] waiters = NO_WAITERS;
    private int[] parts = NO_PARTS;
    private int size;

    int size() {
        return size;
    }

    /** The newest entry; firing it removes it, so firing {@code last()} until empty fires all. */
    Waiter last() {
        return waiters[size - 1];
    }

    void add(Waiter w, int part) {
        if (size == waiters.length) {
            int n = Math.max(2, size * 2);
            waiters = Arrays.copyOf(waiters, n);
            parts = Arrays.copyOf(parts, n);
        }
        waiters[size] = w;
        parts[size] = part;
        w.slot(part, size);
        size++;
    }

    /** Removes {@code w}'s entry for {@code part}; harmless if it has none here. */
    void remove(Waiter w, int part) {
        int i = w.slot(part);
        if (i < 0 || i >= size || waiters[i] != w || parts[i] != part) return;
        w.slot(part, -1);
        int last = --size;
        if (i != last) {
            Waiter moved = waiters[last];
            waiters[i] = moved;
            parts[i] = parts[last];
            moved.slot(parts[i], i);
        }
        waiters[last] = null;
    }
}
