package xiio.bench.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The core bounds in smoke mode, whole: every probe run in its child JVMs with tiny
 * counts, parsed and rendered; so the rows cannot rot between full runs. Only that
 * they run is checked, not their verdicts: tiny counts on a shared machine mean nothing.
 */
class CoreBoundsSmokeTest {
    @Test
    @Timeout(value = 120, unit = TimeUnit.SECONDS)
    void everyRowIsMeasuredAndRendered() throws Exception {
        CoreBench.Outcome outcome = CoreBench.execute(new String[] {"--smoke", "--bounds-only"}, System.out);

        assertNull(outcome.file(), "--bounds-only runs no JMH");
        CoreBounds.Figures f = outcome.bounds();
        assertEquals(CoreBounds.BACKENDS.size() * CoreBounds.DEPTHS.size(), f.starvation().size(), f.toString());
        for (CoreBounds.Starvation s : f.starvation()) {
            assertTrue(s.worstNanos() >= StarvationProbe.SLEEP.toNanos(), "a 10 ms sleep took at least 10 ms: " + s);
            assertTrue(s.yields() > 0, "the always-ready task ran: " + s);
        }
        assertEquals(CoreBounds.SHARED_KINDS.size(), f.scaling().size(), f.toString());
        for (CoreBounds.Scaling s : f.scaling()) {
            assertEquals(s.waiters().size(), s.bestNanos().size(), s.toString());
            assertTrue(s.bestNanos().stream().allMatch(t -> t > 0), s.toString());
        }
        CoreBounds.Plan plan = CoreBounds.Plan.of(true);
        assertEquals(plan.cold().size(), f.cold().size(), f.toString());
        for (CoreBounds.Cold c : f.cold()) assertTrue(c.nanos() > 0 && c.setupNanos() > 0, c.toString());

        String markdown = Files.readString(outcome.boundsFile());
        assertEquals(outcome.boundsMarkdown(), markdown);
        assertTrue(outcome.boundsFile().toString().contains("/target/"), "smoke output stays out of results/: " + outcome.boundsFile());
        assertTrue(markdown.startsWith(CoreBoundsReport.TITLE + "\n"), markdown);
        for (String heading : new String[] {"### Starvation", "### Shared-wait scaling", "### Cold cancellation", "### Machine and command"}) {
            assertTrue(markdown.contains(heading), heading);
        }
        assertTrue(markdown.contains("PASS") || markdown.contains("FAIL"), markdown);
        assertFalse(markdown.contains("| - | - |"), "a figure is missing: " + markdown);
    }
}
