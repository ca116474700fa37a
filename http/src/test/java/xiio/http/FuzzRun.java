package xiio.http;

import java.util.concurrent.atomic.AtomicReference;

/**
 * The seed, the size and the watchdog of one fuzz test. {@code -Dxiio.fuzzSeed=S}
 * replays a seed, {@code -Dxiio.fuzzScale=K} runs K times the default number of cases;
 * given to Maven, surefire hands them to the test JVM:
 * <pre>
 * mvn -pl lib,http -am test-compile surefire:test@default-test -Dtest='*FuzzTest' \
 *     -Dsurefire.failIfNoSpecifiedTests=false -Dxiio.fuzzScale=10 -Dxiio.fuzzSeed=20261203
 * </pre>
 * ran 400,000 request cases and 115,000 response cases in 23 s (load 13). The seed goes to
 * the test log at the start and into every failure. The body runs on a thread of its
 * own; if no case ends for {@link #STALL_MILLIS}, the test fails naming the case it is
 * stuck in, since a parser that loops without reading never ends by itself.
 */
public final class FuzzRun {
    /** How long one case may take before it counts as a hang: thousands of times a normal case, even on a loaded machine. */
    public static final long STALL_MILLIS = 10_000;

    /** A fuzz body, told its seed and number of cases. */
    @FunctionalInterface
    public interface Body {
        void run(long seed, int cases) throws Throwable;
    }

    private final String name;
    private final long seed;
    private final int cases;
    private volatile long finished;
    private volatile String now = "before the first case";
    private long caseStart = System.nanoTime(), slowestNanos;
    private String slowest = "none";

    private FuzzRun(String name, long seed, int cases) {
        this.name = name;
        this.seed = seed;
        this.cases = cases;
    }

    /**
     * Runs {@code body} with the seed and number of cases the properties say.
     *
     * @param name         names the run in the log
     * @param defaultSeed  the seed without {@code -Dxiio.fuzzSeed}
     * @param defaultCases the cases without {@code -Dxiio.fuzzScale}: a few seconds' worth
     */
    public static void run(String name, long defaultSeed, int defaultCases, Body body) throws Throwable {
        long seed = Long.getLong("xiio.fuzzSeed", defaultSeed);
        int cases = Math.multiplyExact(defaultCases, Integer.getInteger("xiio.fuzzScale", 1));
        FuzzRun run = new FuzzRun(name, seed, cases);
        System.out.println(name + ": seed " + seed + ", " + cases + " cases (replay with -Dxiio.fuzzSeed=" + seed + ")");
        run.watch(body);
    }

    /**
     * The run going on, for the body's {@link #begin} calls: a static, not a thread
     * local, since on the virtual-thread backend the body runs on other threads.
     */
    private static volatile FuzzRun current;

    /**
     * Marks the start of a case (and the end of the one before).
     *
     * @param what names the case in a failure: its number and input
     */
    public static void begin(String what) {
        FuzzRun run = FuzzRun.current;
        long now = System.nanoTime();
        if (now - run.caseStart > run.slowestNanos) {
            run.slowestNanos = now - run.caseStart;
            run.slowest = run.now;
        }
        run.caseStart = now;
        run.now = what;
        run.finished++;
    }

    /** A failure message naming the seed: for the body's own assertions. */
    public static String where(String what) {
        long seed = FuzzRun.current.seed;
        return "seed " + seed + ", " + what + " (replay with -Dxiio.fuzzSeed=" + seed + ")";
    }

    private void watch(Body body) throws Throwable {
        AtomicReference<Throwable> failure = new AtomicReference<>();
        FuzzRun.current = this;
        Thread t = Thread.ofPlatform().daemon().name("fuzz " + name).start(() -> {
            try {
                body.run(seed, cases);
            } catch (Throwable e) {
                failure.set(e);
            }
        });
        long seen = -1, since = System.nanoTime();
        while (t.isAlive()) {
            t.join(100);
            if (finished != seen) {
                seen = finished;
                since = System.nanoTime();
            } else if (System.nanoTime() - since > STALL_MILLIS * 1_000_000) {
                throw new AssertionError(name + ": no case ended for " + STALL_MILLIS + " ms, a hang in seed " + seed + ", " + now
                        + " (replay with -Dxiio.fuzzSeed=" + seed + ")");
            }
        }
        if (failure.get() != null) {
            Throwable f = failure.get();
            if (f instanceof AssertionError && String.valueOf(f.getMessage()).contains("seed ")) throw f;
            throw new AssertionError(name + ": seed " + seed + ", " + now + ": " + f, f);
        }
        System.out.println(name + ": " + finished + " cases; the slowest took " + slowestNanos / 1000 + " us: " + slowest);
    }
}
