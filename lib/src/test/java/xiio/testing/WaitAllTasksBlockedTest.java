package xiio.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import xiio.concurrent.Event;
import xiio.concurrent.Task;
import xiio.concurrent.TaskGroup;
import xiio.concurrent.Timeout;
import xiio.core.Xiio;
import xiio.support.TestPipe;

class WaitAllTasksBlockedTest {

    @Test
    void returnsOnceTheOthersRanAsFarAsTheyCan() throws Exception {
        Xiio.run(() -> TaskGroup.scope(g -> {
            int[] steps = {0};
            Event go = new Event();
            Task<?> t = g.spawn(() -> {
                for (int i = 0; i < 100; i++) {
                    steps[0]++;
                    Xiio.yieldNow();
                }
                go.await();
                steps[0]++;
                return null;
            });
            Testing.waitAllTasksBlocked();
            assertEquals(100, steps[0], "every yield ran before");
            assertFalse(t.isDone(), "nothing happens without the event");
            go.set();
            Testing.waitAllTasksBlocked();
            assertEquals(101, steps[0]);
            assertTrue(t.isDone());
            return null;
        }));
    }

    @Test
    void readyFdsAreServedFirst() throws Exception {
        try (TestPipe p = new TestPipe()) {
            p.put("x");
            Xiio.run(() -> TaskGroup.scope(g -> {
                List<String> got = new ArrayList<>();
                g.spawn(() -> {
                    byte[] b = new byte[1];
                    Xiio.read(p.readFd, b);
                    got.add(new String(b));
                    Xiio.read(p.readFd, b); // then blocks on the empty pipe
                    return null;
                });
                Testing.waitAllTasksBlocked();
                assertEquals(List.of("x"), got);
                g.cancel();
                return null;
            }));
        }
    }

    @Test
    void comesBeforeAnyJumpOfTheVirtualClock() throws Exception {
        VirtualClock.run(() -> TaskGroup.scope(g -> {
            long t0 = Xiio.nanoTime();
            g.spawn(() -> {
                Xiio.sleep(Duration.ofHours(1));
                return null;
            });
            Testing.waitAllTasksBlocked();
            assertEquals(0, Xiio.nanoTime() - t0, "a sleeper counts as blocked, and time stood still");
            return null;
        }));
    }

    @Test
    void severalCallersReturnOneAtATime() throws Exception {
        List<String> log = Xiio.run(() -> {
            List<String> out = new ArrayList<>();
            TaskGroup.scope(g -> {
                for (String name : List.of("a", "b", "c")) {
                    g.spawn(() -> {
                        Testing.waitAllTasksBlocked();
                        out.add(name);
                        return null;
                    });
                }
                return null;
            });
            return out;
        });
        assertEquals(3, log.size());
        assertEquals(3, log.stream().distinct().count(), "each returned once: " + log);
    }

    @Test
    void aCallerAloneReturnsAtOnce() throws Exception {
        VirtualClock.run(() -> {
            Testing.waitAllTasksBlocked();
            Testing.waitAllTasksBlocked();
            return null;
        });
    }

    @Test
    void neverReturnsWhileAnotherTaskKeepsRunningAndIsCancellable() throws Exception {
        Xiio.run(() -> TaskGroup.scope(g -> {
            boolean[] stop = {false};
            g.spawn(() -> {
                while (!stop[0]) Xiio.yieldNow(); // never blocks
                return null;
            });
            Object r = Timeout.withTimeoutOrNull(Duration.ofMillis(50), () -> {
                Testing.waitAllTasksBlocked();
                return "returned";
            });
            stop[0] = true;
            assertNull(r, "a spinning task is never blocked");
            return null;
        }));
    }

    @Test
    void outsideARunItSaysSo() {
        IllegalStateException e = assertThrows(IllegalStateException.class, Testing::waitAllTasksBlocked);
        assertTrue(e.getMessage().toLowerCase().contains("run"), e.getMessage());
    }
}
