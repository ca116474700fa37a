package xiio.thread;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import xiio.concurrent.TaskGroup;
import xiio.concurrent.Timeout;
import xiio.core.Xiio;

/** LoopExecutor served inside a run the caller controls. */
class LoopExecutorTest {

    @Test
    void submissionsFromOtherThreadsRunNextToTheCallersOwnCoroutines() throws Exception {
        LoopExecutor inbox = new LoopExecutor("inbox");
        AtomicReference<List<Integer>> results = new AtomicReference<>();
        Thread client = Thread.ofPlatform().unstarted(() -> {
            List<CompletableFuture<Integer>> fs = new ArrayList<>();
            for (int i = 0; i < 50; i++) {
                int k = i;
                fs.add(inbox.submit(() -> {
                    Xiio.sleep(Duration.ofMillis(1));
                    return k * k;
                }));
            }
            results.set(fs.stream().map(CompletableFuture::join).toList());
            inbox.shutdown();
        });
        int[] count = new int[1];
        Xiio.run(() -> TaskGroup.scope(g -> {
            g.spawn(() -> {
                for (int i = 0; i < 3; i++) {
                    Xiio.sleep(Duration.ofMillis(2));
                    count[0]++;
                }
                return null;
            });
            client.start();
            inbox.serve(); // returns once the client has shut it down and nothing runs
            return null;
        }));
        client.join();
        assertEquals(3, count[0], "the caller's own task ran alongside");
        for (int i = 0; i < 50; i++) assertEquals(i * i, results.get().get(i));
        assertTrue(inbox.terminated().isDone());
    }

    @Test
    void submissionsMadeBeforeServingWait() throws Exception {
        LoopExecutor inbox = new LoopExecutor("early");
        CompletableFuture<String> early = inbox.submit(() -> "early bird");
        inbox.shutdown();
        Xiio.run(() -> {
            inbox.serve();
            return null;
        });
        assertEquals("early bird", early.getNow(null));
    }

    @Test
    void cancellingTheServerCancelsItsCoroutinesAndQueuedWork() throws Exception {
        LoopExecutor inbox = new LoopExecutor("cancelled");
        CountDownLatch started = new CountDownLatch(1);
        CompletableFuture<Object> running = inbox.submit(() -> {
            started.countDown();
            Xiio.sleep(Duration.ofHours(1));
            return null;
        });
        Object r = Xiio.run(() -> Timeout.withTimeoutOrNull(Duration.ofMillis(50), () -> {
            inbox.serve();
            return "served";
        }));
        assertEquals(null, r);
        assertTrue(started.await(1, TimeUnit.SECONDS));
        assertTrue(running.isCancelled());
        assertTrue(inbox.isShutdown());
        assertThrows(java.util.concurrent.RejectedExecutionException.class, () -> inbox.submit(() -> 1));
    }

    @Test
    void aFutureCancelledWhileQueuedNeverStarts() throws Exception {
        LoopExecutor inbox = new LoopExecutor("queued");
        AtomicReference<String> ran = new AtomicReference<>("no");
        CompletableFuture<Object> f = inbox.submit(() -> {
            ran.set("yes");
            return null;
        });
        assertTrue(f.cancel(false));
        inbox.shutdown();
        Xiio.run(() -> {
            inbox.serve();
            return null;
        });
        assertEquals("no", ran.get());
        assertThrows(CancellationException.class, f::join);
    }

    @Test
    void servedOnlyOnce() throws Exception {
        LoopExecutor inbox = new LoopExecutor("once");
        inbox.shutdown();
        Xiio.run(() -> {
            inbox.serve();
            return null;
        });
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> Xiio.run(() -> {
            inbox.serve();
            return null;
        }));
        assertTrue(e.getMessage().contains("already served"), e.getMessage());
    }
}
