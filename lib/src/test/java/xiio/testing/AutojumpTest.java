package xiio.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.Test;
import xiio.concurrent.TaskGroup;
import xiio.concurrent.Timeout;
import xiio.core.Xiio;
import xiio.support.TestPipe;
import xiio.thread.ThreadPool;

/** When the virtual clock may jump: past deadlines at once, never past work on a thread, past silent fds after the threshold. */
class AutojumpTest {

    @Test
    void aVirtualTimeoutAroundThreadPoolCallLetsTheWorkAnswer() throws Exception {
        try (ThreadPool pool = new ThreadPool("autojump", 1)) {
            long[] virtual = new long[1];
            String r = VirtualClock.run(() -> {
                long t0 = Xiio.nanoTime();
                String answer = Timeout.withTimeout(Duration.ofSeconds(1), () -> pool.call(() -> {
                    Thread.sleep(300); // real work, longer than nothing
                    return "answered";
                }));
                virtual[0] = Xiio.nanoTime() - t0;
                return answer;
            });
            assertEquals("answered", r);
            assertEquals(0, virtual[0], "work on a thread takes no virtual time");
        }
    }

    @Test
    void sleepersWaitWhileAThreadWorksAndThenJump() throws Exception {
        try (ThreadPool pool = new ThreadPool("autojump", 1)) {
            List<String> log = VirtualClock.run(() -> {
                List<String> out = new ArrayList<>();
                long t0 = Xiio.nanoTime();
                TaskGroup.scope(g -> {
                    g.spawn(() -> {
                        Xiio.sleep(Duration.ofSeconds(10));
                        out.add("slept until " + (Xiio.nanoTime() - t0) / 1_000_000_000 + "s");
                        return null;
                    });
                    g.spawn(() -> {
                        pool.call(() -> {
                            Thread.sleep(200);
                            return null;
                        });
                        out.add("work done at " + (Xiio.nanoTime() - t0) / 1_000_000_000 + "s");
                        return null;
                    });
                    return null;
                });
                return out;
            });
            assertEquals(List.of("work done at 0s", "slept until 10s"), log);
        }
    }

    @Test
    void aSilentFdDoesNotHoldTimeBackByDefault() throws Exception {
        try (TestPipe p = new TestPipe()) {
            long realStart = System.nanoTime();
            long virtual = VirtualClock.run(() -> {
                long t0 = Xiio.nanoTime();
                assertThrows(TimeoutException.class, () -> Timeout.withTimeout(Duration.ofHours(1),
                        () -> Xiio.read(p.readFd, new byte[8])));
                return Xiio.nanoTime() - t0;
            });
            assertEquals(Duration.ofHours(1).toNanos(), virtual);
            assertTrue(System.nanoTime() - realStart < Duration.ofSeconds(30).toNanos());
        }
    }

    @Test
    void aThresholdWaitsForARealPeerThatAnswersLate() throws Exception {
        try (TestPipe p = new TestPipe()) {
            Thread writer = Thread.ofPlatform().start(() -> {
                try {
                    Thread.sleep(200);
                } catch (InterruptedException e) {
                    return;
                }
                p.put("late");
            });
            long[] virtual = new long[1];
            String r = VirtualClock.run(Duration.ofSeconds(30), () -> {
                long t0 = Xiio.nanoTime();
                byte[] buf = new byte[8];
                int n = Timeout.withTimeout(Duration.ofSeconds(1), () -> Xiio.read(p.readFd, buf));
                virtual[0] = Xiio.nanoTime() - t0;
                return new String(buf, 0, n);
            });
            writer.join();
            assertEquals("late", r);
            assertEquals(0, virtual[0]);
        }
    }

    @Test
    void afterTheThresholdTimeJumpsAnyway() throws Exception {
        try (TestPipe p = new TestPipe()) {
            long realStart = System.nanoTime();
            long virtual = VirtualClock.run(Duration.ofMillis(100), () -> {
                long t0 = Xiio.nanoTime();
                assertThrows(TimeoutException.class, () -> Timeout.withTimeout(Duration.ofHours(1),
                        () -> Xiio.read(p.readFd, new byte[8])));
                return Xiio.nanoTime() - t0;
            });
            assertEquals(Duration.ofHours(1).toNanos(), virtual);
            assertTrue(System.nanoTime() - realStart >= Duration.ofMillis(100).toNanos(), "waited the threshold for real first");
        }
    }

    @Test
    void aThresholdDoesNotDelayPureVirtualWaits() throws Exception {
        long realStart = System.nanoTime();
        VirtualClock.run(Duration.ofHours(1), () -> {
            for (int i = 0; i < 100; i++) Xiio.sleep(Duration.ofMinutes(1));
            return null;
        });
        assertTrue(System.nanoTime() - realStart < Duration.ofSeconds(30).toNanos(), "no fd waited on: no real waiting");
    }

    @Test
    void aNegativeThresholdIsRefused() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new VirtualClock(Duration.ofMillis(-1)));
        assertTrue(e.getMessage().contains("autojumpThreshold"), e.getMessage());
    }
}
