package xiio.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import xiio.concurrent.TaskGroup;
import xiio.core.Xiio;
import xiio.support.TestPipe;

class VirtualClockTest {

    @Test
    void timeJumpsToTheNextDeadline() throws Exception {
        long realStart = System.nanoTime();
        long virtual = VirtualClock.run(() -> {
            long t0 = Xiio.nanoTime();
            Xiio.sleep(Duration.ofDays(1));
            return Xiio.nanoTime() - t0;
        });
        assertEquals(Duration.ofDays(1).toNanos(), virtual);
        assertTrue(System.nanoTime() - realStart < Duration.ofSeconds(5).toNanos());
    }

    @Test
    void deadlinesFireInOrderAtExactTimes() throws Exception {
        List<String> log = VirtualClock.run(() -> {
            List<String> out = new ArrayList<>();
            long t0 = Xiio.nanoTime();
            TaskGroup.scope(g -> {
                for (int s : new int[] {30, 10, 20}) {
                    g.spawn(() -> {
                        Xiio.sleep(Duration.ofSeconds(s));
                        out.add(s + "s at " + (Xiio.nanoTime() - t0) / 1_000_000_000 + "s");
                        return null;
                    });
                }
                return null;
            });
            return out;
        });
        assertEquals(List.of("10s at 10s", "20s at 20s", "30s at 30s"), log);
    }

    @Test
    void realFdsStillWorkAndComeFirst() throws Exception {
        try (TestPipe p = new TestPipe()) {
            String r = VirtualClock.run(() -> TaskGroup.scope(g -> {
                Thread writer = Thread.ofPlatform().start(() -> {
                    try {
                        Thread.sleep(30);
                    } catch (InterruptedException e) {
                        return;
                    }
                    p.put("real");
                });
                byte[] buf = new byte[8];
                int n = Xiio.read(p.readFd, buf);
                writer.join();
                return new String(buf, 0, n);
            }));
            assertEquals("real", r);
        }
    }
}
