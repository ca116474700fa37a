package xiio.thread;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import xiio.concurrent.Task;
import xiio.concurrent.TaskGroup;
import xiio.concurrent.Timeout;
import xiio.core.ThreadSignal;
import xiio.core.Xiio;
import xiio.testing.VirtualClock;
import xiio.unix.ErrnoException;
import xiio.unix.sys.FileSyscalls;

/**
 * How other threads wake a run: one eventfd per run shared by every thread wait
 * ({@link ThreadSignal}), signals that coalesce, and late signals that touch nothing.
 */
class ThreadWakeupTest {

    /** Counts eventfds opened and writes to them, passing every call on to the kernel. */
    private static final class Counting extends FileSyscalls implements AutoCloseable {
        final Set<Integer> eventfds = ConcurrentHashMap.newKeySet(), everOpened = ConcurrentHashMap.newKeySet();
        final AtomicInteger opened = new AtomicInteger(), writes = new AtomicInteger();
        private final FileSyscalls previous = FileSyscalls.install(this);

        @Override
        public int eventfd() throws ErrnoException {
            int fd = super.eventfd();
            opened.incrementAndGet();
            eventfds.add(fd);
            everOpened.add(fd);
            return fd;
        }

        @Override
        public long write(int fd, byte[] buf, int off, int len) {
            if (everOpened.contains(fd)) writes.incrementAndGet();
            return super.write(fd, buf, off, len);
        }

        @Override
        protected int closeFd(int fd) {
            eventfds.remove(fd);
            return super.closeFd(fd);
        }

        @Override
        public void close() {
            FileSyscalls.install(previous);
        }
    }

    @Test
    void manyCallsFinishingAtOnceEachWakeWithTheirOwnResult() throws Exception {
        int n = 64;
        try (ThreadPool pool = new ThreadPool("at-once", n)) {
            CountDownLatch allStarted = new CountDownLatch(n);
            List<Integer> results = Xiio.run(() -> Timeout.withTimeout(Duration.ofSeconds(60), () -> TaskGroup.scope(group -> {
                List<Task<Integer>> tasks = new ArrayList<>();
                for (int i = 0; i < n; i++) {
                    int id = i;
                    tasks.add(group.spawn(() -> pool.call(() -> {
                        allStarted.countDown();
                        allStarted.await(); // every worker returns in the same instant
                        return id;
                    })));
                }
                List<Integer> r = new ArrayList<>();
                for (Task<Integer> t : tasks) r.add(t.join());
                return r;
            })));
            for (int i = 0; i < n; i++) assertEquals(i, results.get(i));
        }
    }

    @Test
    void aRunOpensOneEventfdForAllItsThreadWaits() throws Exception {
        try (ThreadPool pool = new ThreadPool("one-fd", 4);
                ExecutorService other = Executors.newFixedThreadPool(2);
                Counting table = new Counting()) {
            int sum = Xiio.run(() -> {
                int s = 0;
                for (int i = 0; i < 50; i++) {
                    int v = i;
                    s += pool.call(() -> v);
                    s += Futures.await(CompletableFuture.supplyAsync(() -> {
                        sleepQuietly(1);
                        return v;
                    }, other));
                }
                return s;
            });
            assertEquals(2 * 49 * 50 / 2, sum);
            assertEquals(1, table.opened.get(), "eventfds opened by one run");
            assertTrue(table.writes.get() <= 100, "at most one write per completion: " + table.writes.get());
        }
    }

    @Test
    void signalsRaisedWhileTheLoopIsBusyWakeItWithOneWrite() throws Exception {
        int n = 32;
        try (Counting table = new Counting()) {
            int woken = Xiio.run(() -> {
                List<ThreadSignal> signals = new ArrayList<>();
                for (int i = 0; i < n; i++) signals.add(ThreadSignal.open(true));
                CountDownLatch signalled = new CountDownLatch(n);
                for (ThreadSignal s : signals) {
                    Thread.ofPlatform().start(() -> {
                        s.signal();
                        signalled.countDown();
                    });
                }
                // the loop does not poll meanwhile: every signal lands in the inbox before it looks
                assertTrue(signalled.await(30, TimeUnit.SECONDS));
                int count = 0;
                for (ThreadSignal s : signals) {
                    s.await();
                    s.close();
                    count++;
                }
                return count;
            });
            assertEquals(n, woken);
            assertEquals(1, table.writes.get(), "eventfd writes for " + n + " signals raised together");
        }
    }

    @Test
    void signalsRaisedFromManyThreadsAndFromTheLoopAtOnceLoseNoWakeUp() throws Exception {
        int k = 8, rounds = 5_000;
        Xiio.run(() -> Timeout.withTimeout(Duration.ofSeconds(30), () -> TaskGroup.scope(group -> {
            List<ThreadSignal> signals = new ArrayList<>();
            List<java.util.concurrent.atomic.AtomicBoolean> finished = new ArrayList<>();
            for (int i = 0; i < k; i++) {
                signals.add(ThreadSignal.open(true));
                finished.add(new java.util.concurrent.atomic.AtomicBoolean());
            }
            java.util.concurrent.atomic.AtomicBoolean stop = new java.util.concurrent.atomic.AtomicBoolean();
            group.spawn("loop-side signaller", () -> { // raises the same signals on the loop, between the threads' pushes
                while (!stop.get()) {
                    for (ThreadSignal s : signals) s.signal();
                    Xiio.yieldNow();
                }
                return null;
            });
            List<Thread> threads = new ArrayList<>();
            for (int i = 0; i < k; i++) {
                ThreadSignal s = signals.get(i);
                var done = finished.get(i);
                threads.add(Thread.ofPlatform().start(() -> {
                    for (int r = 0; r < rounds; r++) {
                        s.signal();
                        if ((r & 63) == 0) Thread.yield();
                    }
                    done.set(true);
                    s.signal(); // the last one comes after done: it must wake the awaiter
                }));
            }
            for (int i = 0; i < k; i++) {
                while (!finished.get(i).get()) signals.get(i).await();
            }
            stop.set(true);
            for (Thread t : threads) t.join();
            for (ThreadSignal s : signals) s.close();
            return null;
        })));
    }

    @Test
    void aFutureCompletedOnTheLoopItselfWakesWithoutASyscall() throws Exception {
        try (Counting table = new Counting()) {
            String r = Xiio.run(() -> TaskGroup.scope(group -> {
                CompletableFuture<String> f = new CompletableFuture<>();
                Task<String> waiter = group.spawn(() -> Futures.await(f));
                group.spawn(() -> {
                    Xiio.sleep(Duration.ofMillis(5));
                    f.complete("from the loop");
                    return null;
                });
                return waiter.join();
            }));
            assertEquals("from the loop", r);
            assertEquals(0, table.writes.get());
        }
    }

    @Test
    void aLateFinishAfterCancellationWakesNoOtherWait() throws Exception {
        try (ThreadPool pool = new ThreadPool("late", 2)) {
            CountDownLatch release = new CountDownLatch(1);
            CountDownLatch lateDone = new CountDownLatch(1);
            String r = Xiio.run(() -> {
                Object cancelled = Timeout.withTimeoutOrNull(Duration.ofMillis(20), () -> pool.call(() -> {
                    try {
                        release.await();
                        return "late";
                    } finally {
                        lateDone.countDown();
                    }
                }));
                assertNull(cancelled);
                // a new wait of the same run; the abandoned worker finishes while it sleeps
                CompletableFuture<String> mine = new CompletableFuture<>();
                Thread.ofPlatform().start(() -> {
                    release.countDown();
                    try {
                        if (lateDone.await(30, TimeUnit.SECONDS)) Thread.sleep(50);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                    mine.complete("mine");
                });
                String got = Futures.await(mine);
                assertTrue(mine.isDone());
                return got;
            });
            assertEquals("mine", r);
        }
    }

    @Test
    void aRunEndingWithCallsCancelledInFlightLeavesNoFdAndNoStuckWorker() throws Exception {
        ThreadPool pool = new ThreadPool("in-flight", 8);
        CountDownLatch release = new CountDownLatch(1);
        AtomicInteger started = new AtomicInteger();
        try (Counting table = new Counting()) {
            Xiio.run(() -> Timeout.withTimeoutOrNull(Duration.ofMillis(50), () -> TaskGroup.scope(group -> {
                for (int i = 0; i < 20; i++) { // 8 run, 12 queued: those never start
                    group.spawn(() -> pool.call(() -> {
                        started.incrementAndGet();
                        release.await();
                        return null;
                    }));
                }
                return null;
            })));
            assertTrue(table.eventfds.isEmpty(), "eventfds left open: " + table.eventfds);
            int writesAtEnd = table.writes.get();
            release.countDown(); // the workers finish after their run ended: their signals write nothing
            pool.close();
            assertTrue(pool.awaitTermination(30_000), "a worker is stuck");
            assertEquals(writesAtEnd, table.writes.get());
            assertTrue(started.get() <= 8, "queued calls of a cancelled run started: " + started.get());
        }
    }

    @Test
    void aSignalAfterCloseDoesNothing() throws Exception {
        ThreadSignal[] kept = new ThreadSignal[1];
        Xiio.run(() -> {
            ThreadSignal s = ThreadSignal.open(false);
            assertTrue(s.signal()); // on the loop: delivered in place
            s.await();
            s.close();
            assertFalse(s.signal());
            assertThrows(java.io.IOException.class, s::await);
            kept[0] = ThreadSignal.open(true); // never closed: the run's end must still be safe
            return null;
        });
        Thread t = Thread.ofPlatform().start(() -> kept[0].signal()); // after its run ended
        t.join();
    }

    @Test
    void aVirtualClockDoesNotJumpWhileManyCallsWork() throws Exception {
        try (ThreadPool pool = new ThreadPool("virtual", 4)) {
            long elapsed = VirtualClock.run(() -> TaskGroup.scope(group -> {
                long start = Xiio.nanoTime();
                Task<Long> sleeper = group.spawn(() -> {
                    Xiio.sleep(Duration.ofHours(1));
                    return Xiio.nanoTime() - start;
                });
                for (int i = 0; i < 8; i++) {
                    group.spawn(() -> pool.call(() -> {
                        Thread.sleep(20);
                        return null;
                    }));
                }
                for (int i = 0; i < 4; i++) {
                    pool.call(() -> {
                        Thread.sleep(20);
                        return null;
                    });
                }
                long afterCalls = Xiio.nanoTime() - start;
                assertEquals(0, afterCalls, "virtual time passed while the calls worked");
                return sleeper.join();
            }));
            assertEquals(Duration.ofHours(1).toNanos(), elapsed);
        }
    }

    @Test
    void openingASignalOutsideARunSaysWhatToDo() {
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> ThreadSignal.open(true));
        assertTrue(e.getMessage().contains("inside Xiio.run"), e.getMessage());
        try (ThreadPool pool = new ThreadPool("outside", 1)) {
            AtomicInteger ran = new AtomicInteger();
            assertThrows(IllegalStateException.class, () -> pool.call(ran::incrementAndGet));
            assertEquals(0, ran.get(), "a call made outside a run must not run its function");
        }
    }

    private static void sleepQuietly(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
