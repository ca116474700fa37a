package xiio.bench.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The core JMH section in smoke mode, whole: every benchmark forked, run on the
 * continuation backend, scored and rendered; so the section cannot rot between full runs.
 */
class CoreBenchSmokeTest {
    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void everyBenchmarkScoresAndIsRendered() throws Exception {
        CoreBench.Outcome outcome = CoreBench.execute(new String[] {"--smoke", "--jmh-only"}, System.out);

        assertEquals(2 * CoreReport.TOPICS.size(), outcome.scores().size(), outcome.scores().toString());
        for (CoreReport.Topic t : CoreReport.TOPICS) {
            for (String side : new String[] {"xiio", "virtualThreads"}) {
                String name = t.benchClass() + "." + side;
                CoreBench.Score s = outcome.scores().get(name);
                assertTrue(s != null, name + " ran: " + outcome.scores().keySet());
                assertTrue(Double.isFinite(s.nsPerOp()) && s.nsPerOp() > 0, name + ": " + s);
                assertTrue(Double.isFinite(s.bytesPerOp()) && s.bytesPerOp() >= 0, name + " allocation: " + s);
            }
        }
        String markdown = Files.readString(outcome.file());
        assertEquals(outcome.markdown(), markdown);
        assertTrue(outcome.file().toString().contains("/target/"), "smoke output stays out of results/: " + outcome.file());
        assertTrue(markdown.startsWith("## Core primitives (JMH)\n"), markdown);
        for (CoreReport.Topic t : CoreReport.TOPICS) assertTrue(markdown.contains("| " + t.label() + " |"), t.label());
        assertFalse(markdown.contains("| - |"), "a benchmark is missing from the table: " + markdown);
    }
}
