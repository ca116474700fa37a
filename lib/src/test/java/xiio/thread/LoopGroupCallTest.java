package xiio.thread;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import xiio.concurrent.Timeout;
import xiio.core.Xiio;

/**
 * {@code Loop.call}: work handed to another loop behaves like a task of the caller's.
 * The oracle for "nothing outlives the call" is a flag the remote cleanup sets, read
 * the moment the caller's timeout returns.
 */
class LoopGroupCallTest {
    private static void assumeFastBackend() {
        Assumptions.assumeTrue(Xiio.backend().equals("continuation") || Runtime.getRuntime().availableProcessors() > 3);
    }

    @Test
    void aCallReturnsTheResultOrThrowsTheFailureAsItselfFromAnyLoop() throws Exception {
        assumeFastBackend();
        CompletableFuture<Void> finished = new CompletableFuture<>();
        LoopGroup.run("call", 2, loop -> {
            if (loop.index() == 1) {
                Futures.await(finished); // a loop whose body has ended takes no more work
                return;
            }
            LoopGroup.Loop other = loop.group().loop(1);
            assertEquals("call-1", other.call(() -> Thread.currentThread().getName()));
            IOException e = assertThrows(IOException.class, () -> other.call(() -> {
                throw new IOException("remote failure");
            }));
            assertEquals("remote failure", e.getMessage());
            assertEquals("call-0", loop.call(() -> Thread.currentThread().getName()), "a loop may call itself");
            finished.complete(null);
        });
    }

    @Test
    void aCancelledCallerCancelsTheRemoteCoroutineAndWaitsForItsCleanup() throws Exception {
        assumeFastBackend();
        AtomicBoolean cleanedUp = new AtomicBoolean();
        AtomicReference<Boolean> cleanedUpWhenTheCallerMovedOn = new AtomicReference<>();
        CompletableFuture<Void> finished = new CompletableFuture<>();
        LoopGroup.run("call", 2, loop -> {
            if (loop.index() == 1) {
                Futures.await(finished); // loop 1 stays up until the caller is done
                return;
            }
            Object r = Timeout.withTimeoutOrNull(Duration.ofMillis(30), () -> loop.group().loop(1).call(() -> {
                try {
                    Xiio.sleep(Duration.ofDays(1));
                    return "never";
                } finally {
                    Xiio.sleep(Duration.ofMillis(20)); // cleanup that waits, on the remote loop
                    cleanedUp.set(true);
                }
            }));
            cleanedUpWhenTheCallerMovedOn.set(cleanedUp.get());
            assertNull(r);
            finished.complete(null);
        });
        assertEquals(Boolean.TRUE, cleanedUpWhenTheCallerMovedOn.get(), "the remote cleanup had run when the timeout returned");
    }

    @Test
    void aBodyQueuedBehindABusyLoopNeverStartsOnceItsCallerGaveUp() throws Exception {
        assumeFastBackend();
        AtomicBoolean started = new AtomicBoolean();
        CountDownLatch loop1Blocks = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        AtomicReference<Long> waitedMillis = new AtomicReference<>();
        LoopGroup.run("call", 2, loop -> {
            if (loop.index() == 1) {
                // hold loop 1's thread outright: nothing queued to it can start meanwhile
                loop.call(() -> {
                    loop1Blocks.countDown();
                    assertTrue(release.await(30, TimeUnit.SECONDS));
                    return null;
                });
                Xiio.sleep(Duration.ofMillis(50)); // the abandoned call would run now, if it could
                return;
            }
            assertTrue(loop1Blocks.await(30, TimeUnit.SECONDS));
            long t0 = System.nanoTime();
            Object r = Timeout.withTimeoutOrNull(Duration.ofMillis(20), () -> loop.group().loop(1).call(() -> {
                started.set(true);
                return "ran";
            }));
            waitedMillis.set((System.nanoTime() - t0) / 1_000_000);
            assertNull(r);
            release.countDown();
        });
        assertFalse(started.get(), "a call abandoned before it started never runs");
        assertTrue(waitedMillis.get() < 10_000, "the caller did not wait for the busy loop: " + waitedMillis.get() + " ms");
    }

    @Test
    void aLoopThatHasEndedRefusesCalls() throws Exception {
        assumeFastBackend();
        LoopGroup group = LoopGroup.start("call", 1, loop -> {});
        group.join();
        assertThrows(RejectedExecutionException.class, () -> Xiio.run(() -> group.loop(0).call(() -> 1)));
        assertThrows(NullPointerException.class, () -> Xiio.run(() -> group.loop(0).call(null)));
    }
}
