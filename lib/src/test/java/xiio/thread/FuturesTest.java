package xiio.thread;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import xiio.concurrent.Task;
import xiio.concurrent.TaskGroup;
import xiio.concurrent.Timeout;
import xiio.core.Xiio;
import xiio.support.LeakGuard;

/** Futures.await: CompletionStages completed by other threads, awaited by coroutines. */
class FuturesTest {

    @Test
    void aFutureCompletedByAnotherThreadWakesTheSleepingLoop() throws Exception {
        CompletableFuture<String> future = new CompletableFuture<>();
        Thread completer = Thread.ofPlatform().start(() -> {
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                return;
            }
            future.complete("from another thread");
        });
        long start = System.nanoTime();
        String value = Xiio.run(() -> Futures.await(future)); // nothing else to do: the loop blocks in epoll_wait
        long elapsed = System.nanoTime() - start;
        completer.join();
        assertEquals("from another thread", value);
        assertTrue(elapsed >= TimeUnit.MILLISECONDS.toNanos(90), "it waited for the completion: " + elapsed);
    }

    @Test
    void aCompletedFutureNeedsNoFd() throws Exception {
        int fdsBefore = LeakGuard.openFds().size();
        int[] fdsDuring = new int[1];
        String v = Xiio.run(() -> {
            String r = Futures.await(CompletableFuture.completedFuture("ready"));
            fdsDuring[0] = LeakGuard.openFds().size();
            return r;
        });
        assertEquals("ready", v);
        assertTrue(fdsDuring[0] <= fdsBefore + 1, "only the run's epoll fd is open: " + fdsDuring[0] + " vs " + fdsBefore);
    }

    @Test
    void failuresAreThrownAsThemselvesAndCancellationAsCancellation() throws Exception {
        IOException boom = new IOException("boom");
        CompletableFuture<String> failed = CompletableFuture.supplyAsync(() -> "x").thenApply(x -> {
            throw new IllegalStateException("in a dependent stage");
        });
        IllegalStateException unwrapped = assertThrows(IllegalStateException.class, () -> Xiio.run(() -> Futures.await(failed)));
        assertEquals("in a dependent stage", unwrapped.getMessage());

        IOException thrown = assertThrows(IOException.class,
                () -> Xiio.run(() -> Futures.await(CompletableFuture.failedFuture(boom))));
        assertSame(boom, thrown);

        CompletableFuture<String> cancelled = new CompletableFuture<>();
        Thread.ofPlatform().start(() -> cancelled.cancel(false));
        assertThrows(CancellationException.class, () -> Xiio.run(() -> Futures.await(cancelled)));
    }

    @Test
    void cancellingTheAwaitLeavesTheFutureAlone() throws Exception {
        CompletableFuture<String> future = new CompletableFuture<>();
        Object r = Xiio.run(() -> Timeout.withTimeoutOrNull(Duration.ofMillis(50), () -> Futures.await(future)));
        assertNull(r);
        assertFalse(future.isDone(), "the await's cancellation did not cancel a future it does not own");
        future.complete("late"); // signals a closed wakeup: nothing happens (LeakGuard checks the fd is gone)
    }

    @Test
    void manyFuturesCompletedConcurrentlyByAPool() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            int sum = Xiio.run(() -> TaskGroup.scope(g -> {
                List<Task<Integer>> tasks = new ArrayList<>();
                for (int round = 0; round < 5; round++) {
                    for (int i = 0; i < 200; i++) {
                        int k = i;
                        tasks.add(g.spawn(() -> Futures.await(CompletableFuture.supplyAsync(() -> k, pool))));
                    }
                    Xiio.sleep(Duration.ofMillis(1));
                }
                int s = 0;
                for (Task<Integer> t : tasks) s += t.join();
                return s;
            }));
            assertEquals(5 * (199 * 200 / 2), sum);
        } finally {
            pool.shutdown();
            assertTrue(pool.awaitTermination(5, TimeUnit.SECONDS));
        }
    }

    @Test
    void awaitsVirtualThreadWork() throws Exception {
        try (ExecutorService virtual = Executors.newVirtualThreadPerTaskExecutor()) {
            String r = Xiio.run(() -> Futures.await(CompletableFuture.supplyAsync(() -> {
                try {
                    Thread.sleep(20);
                } catch (InterruptedException e) {
                    throw new IllegalStateException(e);
                }
                return Thread.currentThread().isVirtual() ? "virtual" : "platform";
            }, virtual)));
            assertEquals("virtual", r);
        }
    }
}
