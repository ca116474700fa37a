package xiio.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.FileNotFoundException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import xiio.support.TestPipe;
import xiio.testing.VirtualClock;

class RunTest {

    @Test
    void returnsTheValueOfMain() throws Exception {
        assertEquals("hello", Xiio.run(() -> "hello"));
        assertEquals(42, VirtualClock.run(() -> {
            Xiio.sleep(Duration.ofMillis(1));
            return 42;
        }));
    }

    @Test
    void rethrowsCheckedExceptionsAsThemselves() {
        FileNotFoundException thrown = new FileNotFoundException("nope");
        FileNotFoundException caught = assertThrows(FileNotFoundException.class, () -> Xiio.run(() -> {
            Xiio.sleep(Duration.ZERO);
            throw thrown;
        }));
        assertSame(thrown, caught);
    }

    @Test
    void rethrowsErrorsAsThemselves() {
        assertThrows(StackOverflowError.class, () -> Xiio.run(() -> {
            throw new StackOverflowError("test");
        }));
    }

    @Test
    void suspendingOutsideRunFailsWithAClearMessage() {
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> Xiio.sleep(Duration.ofMillis(1)));
        assertTrue(e.getMessage().contains("Xiio.sleep must be called inside Xiio.run"), e.getMessage());
        e = assertThrows(IllegalStateException.class, () -> Xiio.await(Condition.readable(0)));
        assertTrue(e.getMessage().contains("Xiio.await must be called inside Xiio.run"), e.getMessage());
    }

    @Test
    void nestedRunFailsAtOnceAndTheOuterRunGoesOn() throws Exception {
        String result = VirtualClock.run(() -> {
            IllegalStateException e = assertThrows(IllegalStateException.class, () -> Xiio.run(() -> 1));
            assertTrue(e.getMessage().contains("inside coroutine 'main' of another run"), e.getMessage());
            Xiio.sleep(Duration.ofMillis(1));
            return "still fine";
        });
        assertEquals("still fine", result);
    }

    @Test
    void twoRunsOnTwoThreadsAreIndependent() throws Exception {
        CountDownLatch bothStarted = new CountDownLatch(2);
        List<Thread> threads = new ArrayList<>();
        List<AtomicReference<Object>> results = List.of(new AtomicReference<>(), new AtomicReference<>());
        for (int i = 0; i < 2; i++) {
            int id = i;
            threads.add(Thread.ofPlatform().start(() -> {
                try {
                    results.get(id).set(VirtualClock.run(() -> {
                        bothStarted.countDown();
                        // each run waits on its own pipe; neither can see the other's
                        try (TestPipe p = new TestPipe()) {
                            p.put("run " + id);
                            byte[] buf = new byte[16];
                            int n = Xiio.read(p.readFd, buf, 0, buf.length);
                            Xiio.sleep(Duration.ofMillis(20));
                            return new String(buf, 0, n);
                        }
                    }));
                } catch (Throwable t) {
                    results.get(id).set(t);
                }
            }));
        }
        for (Thread t : threads) t.join();
        assertEquals("run 0", results.get(0).get());
        assertEquals("run 1", results.get(1).get());
    }

    @Test
    void interruptingTheDrivingThreadCancelsMainAndItsCleanupMaySuspend() throws Exception {
        AtomicReference<Throwable> outcome = new AtomicReference<>();
        List<String> events = new ArrayList<>();
        CountDownLatch waiting = new CountDownLatch(1);
        Thread driver = Thread.ofPlatform().start(() -> {
            try {
                Xiio.run(() -> {
                    try {
                        waiting.countDown();
                        Xiio.sleep(Duration.ofHours(1));
                    } catch (CancelledError e) {
                        events.add("cancelled: " + e.getCause());
                        throw e;
                    } finally {
                        Xiio.sleep(Duration.ofMillis(5)); // cleanup may still suspend
                        events.add("cleanup done");
                    }
                    return null;
                });
            } catch (Throwable t) {
                outcome.set(t);
                events.add("interrupt flag " + Thread.currentThread().isInterrupted());
            }
        });
        waiting.await();
        Thread.sleep(50);
        driver.interrupt();
        driver.join(10_000);
        assertInstanceOf(InterruptedException.class, outcome.get());
        assertTrue(events.get(0).startsWith("cancelled: java.lang.InterruptedException"), events.toString());
        assertEquals(List.of("cleanup done", "interrupt flag true"), events.subList(1, 3));
    }

    @Test
    void reportsTheBackendInUse() throws Exception {
        String expected = System.getProperty("xiio.backend", "continuation");
        if (!expected.equals("auto")) assertEquals(expected, Xiio.backend());
    }
}
