package xiio.concurrent;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import xiio.core.Condition;
import xiio.core.Promise;
import xiio.core.Xiio;
import xiio.support.TestPipe;
import xiio.testing.VirtualClock;

/**
 * Many coroutines waiting on one thing, each under its own timeout (issue 12, defect 4:
 * a server with many connections waiting on one shutdown event, each with an idle
 * timeout). Half of them time out, oldest first; the others must still be woken by the
 * one thing, exactly once each. How the cost grows with N is measured by
 * {@code ./xiio bench core}; here, that every waiter ends the way it should.
 */
class SharedWaitTest {
    private static final int N = 4_000;

    @Test
    void waitersOnOneEventTimeOutOldestFirstAndTheRestWake() throws Exception {
        int[] outcome = VirtualClock.run(() -> {
            Event event = new Event();
            int[] counts = new int[2]; // timed out, woken
            TaskGroup.scope(g -> {
                for (int i = 0; i < N; i++) {
                    long limit = i < N / 2 ? i + 1 : Long.MAX_VALUE / 4_000_000;
                    g.spawn(() -> {
                        Object r = Timeout.withTimeoutOrNull(Duration.ofMillis(limit), () -> {
                            event.await();
                            return "woken";
                        });
                        counts[r == null ? 0 : 1]++;
                        return null;
                    });
                }
                Xiio.sleep(Duration.ofMillis(N));
                event.set();
                return null;
            });
            return counts;
        });
        assertEquals(N / 2, outcome[0]);
        assertEquals(N / 2, outcome[1]);
    }

    @Test
    void waitersOnTwoPromisesAtOnceLeaveBothListsWhenOneFires() throws Exception {
        int woken = VirtualClock.run(() -> {
            Promise<String> a = new Promise<>(), b = new Promise<>();
            int[] count = {0};
            TaskGroup.scope(g -> {
                for (int i = 0; i < N; i++) {
                    long limit = i % 3 == 0 ? i + 1 : Long.MAX_VALUE / 4_000_000;
                    Condition either = i % 2 == 0 ? a.condition().or(b.condition()) : b.condition().or(a.condition());
                    g.spawn(() -> {
                        if (Timeout.withTimeoutOrNull(Duration.ofMillis(limit), () -> {
                            Xiio.await(either);
                            return "woken";
                        }) != null) count[0]++;
                        return null;
                    });
                }
                Xiio.sleep(Duration.ofMillis(N + 1));
                a.complete("a");
                Xiio.sleep(Duration.ofMillis(1));
                b.complete("b"); // nobody may still be listed on b
                return null;
            });
            return count[0];
        });
        assertEquals(N - (N + 2) / 3, woken);
    }

    @Test
    void waitersOnOneFdTimeOutOldestFirstAndTheRestWake() throws Exception {
        try (TestPipe pipe = new TestPipe()) {
            int[] outcome = VirtualClock.run(() -> {
                int[] counts = new int[2];
                TaskGroup.scope(g -> {
                    for (int i = 0; i < N; i++) {
                        long limit = i < N / 2 ? i + 1 : Long.MAX_VALUE / 4_000_000;
                        g.spawn(() -> {
                            Object r = Timeout.withTimeoutOrNull(Duration.ofMillis(limit), () -> {
                                Xiio.await(Condition.readable(pipe.readFd));
                                return "readable";
                            });
                            counts[r == null ? 0 : 1]++;
                            return null;
                        });
                    }
                    Xiio.sleep(Duration.ofMillis(N));
                    pipe.put("x");
                    return null;
                });
                return counts;
            });
            assertEquals(N / 2, outcome[0]);
            assertEquals(N / 2, outcome[1]);
        }
    }

}
