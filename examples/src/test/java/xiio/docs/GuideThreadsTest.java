package xiio.docs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import xiio.concurrent.TaskGroup;
import xiio.concurrent.Timeout;
import xiio.core.Xiio;
import xiio.thread.Futures;
import xiio.thread.LoopExecutor;
import xiio.thread.LoopThread;
import xiio.thread.ThreadPool;

/** The examples of docs/guide-threads.md: worker threads, futures, and coroutines started from plain Java. */
class GuideThreadsTest {

    @Test
    void blockingCallsOnTheCommonPool(@TempDir Path dir) throws Exception {
        Path file = Files.writeString(dir.resolve("config.txt"), "port=8080\n");
        String got = Xiio.run(() -> {
            // region run-in-thread
            // Files.readString blocks: on a worker, the other coroutines keep running
            String config = ThreadPool.runInThread(() -> Files.readString(file));
            // endregion
            return config;
        });
        assertEquals("port=8080\n", got);
    }

    @Test
    void aPoolOfItsOwn() throws Exception {
        long elapsed = Xiio.run(() -> {
            long t0 = System.nanoTime();
            // region pool
            try (ThreadPool jdbc = new ThreadPool("jdbc", 4)) {            // at most 4 blocking calls at once
                List<String> rows = TaskGroup.gather(
                        () -> jdbc.call(() -> { Thread.sleep(100); return "row 1"; }),   // a blocking query
                        () -> jdbc.call(() -> { Thread.sleep(100); return "row 2"; }));
                // endregion
                assertEquals(List.of("row 1", "row 2"), rows);
            }
            return System.nanoTime() - t0;
        });
        assertTrue(elapsed < Duration.ofMillis(190).toNanos(), "the two calls ran at once: " + elapsed / 1_000_000 + " ms");
    }

    @Test
    void cancellingAWaitInterruptsTheWorker() throws Exception {
        AtomicBoolean interrupted = new AtomicBoolean();
        try (ThreadPool pool = new ThreadPool("slow", 1)) {
            String got = Xiio.run(() -> {
                // region interrupt
                String result = Timeout.withTimeoutOrNull(Duration.ofMillis(50), () ->
                        pool.call(() -> {
                            try {
                                Thread.sleep(Duration.ofMinutes(1));       // honours interrupts
                                return "done";
                            } catch (InterruptedException e) {
                                interrupted.set(true);
                                throw e;
                            }
                        }, true));          // interruptOnCancel: the timeout interrupts the worker
                // endregion
                return result;
            });
            assertEquals(null, got);
            pool.close();
            assertTrue(pool.awaitTermination(5000));
        }
        assertTrue(interrupted.get());
    }

    @Test
    void awaitingJavaFutures() throws Exception {
        ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();
        try {
            int got = Xiio.run(() -> {
                // region futures
                CompletableFuture<Integer> answer = CompletableFuture.supplyAsync(() -> 6 * 7, executor);
                int value = Futures.await(answer);          // suspends; the completing thread wakes the loop
                // endregion
                return value;
            });
            assertEquals(42, got);
            CompletableFuture<String> failed = CompletableFuture.failedFuture(new IllegalStateException("no"));
            IllegalStateException e = assertThrows(IllegalStateException.class, () -> Xiio.run(() -> Futures.await(failed)));
            assertEquals("no", e.getMessage());    // unwrapped, as itself
        } finally {
            executor.shutdown();
            assertTrue(executor.awaitTermination(5, TimeUnit.SECONDS));
        }
    }

    @Test
    void coroutinesFromPlainJava() throws Exception {
        // region loop-thread
        try (LoopThread loop = LoopThread.start("io")) {
            CompletableFuture<String> reply = loop.submit(() -> {
                Xiio.sleep(Duration.ofMillis(10));         // a coroutine on the loop's thread
                return "pong";
            });
            System.out.println(reply.get());              // blocks this plain thread, not the loop
        }                                                 // waits for running coroutines, like ExecutorService.close
        // endregion
    }

    @Test
    void cancellingTheFutureCancelsTheCoroutine() throws Exception {
        AtomicBoolean cleanedUp = new AtomicBoolean();
        try (LoopThread loop = LoopThread.start("io")) {
            // region cancel-future
            CountDownLatch started = new CountDownLatch(1);
            CompletableFuture<String> slow = loop.submit("slow", () -> {
                try {
                    started.countDown();
                    Xiio.sleep(Duration.ofDays(1));
                    return "late";
                } finally {
                    cleanedUp.set(true);                   // runs on the loop: CancelledError at the sleep
                }
            });
            started.await();                               // (cancelled before it starts, the body never runs)
            slow.cancel(true);
            // endregion
            assertThrows(CancellationException.class, slow::join);
        }
        assertTrue(cleanedUp.get());
    }

    @Test
    void servingSubmissionsInYourOwnRun() throws Exception {
        // region loop-executor
        LoopExecutor inbox = new LoopExecutor("inbox");
        Thread producer = Thread.ofPlatform().start(() -> {
            CompletableFuture<String> f = inbox.submit(() -> { Xiio.sleep(Duration.ofMillis(10)); return "hi"; });
            System.out.println(f.join());
            inbox.shutdown();
        });
        Xiio.run(() -> { inbox.serve(); return null; });   // returns once shut down and idle
        // endregion
        producer.join();
        assertTrue(inbox.terminated().isDone());
    }
}
