package xiio.core;

import java.util.SplittableRandom;

/**
 * {@code -Dxiio.scheduleSeed=N} (or {@code =random}): wait sets hand out their ready
 * members in an order drawn from a seeded generator instead of first-come first-served,
 * to shake out code that depends on which of two ready tasks runs first. Each run
 * starts from the seed, so one failing test reruns alone with the same order; with
 * {@code random} each run draws its own. A run that fails prints its seed to
 * standard error.
 *
 * <p>Off by default, and then free: {@link #ENABLED} is a constant, so the JIT drops
 * the seeded branch of {@link WaitSet#next()} altogether.
 */
final class SeededSchedule {
    static final String PROPERTY = "xiio.scheduleSeed";
    private static final String SETTING = System.getProperty(PROPERTY);
    static final boolean ENABLED = SETTING != null && !SETTING.isBlank();
    /** How far down the ready queue a pick may reach: enough to reorder any realistic burst, bounded so a pick stays cheap. */
    static final int REACH = 64;

    final long seed;
    private final SplittableRandom random;

    private SeededSchedule(long seed) {
        this.seed = seed;
        this.random = new SplittableRandom(seed);
    }

    /** The schedule of a new run: the property's seed, or a fresh one for {@code random}. */
    static SeededSchedule forRun() {
        String s = SETTING.strip();
        if (s.equalsIgnoreCase("random")) return new SeededSchedule(new SplittableRandom().nextLong());
        try {
            return new SeededSchedule(Long.parseLong(s));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("-D" + PROPERTY + " must be a long or 'random', got '" + s + "'", e);
        }
    }

    /** Which of the first {@code count} ready members to hand out next. */
    int pick(int count) {
        return count <= 1 ? 0 : random.nextInt(count);
    }

    /**
     * Prints the seed of a run that failed, to standard error, where a JUnit report
     * shows it next to the failure. Printed rather than attached as a suppressed
     * exception: code under test may inspect its exceptions' suppressed lists.
     */
    void note(Throwable failure) {
        System.err.println("xiio: a run failed with " + failure + "; it resumed ready tasks in a seeded order:"
                + " rerun with -D" + PROPERTY + "=" + seed + " to get the same order");
    }
}
