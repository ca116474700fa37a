package xiio.signal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import xiio.concurrent.TaskGroup;
import xiio.core.Xiio;

class TaskDumpsTest {

    @Test
    void aSignalPrintsTheTaskTreeWithSuspensionPoints() throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);
        String result = Xiio.run(() -> TaskDumps.on(Signal.SIGUSR1, out, () -> TaskGroup.scope(g -> {
            g.spawn("idle worker", () -> {
                Xiio.sleep(Duration.ofHours(1));
                return null;
            });
            Signals.send(ProcessHandle.current().pid(), Signal.SIGUSR1);
            // the dump arrives through the JVM's signal thread and an eventfd
            for (int i = 0; i < 500 && !bytes.toString(StandardCharsets.UTF_8).contains("idle worker"); i++) {
                Xiio.sleep(Duration.ofMillis(10));
            }
            g.cancel();
            return "body done";
        })));
        String dump = bytes.toString(StandardCharsets.UTF_8);
        assertEquals("body done", result); // the body returned before a suspension could cancel it
        assertTrue(dump.startsWith("xiio task dump (SIGUSR1):\nmain: "), dump);
        assertTrue(dump.contains("idle worker: waiting for deadline("), dump);
        assertTrue(dump.contains("at xiio.signal.TaskDumpsTest.lambda$"), dump);
    }

    @Test
    void reservedSignalsAreRefused() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Xiio.run(() -> TaskDumps.on(Signal.SIGQUIT, System.err, () -> null)));
        assertTrue(e.getMessage().contains("SIGQUIT"), e.getMessage());
    }
}
