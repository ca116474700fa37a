package xiio.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * {@code -Dxiio.scheduleSeed}: a constant read once per JVM, so each case runs
 * {@link SeededOrderProgram} in a JVM of its own (with this JVM's backend).
 */
class SeededScheduleTest {
    private static final String SORTED = "[0, 1, 2, 3, 4, 5, 6, 7]";

    @Test
    void withoutTheModeReadyTasksRunFirstComeFirstServed() throws Exception {
        Run r = run(null, "order");
        assertEquals(0, r.exit, r.output);
        assertEquals(SORTED, r.output.strip());
    }

    @Test
    void oneSeedGivesOneOrderAndSeedsDiffer() throws Exception {
        Run a = run("7", "order"), b = run("7", "order");
        assertEquals(0, a.exit, a.output);
        assertEquals(a.output, b.output, "the same seed, the same order");
        Set<String> orders = new HashSet<>();
        for (String seed : List.of("1", "2", "3")) orders.add(run(seed, "order").output.strip());
        orders.add(a.output.strip());
        assertTrue(orders.size() >= 2, "four seeds gave one order: " + orders);
        for (String o : orders) {
            List<String> ids = new ArrayList<>(List.of(o.replaceAll("[\\[\\] ]", "").split(",")));
            ids.sort(null);
            assertEquals(List.of("0", "1", "2", "3", "4", "5", "6", "7"), ids, "every task ran once: " + o);
        }
    }

    @Test
    void aFailedRunNamesTheSeedThatReproducesIt() throws Exception {
        Run r = run("42", "fail");
        assertNotEquals(0, r.exit);
        assertTrue(r.output.contains("an order-dependent bug"), r.output);
        assertTrue(r.output.contains("-Dxiio.scheduleSeed=42"), r.output);
    }

    @Test
    void randomDrawsASeedAndNamesIt() throws Exception {
        Run r = run("random", "fail");
        assertTrue(r.output.matches("(?s).*-Dxiio\\.scheduleSeed=-?\\d+ to get the same order.*"), r.output);
    }

    @Test
    void aBadSeedIsRefusedByName() throws Exception {
        Run r = run("seven", "order");
        assertNotEquals(0, r.exit);
        assertTrue(r.output.contains("-Dxiio.scheduleSeed must be a long or 'random', got 'seven'"), r.output);
    }

    private record Run(int exit, String output) {}

    private static Run run(String seed, String mode) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "--enable-native-access=ALL-UNNAMED", "--add-exports", "java.base/jdk.internal.vm=ALL-UNNAMED"));
        String backend = System.getProperty("xiio.backend");
        if (backend != null) cmd.add("-Dxiio.backend=" + backend);
        if (seed != null) cmd.add("-Dxiio.scheduleSeed=" + seed);
        cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), SeededOrderProgram.class.getName(), mode));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), "the program did not end: " + out);
        return new Run(p.exitValue(), out);
    }
}
