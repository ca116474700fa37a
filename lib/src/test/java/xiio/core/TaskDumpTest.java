package xiio.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import xiio.concurrent.TaskGroup;
import xiio.support.TestPipe;
import xiio.testing.VirtualClock;

class TaskDumpTest {

    @Test
    void showsTheTreeWithNamesStatesAndSuspensionPoints() throws Exception {
        try (TestPipe pipe = new TestPipe()) {
            String dump = VirtualClock.run(() -> TaskGroup.scope(g -> {
                g.spawn("sleeper", () -> {
                    Xiio.sleep(Duration.ofHours(1));
                    return null;
                });
                g.spawn("reader", () -> TaskGroup.scope(inner -> {
                    inner.spawn("inner reader", () -> Xiio.read(pipe.readFd, new byte[1]));
                    Xiio.sleep(Duration.ofHours(1));
                    return null;
                }));
                Xiio.sleep(Duration.ofMillis(1));
                String text = TaskDump.current();
                g.cancel();
                return text;
            }));
            String[] lines = dump.split("\n");
            assertEquals("main: resuming its tasks", lines[0], dump);
            assertTrue(dump.contains("\n  task group body: running (taking this dump)\n"), dump);
            assertTrue(!dump.contains("xiio.core.Coroutine") && !dump.contains("jdk.internal"), dump);
            assertTrue(dump.contains("\n  sleeper: waiting for deadline("), dump);
            assertTrue(dump.contains("\n  reader: waiting for WaitSet[2 members]"), dump);
            assertTrue(dump.contains("\n    inner reader: waiting for readable(fd " + pipe.readFd + ")"), dump);
            assertTrue(dump.contains("at xiio.core.TaskDumpTest.lambda$showsTheTreeWithNamesStatesAndSuspensionPoints"), dump);
        }
    }

    @Test
    void outsideARunItFails() {
        try {
            TaskDump.current();
        } catch (IllegalStateException expected) {
            return;
        }
        throw new AssertionError("TaskDump.current() outside a run must fail");
    }
}
