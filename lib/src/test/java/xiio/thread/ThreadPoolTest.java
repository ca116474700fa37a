package xiio.thread;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
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

}
