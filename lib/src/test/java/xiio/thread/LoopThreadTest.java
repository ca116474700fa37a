package xiio.thread;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import xiio.core.CancelledError;
import xiio.core.Xiio;

/** LoopThread: coroutines started from plain Java code, with futures that cancel them. */
class LoopThreadTest {

    @Test
    void aCoroutineStartedFromPlainJavaCompletesItsFuture() throws Exception {
        try (LoopThread loop = LoopThread.start("bridge-loop")) {
            CompletableFuture<String> f = loop.submit(() -> {
                Xiio.sleep(Duration.ofMillis(20));
                return "done on " + Thread.currentThread().getName();
            });
            String r = f.get(10, TimeUnit.SECONDS);
            assertTrue(r.startsWith("done on "), r);
            if (Xiio.backend().equals("continuation")) assertEquals("done on bridge-loop", r);
        }
    }

    @Test
    void cancellingTheFutureCancelsTheCoroutineAndItsCleanupRuns() throws Exception {
        CountDownLatch started = new CountDownLatch(1);
        CountDownLatch cleanedUp = new CountDownLatch(1);
        AtomicReference<Throwable> seen = new AtomicReference<>();
        try (LoopThread loop = LoopThread.start("cancel-loop")) {
            CompletableFuture<String> f = loop.submit("sleeper", () -> {
                started.countDown();
                try {
                    Xiio.sleep(Duration.ofHours(1));
                    return "never";
                } catch (CancelledError e) {
                    seen.set(e);
                    Xiio.sleep(Duration.ofMillis(5)); // cleanup may still suspend
                    cleanedUp.countDown();
                    throw e;
                }
            });
            assertTrue(started.await(10, TimeUnit.SECONDS));
            assertTrue(f.cancel(true));
            assertTrue(f.isCancelled());
            assertTrue(cleanedUp.await(10, TimeUnit.SECONDS), "the coroutine saw the cancellation and cleaned up");
            assertInstanceOf(CancelledError.class, seen.get());
            assertThrows(CancellationException.class, f::join);
        }
    }

    @Test
    void failuresCompleteTheFutureAndSparetheOthers() throws Exception {
        IOException boom = new IOException("boom");
        try (LoopThread loop = LoopThread.start("failing-loop")) {
            CompletableFuture<String> bad = loop.submit(() -> {
                Xiio.sleep(Duration.ofMillis(1));
                throw boom;
            });
            CompletableFuture<String> good = loop.submit(() -> {
                Xiio.sleep(Duration.ofMillis(30));
                return "still fine";
            });
            ExecutionException e = assertThrows(ExecutionException.class, () -> bad.get(10, TimeUnit.SECONDS));
            assertSame(boom, e.getCause());
            assertEquals("still fine", good.get(10, TimeUnit.SECONDS));
        }
    }

    @Test
    void closeWaitsForRunningCoroutinesAndThenRejects() throws Exception {
        LoopThread loop = LoopThread.start("closing-loop");
        List<CompletableFuture<Integer>> futures = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            int k = i;
            futures.add(loop.submit(() -> {
                Xiio.sleep(Duration.ofMillis(k % 10));
                return k;
            }));
        }
        loop.close();
        for (int i = 0; i < 100; i++) assertEquals(i, futures.get(i).getNow(-1), "finished before close returned");
        assertTrue(loop.terminated().isDone());
        assertThrows(RejectedExecutionException.class, () -> loop.submit(() -> 1));
        assertThrows(RejectedExecutionException.class, () -> loop.execute(() -> {}));
        assertEquals(false, loop.thread().isAlive());
    }

    @Test
    void shutdownNowCancelsRunningCoroutines() throws Exception {
        LoopThread loop = LoopThread.start("now-loop");
        CountDownLatch started = new CountDownLatch(1);
        CompletableFuture<Object> forever = loop.submit(() -> {
            started.countDown();
            Xiio.sleep(Duration.ofHours(1));
            return null;
        });
        assertTrue(started.await(10, TimeUnit.SECONDS));
        loop.shutdownNow();
        assertTrue(loop.awaitTermination(Duration.ofSeconds(10)));
        assertTrue(forever.isCancelled());
    }

    @Test
    void itIsAnExecutorForCompletableFutures() throws Exception {
        try (LoopThread loop = LoopThread.start("executor-loop")) {
            String r = CompletableFuture.supplyAsync(() -> {
                Xiio.sleep(Duration.ofMillis(1)); // runs as a coroutine: it may suspend
                return "supplied";
            }, loop).get(10, TimeUnit.SECONDS);
            assertEquals("supplied", r);
        }
    }

    @Test
    void coroutinesOnTheLoopCanAwaitOtherThreadsWork() throws Exception {
        // both bridges at once: plain Java -> coroutine -> CompletableFuture of another thread
        try (LoopThread loop = LoopThread.start("both-ways")) {
            CompletableFuture<Integer> r = loop.submit(() -> {
                CompletableFuture<Integer> work = CompletableFuture.supplyAsync(() -> 6 * 7);
                return Futures.await(work);
            });
            assertEquals(42, r.get(10, TimeUnit.SECONDS));
        }
    }

    @Test
    void whatAnExecutedRunnableThrowsGoesToTheUncaughtExceptionHandler() throws Exception {
        Thread.UncaughtExceptionHandler previous = Thread.getDefaultUncaughtExceptionHandler();
        CompletableFuture<Throwable> reported = new CompletableFuture<>();
        Thread.setDefaultUncaughtExceptionHandler((t, e) -> reported.complete(e));
        try (LoopThread loop = LoopThread.start("execute-loop")) {
            IllegalStateException boom = new IllegalStateException("from a runnable");
            loop.execute(() -> {
                Xiio.sleep(Duration.ofMillis(1));
                throw boom;
            });
            assertSame(boom, reported.get(10, TimeUnit.SECONDS));
            assertEquals("ok", loop.submit(() -> "ok").get(10, TimeUnit.SECONDS), "the loop goes on");
        } finally {
            Thread.setDefaultUncaughtExceptionHandler(previous);
        }
    }
}
