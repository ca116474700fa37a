package xiio.thread;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import xiio.core.CancelledError;
import xiio.core.Xiio;
import xiio.net.TcpListener;
import xiio.net.TcpStream;

/** N loops on N threads: their bodies, hand-offs between them, and how one failure or a shutdown ends them all. */
class LoopGroupTest {
    @Test
    void everyLoopRunsTheBodyOnAThreadOfItsOwnAndLoopsHandEachOtherWork() throws Exception {
        assumeFastBackend();
        Set<String> threads = ConcurrentHashMap.newKeySet();
        AtomicInteger handedOver = new AtomicInteger();
        CompletableFuture<Void> allHandedOver = new CompletableFuture<>();
        LoopGroup.run("lg", 3, loop -> {
            threads.add(loopThread());
            // each loop asks the next one to run a coroutine there, and awaits its answer
            LoopGroup.Loop next = loop.group().loop((loop.index() + 1) % loop.group().size());
            String where = Futures.await(next.submit(() -> {
                Xiio.sleep(Duration.ofMillis(5));
                if (handedOver.incrementAndGet() == 3) allHandedOver.complete(null);
                return loopThread();
            }));
            assertEquals("lg-" + next.index(), where);
            Futures.await(allHandedOver); // a loop whose body ended takes no more work: stay until all are done
        });
        assertEquals(Set.of("lg-0", "lg-1", "lg-2"), threads);
        assertEquals(3, handedOver.get());
    }

    @Test
    void oneFailureCancelsTheOthersWhoseCleanupRunsAndJoinThrowsIt() throws Exception {
        assumeFastBackend();
        AtomicInteger cleanedUp = new AtomicInteger();
        CountDownLatch waiting = new CountDownLatch(2);
        LoopGroup group = LoopGroup.start("lg", 3, loop -> {
            if (loop.index() == 0) {
                assertTrue(waiting.await(10, TimeUnit.SECONDS));
                throw new IOException("loop 0 failed");
            }
            try {
                waiting.countDown();
                Xiio.sleep(Duration.ofDays(1));
            } finally {
                cleanedUp.incrementAndGet();
            }
        });
        IOException e = assertThrows(IOException.class, group::join);
        assertEquals("loop 0 failed", e.getMessage());
        assertEquals(2, cleanedUp.get());
    }

    @Test
    void shutdownCancelsEveryBodyAndLaterSubmissionsAreRefused() throws Exception {
        assumeFastBackend();
        CountDownLatch running = new CountDownLatch(2);
        AtomicInteger cancelled = new AtomicInteger();
        LoopGroup group = LoopGroup.start("lg", 2, loop -> {
            running.countDown();
            try {
                Xiio.sleep(Duration.ofDays(1));
            } catch (CancelledError e) {
                cancelled.incrementAndGet();
                throw e;
            }
        });
        assertTrue(running.await(10, TimeUnit.SECONDS));
        group.shutdown();
        group.join(); // a shutdown is not a failure
        assertEquals(2, cancelled.get());
        assertTrue(group.terminated().isDone());
        assertThrows(Exception.class, () -> group.loop(0).submit(() -> 1).get(5, TimeUnit.SECONDS));
    }

    @Test
    void loopsShareOnePortWithSoReuseport() throws Exception {
        assumeFastBackend();
        CountDownLatch bound = new CountDownLatch(2);
        int[] port = new int[1];
        Object portLock = new Object();
        AtomicInteger accepted = new AtomicInteger();
        LoopGroup group = LoopGroup.start("lg", 2, loop -> {
            TcpListener.Options reuse = TcpListener.Options.DEFAULT.withReusePort(true);
            try (TcpListener l = loop.index() == 0 ? bindFirst(reuse, port, portLock) : bindSame(reuse, port, portLock)) {
                bound.countDown();
                while (true) {
                    try (TcpStream c = l.accept()) {
                        accepted.incrementAndGet();
                    }
                }
            }
        });
        try {
            assertTrue(bound.await(10, TimeUnit.SECONDS));
            for (int i = 0; i < 20; i++) new Socket("127.0.0.1", port[0]).close();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (accepted.get() < 20 && System.nanoTime() < deadline) Thread.sleep(10);
            assertEquals(20, accepted.get());
        } finally {
            group.shutdown();
            group.join();
        }
    }

    private static TcpListener bindFirst(TcpListener.Options reuse, int[] port, Object lock) throws IOException {
        TcpListener l = TcpListener.bind(new InetSocketAddress("127.0.0.1", 0), reuse);
        synchronized (lock) {
            port[0] = l.localAddress().getPort();
            lock.notifyAll();
        }
        return l;
    }

    private static TcpListener bindSame(TcpListener.Options reuse, int[] port, Object lock) throws Exception {
        int p = Futures.await(CompletableFuture.supplyAsync(() -> {
            synchronized (lock) {
                while (port[0] == 0) {
                    try {
                        lock.wait();
                    } catch (InterruptedException e) {
                        throw new IllegalStateException(e);
                    }
                }
                return port[0];
            }
        }));
        return TcpListener.bind(new InetSocketAddress("127.0.0.1", p), reuse);
    }

    /** The loop thread's name; on the virtual-thread backend a coroutine's thread is named after it ("lg-0 #1"). */
    private static String loopThread() {
        return Thread.currentThread().getName().split(" ")[0];
    }

    /** The virtual-thread backend refuses groups as large as its carrier count: see {@link #theSlowBackendRefusesAsManyLoopsAsCarriers}. */
    private static void assumeFastBackend() {
        Assumptions.assumeTrue(Xiio.backend().equals("continuation") || Runtime.getRuntime().availableProcessors() > 3);
    }

    @Test
    void theSlowBackendRefusesAsManyLoopsAsCarriers() throws Exception {
        Assumptions.assumeTrue(Xiio.backend().equals("vthread"));
        int carriers = Runtime.getRuntime().availableProcessors();
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> LoopGroup.start("lg", carriers, loop -> {}));
        assertTrue(e.getMessage().contains("--add-exports java.base/jdk.internal.vm=ALL-UNNAMED"), e.getMessage());
        if (carriers > 1) LoopGroup.run("lg", 1, loop -> Xiio.sleep(Duration.ofMillis(1))); // one loop is fine
    }

    @Test
    void badSizesAreRefused() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> LoopGroup.start("lg", 0, loop -> {}));
        assertTrue(e.getMessage().contains("at least 1 loop"), e.getMessage());
    }
}
