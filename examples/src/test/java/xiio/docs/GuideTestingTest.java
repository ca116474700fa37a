package xiio.docs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.Test;
import xiio.concurrent.Timeout;
import xiio.core.Suspendable;
import xiio.core.Xiio;
import xiio.io.Pipe;
import xiio.testing.VirtualClock;

/** The examples of docs/guide-testing.md: code with sleeps and timeouts, tested in virtual time. */
class GuideTestingTest {

    // region retry
    /** Your code: tries {@code attempt} up to 5 times, waiting 1 s, 2 s, 4 s, 8 s in between. */
    static <T> T withRetries(Suspendable<T> attempt) throws Exception {
        Duration pause = Duration.ofSeconds(1);
        for (int i = 1; ; i++) {
            try {
                return attempt.call();
            } catch (IOException e) {
                if (i == 5) throw e;
                Xiio.sleep(pause);
                pause = pause.multipliedBy(2);
            }
        }
    }
    // endregion

    @Test
    void retriesBackOffExactly() throws Exception {
        long realStart = System.nanoTime();
        // region retry-test
        List<Long> attemptsAt = new ArrayList<>();
        IOException e = assertThrows(IOException.class, () -> VirtualClock.run(() -> {
            long t0 = Xiio.nanoTime();
            return withRetries(() -> {
                attemptsAt.add((Xiio.nanoTime() - t0) / 1_000_000_000);   // seconds of virtual time
                throw new IOException("service unavailable");
            });
        }));
        assertEquals(List.of(0L, 1L, 3L, 7L, 15L), attemptsAt);          // 15 virtual seconds ...
        // endregion
        assertEquals("service unavailable", e.getMessage());
        assertTrue(System.nanoTime() - realStart < Duration.ofSeconds(5).toNanos(), "... in far less real time");
    }

    @Test
    void timeoutsAreExact() throws Exception {
        // region timeout
        VirtualClock.run(() -> {
            long t0 = Xiio.nanoTime();
            assertThrows(TimeoutException.class, () -> Timeout.withTimeout(Duration.ofHours(1), () -> {
                Xiio.sleep(Duration.ofDays(1));
                return null;
            }));
            assertEquals(Duration.ofHours(1).toNanos(), Xiio.nanoTime() - t0);   // exactly
            return null;
        });
        // endregion
    }

    @Test
    void realFdsStillWork() throws Exception {
        String got = VirtualClock.run(() -> {
            // region real-fds
            try (Pipe pipe = Pipe.open()) {
                byte[] data = "real".getBytes();
                pipe.writer().writeAll(data, 0, data.length);
                byte[] buf = new byte[8];
                // the fd is ready, so it wins over the virtual hour
                int n = Timeout.withTimeout(Duration.ofHours(1), () -> pipe.reader().read(buf, 0, buf.length));
                return new String(buf, 0, n);
            }
            // endregion
        });
        assertEquals("real", got);
    }
}
