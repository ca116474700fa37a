package xiio.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import jdk.jfr.Recording;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordingFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import xiio.concurrent.TaskGroup;

/** JFR events and the slow-step warning. */
class ObservabilityTest {

    @Test
    void jfrRecordsTaskStartEndAndPollerWaits(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("xiio.jfr");
        List<String> seen = new ArrayList<>();
        try (Recording recording = new Recording()) {
            recording.enable("xiio.TaskStart");
            recording.enable("xiio.TaskEnd");
            recording.enable("xiio.PollerWait").withThreshold(Duration.ZERO);
            recording.start();
            try {
                Xiio.run(() -> TaskGroup.scope(g -> {
                    g.spawn("jfr-a", () -> {
                        Xiio.sleep(Duration.ofSeconds(20));
                        return null;
                    });
                    g.spawn("jfr-b", () -> {
                        Xiio.sleep(Duration.ofMillis(1));
                        throw new IllegalStateException("jfr-b failed");
                    });
                    return null;
                }));
            } catch (IllegalStateException expected) {
                // jfr-b's failure is the group's failure
            }
            recording.stop();
            recording.dump(file);
        }
        for (RecordedEvent e : RecordingFile.readAllEvents(file)) {
            String type = e.getEventType().getName();
            if (type.equals("xiio.PollerWait")) seen.add(type);
            else seen.add(type + " " + e.getString("name") + (e.hasField("outcome") ? " " + e.getString("outcome") : ""));
        }
        assertTrue(seen.contains("xiio.TaskStart jfr-a"), seen.toString());
        assertTrue(seen.contains("xiio.TaskEnd jfr-a cancelled"), seen.toString());
        assertTrue(seen.contains("xiio.TaskEnd jfr-b failed: java.lang.IllegalStateException: jfr-b failed"), seen.toString());
        assertTrue(seen.contains("xiio.PollerWait"), seen.toString());
    }

    /** Run in a child JVM by {@link #aStepThatBlocksTheLoopIsReportedOnceWithItsStack}. */
    public static void main(String[] args) throws Exception {
        Xiio.run(() -> TaskGroup.scope(g -> {
            g.spawn("hog", () -> {
                Thread.sleep(400); // blocks the loop
                return null;
            });
            g.spawn("polite", () -> {
                Xiio.sleep(Duration.ofMillis(1));
                return null;
            });
            return null;
        }));
        System.out.println("done");
    }

    @Test
    void aStepThatBlocksTheLoopIsReportedOnceWithItsStack(@TempDir Path dir) throws Exception {
        Path err = dir.resolve("stderr");
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> cmd = new ArrayList<>(List.of(java, "--enable-native-access=ALL-UNNAMED",
                "--add-exports", "java.base/jdk.internal.vm=ALL-UNNAMED",
                "-Dxiio.backend=" + Xiio.backend(), "-Dxiio.slowStepMillis=100",
                "-cp", System.getProperty("java.class.path"), ObservabilityTest.class.getName()));
        Process p = new ProcessBuilder(cmd).redirectError(err.toFile()).start();
        String out = new String(p.getInputStream().readAllBytes());
        assertTrue(p.waitFor(30, TimeUnit.SECONDS));
        assertEquals(0, p.exitValue(), Files.readString(err));
        assertEquals("done\n", out);
        String log = Files.readString(err);
        assertEquals(1, log.split("has run for", -1).length - 1, log);
        assertTrue(log.contains("coroutine 'hog' has run for"), log);
        assertTrue(log.contains("java.lang.Thread.sleep"), log);
        assertTrue(log.contains("ObservabilityTest.lambda$main$"), log);
    }
}
