package xiio.thread;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import xiio.concurrent.TaskGroup;
import xiio.concurrent.Timeout;
import xiio.core.Xiio;

class ThreadPoolTest {

    @Test
    void returnsTheResultAndRunsOnANamedWorker() throws Exception {
        try (ThreadPool pool = new ThreadPool("test-pool", 2)) {
            String worker = Xiio.run(() -> pool.call(() -> Thread.currentThread().getName()));
            assertTrue(worker.startsWith("test-pool-"), worker);
        }
    }

    @Test
    void exceptionsComeBackAsThemselves() throws Exception {
        IOException failure = new IOException("disk on fire");
        IOException thrown = assertThrows(IOException.class, () -> Xiio.run(() -> ThreadPool.runInThread(() -> {
            throw failure;
        })));
        assertSame(failure, thrown);
    }

    @Test
    void theLoopKeepsRunningWhileAWorkerBlocks() throws Exception {
        try (ThreadPool pool = new ThreadPool("blocking", 1)) {
            int ticks = Xiio.run(() -> TaskGroup.scope(g -> {
                int[] count = new int[1];
                g.spawn(() -> pool.call(() -> {
                    Thread.sleep(100);
                    return null;
                }));
                for (int i = 0; i < 5; i++) {
                    Xiio.sleep(Duration.ofMillis(5));
                    count[0]++;
                }
                return count[0];
            }));
            assertEquals(5, ticks);
        }
    }

    @Test
    void cancellingTheAwaitLeaksNeitherWorkerNorFd() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        AtomicBoolean finished = new AtomicBoolean();
        try (ThreadPool pool = new ThreadPool("cancel", 1)) {
            Object r = Xiio.run(() -> Timeout.withTimeoutOrNull(Duration.ofMillis(20), () -> pool.call(() -> {
                release.await();
                finished.set(true);
                return "late";
            })));
            assertEquals(null, r);
            release.countDown();
            // the worker runs to completion and closes the eventfd itself (LeakGuard checks)
            pool.close();
            assertTrue(pool.awaitTermination(5000));
            assertTrue(finished.get());
        }
    }

    @Test
    void interruptOnCancelInterruptsTheWorker() throws Exception {
        AtomicBoolean interrupted = new AtomicBoolean();
        try (ThreadPool pool = new ThreadPool("interrupt", 1)) {
            Xiio.run(() -> Timeout.withTimeoutOrNull(Duration.ofMillis(20), () -> pool.call(() -> {
                try {
                    Thread.sleep(10_000);
                } catch (InterruptedException e) {
                    interrupted.set(true);
                }
                return null;
            }, true)));
            pool.close();
            assertTrue(pool.awaitTermination(5000));
            assertTrue(interrupted.get());
        }
    }

    @Test
    void aClosedPoolRejectsWork() throws Exception {
        ThreadPool pool = new ThreadPool("closed", 1);
        pool.close();
        RejectedExecutionException e = assertThrows(RejectedExecutionException.class,
                () -> Xiio.run(() -> pool.call(() -> 1)));
        assertTrue(e.getMessage().contains("'closed' is closed"), e.getMessage());
    }

    @Test
    void rejectsNonPositiveWorkerCounts() {
        assertThrows(IllegalArgumentException.class, () -> new ThreadPool("x", 0));
    }

    @Test
    void manyCallsInOneRunReuseFdNumbersSafely() throws Exception {
        // each call's eventfd is closed and its number reused by the next: the loop
        // must forget the old registration, or the next call waits forever
        try (ThreadPool pool = new ThreadPool("sequential", 1)) {
            int sum = Xiio.run(() -> Timeout.withTimeout(Duration.ofSeconds(20), () -> {
                int s = 0;
                for (int i = 0; i < 50; i++) {
                    int k = i;
                    s += pool.call(() -> {
                        Thread.sleep(1);
                        return k;
                    });
                }
                return s;
            }));
            assertEquals(50 * 49 / 2, sum);
        }
    }

    @Test
    void aJobCancelledBeforeAWorkerTookItNeverRuns() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        CountDownLatch occupied = new CountDownLatch(1);
        AtomicBoolean secondRan = new AtomicBoolean();
        try (ThreadPool pool = new ThreadPool("queued", 1)) {
            Xiio.run(() -> TaskGroup.scope(g -> {
                g.spawn(() -> pool.call(() -> {
                    occupied.countDown();
                    release.await(); // occupies the only worker
                    return null;
                }));
                while (occupied.getCount() > 0) Xiio.sleep(Duration.ofMillis(1));
                Timeout.withTimeoutOrNull(Duration.ofMillis(30), () -> pool.call(() -> {
                    secondRan.set(true);
                    return null;
                }));
                release.countDown();
                return null;
            }));
            pool.close();
            assertTrue(pool.awaitTermination(5000));
        }
        assertFalse(secondRan.get(), "the queued job was abandoned before it started");
    }

    @Test
    void anInterruptForACancelledJobNeverReachesTheNextJob() throws Exception {
        // The cancelled job spins (ignoring interrupts) for about as long as the timeout,
        // so the interrupt lands near the moment the worker finishes it.
        AtomicInteger leaked = new AtomicInteger();
        try (ThreadPool pool = new ThreadPool("interrupt-race", 1)) {
            Xiio.run(() -> {
                for (int i = 0; i < 200; i++) {
                    long spin = 200_000 + (i % 7) * 50_000;
                    Timeout.withTimeoutOrNull(Duration.ofNanos(400_000), () -> pool.call(() -> {
                        long end = System.nanoTime() + spin;
                        while (System.nanoTime() < end) Thread.onSpinWait();
                        return null;
                    }, true));
                    if (pool.call(() -> Thread.currentThread().isInterrupted())) leaked.incrementAndGet();
                }
                return null;
            });
        }
        assertEquals(0, leaked.get(), "jobs that started with their worker's interrupt flag set");
    }
}
