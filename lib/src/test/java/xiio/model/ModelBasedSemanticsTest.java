package xiio.model;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import xiio.core.Xiio;

/**
 * The runtime against an independent model of its semantics (see {@link Model}), on
 * seeded random programs ({@link ProgramGenerator}) run on the virtual clock; their
 * observable traces must agree. A mismatch names its seed and prints the program shrunk
 * to what still fails.
 *
 * <p>{@code -Dxiio.modelPrograms=N} runs N programs (default 10,000);
 * {@code -Dxiio.modelSeed=S} runs only the program of seed S and prints it whole;
 * {@code -Dxiio.modelBaseSeed=B} starts the seeds at B instead of a random base.
 * 10,000 programs take 15-20 s per backend on a loaded 2-core machine; the timeout
 * below allows about 100,000 (beyond, add {@code -Djunit.jupiter.execution.timeout.mode=disabled}).
 */
class ModelBasedSemanticsTest {
    private static final int PROGRAMS = Integer.getInteger("xiio.modelPrograms", 10_000);
    private static final int EXTRA_SCHEDULES = 200;
    private static final int MAX_REPORTED = 3;
    /** Mismatches shrunk at most, to find {@link #MAX_REPORTED} of different shapes. */
    private static final int MAX_SHRUNK = 10;

    @Test
    @Timeout(value = 5, unit = TimeUnit.MINUTES)
    void runtimeMatchesTheModelOnRandomPrograms() throws Exception {
        Long only = Long.getLong("xiio.modelSeed");
        long base = Long.getLong("xiio.modelBaseSeed", new Random().nextLong());
        int programs = only != null ? 1 : PROGRAMS;
        int skipped = 0, shrunk = 0;
        Set<String> shapes = new HashSet<>();
        List<String> reports = new ArrayList<>();
        long t0 = System.nanoTime();
        for (int i = 0; i < programs && reports.size() < MAX_REPORTED && shrunk < MAX_SHRUNK; i++) {
            long seed = only != null ? only : base + i;
            Program p = ProgramGenerator.generate(seed);
            Comparison.Verdict v;
            try {
                v = Comparison.check(p, EXTRA_SCHEDULES);
            } catch (Throwable t) {
                throw new AssertionError("program of seed " + seed + " broke the test itself (rerun with -Dxiio.modelSeed="
                        + seed + "):\n" + ProgramText.of(p), t);
            }
            // the shrinker may lose a failure: the whole program is then the only evidence
            if (only != null) System.out.println("program of seed " + seed + ":\n" + ProgramText.of(p));
            if (v.skip() != null) {
                skipped++;
                if (only != null) System.out.println("seed " + seed + " skipped: " + v.skip());
                continue;
            }
            if (!v.matches() && shrunk++ < MAX_SHRUNK) {
                Program small = Shrinker.shrink(p, q -> Comparison.mismatches(q, 50), 400);
                if (shapes.add(shape(small))) reports.add(report(seed, p, small));
            }
        }
        long ms = (System.nanoTime() - t0) / 1_000_000;
        System.out.printf("model-based test: %d programs on the %s backend in %d ms, %d skipped (a hang or a case the"
                + " rules leave open), base seed %d%n", programs, Xiio.backend(), ms, skipped, base);
        assertTrue(reports.isEmpty(), () -> reports.size() + " program(s) where the runtime and the model disagree ("
                + Xiio.backend() + " backend):\n\n" + String.join("\n", reports));
        int skips = skipped;
        assertTrue(skips * 5 < programs || only != null, () -> "too many programs skipped: " + skips);
    }

    private static String report(long seed, Program p, Program small) throws Exception {
        Comparison.Verdict v = Comparison.check(small, EXTRA_SCHEDULES);
        String smallText = v.skip() == null && !v.matches() ? ProgramText.of(small) : "(shrinking lost the failure)\n";
        if (v.skip() != null || v.matches()) v = Comparison.check(p, EXTRA_SCHEDULES);
        return "seed " + seed + " (rerun with -Dxiio.modelSeed=" + seed + "), " + Shrinker.size(p.main())
                + " statements, shrunk to " + Shrinker.size(small.main()) + ":\n" + smallText
                + "differences (the closest model schedule vs real):\n" + v.diff();
    }

    /** The program without its ids and numbers: two failures of one shape are reported once. */
    private static String shape(Program p) {
        return ProgramText.of(p).replaceAll("[A-Z#]\\d+", "x").replaceAll("\\d+", "n");
    }
}
