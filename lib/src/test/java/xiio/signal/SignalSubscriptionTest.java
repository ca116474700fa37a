package xiio.signal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static xiio.signal.SignalSupport.currentHandler;
import static xiio.signal.SignalSupport.identity;
import static xiio.signal.SignalSupport.sendToSelf;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import sun.misc.SignalHandler;
import xiio.concurrent.Task;
import xiio.concurrent.TaskGroup;
import xiio.concurrent.Timeout;
import xiio.core.Xiio;
import xiio.thread.ThreadPool;

/** Real signals sent to the test JVM itself; every one is sent only while something takes it. */
class SignalSubscriptionTest {

    @Test
    void aSignalSentToOurOwnProcessWakesTheWaitingCoroutine() throws Exception {
        try (SignalSubscription sub = Signals.subscribe(Signal.SIGUSR1)) {
            assertEquals(Set.of(Signal.SIGUSR1), sub.signals());
            Signal got = Xiio.run(() -> TaskGroup.scope(g -> {
                Task<Signal> receiver = g.spawn(sub::receive);
                Xiio.sleep(Duration.ofMillis(20)); // the receiver waits on the eventfd by now
                sendToSelf(Signal.SIGUSR1);
                return receiver.join();
            }));
            assertSame(Signal.SIGUSR1, got);
        }
    }

    @Test
    void everySubscriptionToASignalReceivesIt() throws Exception {
        try (SignalSubscription a = Signals.subscribe(Signal.SIGUSR1);
             SignalSubscription b = Signals.subscribe(Signal.SIGUSR1, Signal.SIGWINCH)) {
            List<Signal> got = Xiio.run(() -> {
                sendToSelf(Signal.SIGUSR1);
                return List.of(a.receive(), b.receive());
            });
            assertEquals(List.of(Signal.SIGUSR1, Signal.SIGUSR1), got);
        }
    }

    @Test
    void itIsAStreamThatEndsWhenTheSubscriptionCloses() throws Exception {
        List<Signal> got = Collections.synchronizedList(new ArrayList<>());
        try (SignalSubscription sub = Signals.subscribe(Signal.SIGUSR1, Signal.SIGWINCH)) {
            Xiio.run(() -> TaskGroup.scope(g -> {
                g.spawn(() -> {
                    for (Signal s : sub) got.add(s); // ends once sub is closed
                    return null;
                });
                sendToSelf(Signal.SIGUSR1);
                while (got.size() < 1) Xiio.sleep(Duration.ofMillis(1));
                sendToSelf(Signal.SIGWINCH);
                while (got.size() < 2) Xiio.sleep(Duration.ofMillis(1));
                sub.close();
                assertThrows(IOException.class, sub::receive);
                return null;
            }));
        }
        assertEquals(List.of(Signal.SIGUSR1, Signal.SIGWINCH), got);
    }

    @Test
    void closingWakesAWaitingReceiverWithAClearError() throws Exception {
        String message;
        try (SignalSubscription sub = Signals.subscribe(Signal.SIGWINCH)) {
            message = Xiio.run(() -> TaskGroup.scope(g -> {
                Task<String> receiver = g.spawn(() -> {
                    try {
                        sub.receive();
                        return "received";
                    } catch (IOException e) {
                        return e.getMessage();
                    }
                });
                Xiio.sleep(Duration.ofMillis(5));
                sub.close();
                return receiver.join();
            }));
        }
        assertTrue(message.contains("subscription to [SIGWINCH] is closed"), message);
    }

    @Test
    void aCancelledReceiveTakesNothing() throws Exception {
        try (SignalSubscription sub = Signals.subscribe(Signal.SIGUSR1)) {
            Signal got = Xiio.run(() -> {
                assertNull(Timeout.withTimeoutOrNull(Duration.ofMillis(10), sub::receive));
                sendToSelf(Signal.SIGUSR1);
                return sub.receive();
            });
            assertSame(Signal.SIGUSR1, got);
        }
    }

    @Test
    void aSignalArrivesWhileAThreadPoolCallBlocks() throws Exception {
        CountDownLatch blocking = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        List<String> events = Collections.synchronizedList(new ArrayList<>());
        try (ThreadPool pool = new ThreadPool("signal-test", 1);
             SignalSubscription sub = Signals.subscribe(Signal.SIGUSR1)) {
            String result = Xiio.run(() -> TaskGroup.scope(g -> {
                Task<String> call = g.spawn(() -> pool.call(() -> {
                    events.add("worker blocks");
                    blocking.countDown();
                    if (!release.await(30, TimeUnit.SECONDS)) throw new IllegalStateException("never released");
                    events.add("worker released");
                    return "call done";
                }));
                g.spawn(() -> {
                    events.add("received " + sub.receive());
                    release.countDown();
                    return null;
                });
                while (blocking.getCount() > 0) Xiio.sleep(Duration.ofMillis(1));
                sendToSelf(Signal.SIGUSR1);
                return call.join();
            }));
            assertEquals("call done", result);
            pool.close();
            assertTrue(pool.awaitTermination(10_000));
        }
        assertEquals(List.of("worker blocks", "received SIGUSR1", "worker released"), events);
    }

    @Test
    void closingRestoresThePreviousHandlerWhateverTheOrder() throws Exception {
        sun.misc.Signal usr1 = new sun.misc.Signal("USR1");
        AtomicInteger byOldHandler = new AtomicInteger();
        CountDownLatch oldHandlerRan = new CountDownLatch(1);
        SignalHandler mine = s -> {
            byOldHandler.incrementAndGet();
            oldHandlerRan.countDown();
        };
        SignalHandler original = sun.misc.Signal.handle(usr1, mine);
        try {
            SignalSubscription a = Signals.subscribe(Signal.SIGUSR1);
            SignalSubscription b = Signals.subscribe(Signal.SIGUSR1);
            Xiio.run(() -> {
                sendToSelf(Signal.SIGUSR1);
                assertSame(Signal.SIGUSR1, a.receive());
                assertSame(Signal.SIGUSR1, b.receive());
                a.close(); // out of order: b still subscribed
                sendToSelf(Signal.SIGUSR1);
                assertSame(Signal.SIGUSR1, b.receive());
                b.close();
                return null;
            });
            assertEquals(0, byOldHandler.get(), "a subscription replaces the handler; it does not chain to it");
            assertSame(mine, currentHandler(Signal.SIGUSR1));
            sendToSelf(Signal.SIGUSR1);
            assertTrue(oldHandlerRan.await(10, TimeUnit.SECONDS), "the previous handler is back");
        } finally {
            sun.misc.Signal.handle(usr1, original);
        }
    }

    @Test
    void sigintAndSigtermAreSafeToSubscribeAndTheJvmsHandlersComeBack() throws Exception {
        SignalHandler jvmInt = currentHandler(Signal.SIGINT);
        SignalHandler jvmTerm = currentHandler(Signal.SIGTERM);
        try (SignalSubscription sub = Signals.subscribe(Signal.SIGINT, Signal.SIGTERM)) {
            List<Signal> got = Xiio.run(() -> {
                sendToSelf(Signal.SIGINT);
                Signal first = sub.receive();
                sendToSelf(Signal.SIGTERM);
                return List.of(first, sub.receive());
            });
            assertEquals(List.of(Signal.SIGINT, Signal.SIGTERM), got);
        }
        assertEquals(identity(jvmInt), identity(currentHandler(Signal.SIGINT)));
        assertEquals(identity(jvmTerm), identity(currentHandler(Signal.SIGTERM)));
    }

    @Test
    void cancelOnInterruptTurnsSigintIntoCancellationOfTheBody() throws Exception {
        SignalHandler jvmInt = currentHandler(Signal.SIGINT);
        List<String> events = new ArrayList<>();
        SignalExitException e = assertThrows(SignalExitException.class, () -> Xiio.run(() -> Signals.cancelOnInterrupt(() -> {
            try {
                sendToSelf(Signal.SIGINT);
                Xiio.sleep(Duration.ofMinutes(5));
                events.add("not cancelled");
            } finally {
                events.add("cleanup");
                Xiio.sleep(Duration.ofMillis(5)); // cleanup may still suspend
                events.add("cleanup slept");
            }
            return null;
        })));
        assertSame(Signal.SIGINT, e.signal());
        assertEquals(130, e.exitStatus());
        assertEquals(List.of("cleanup", "cleanup slept"), events);
        assertEquals(identity(jvmInt), identity(currentHandler(Signal.SIGINT)));
    }

    @Test
    void cancelOnInterruptReturnsTheResultAndStopsItsWatcherWhenTheBodyEnds() throws Exception {
        long started = System.nanoTime();
        String result = Xiio.run(() -> Signals.cancelOnInterrupt(() -> {
            Xiio.sleep(Duration.ofMillis(5));
            return "done";
        }));
        assertEquals("done", result);
        assertTrue(System.nanoTime() - started < Duration.ofSeconds(20).toNanos());
    }

    @Test
    void signalNumbersAndExitStatuses() {
        assertSame(Signal.SIGTERM, Signal.of(15));
        assertEquals(2, Signal.SIGINT.number());
        assertEquals(130, Signal.SIGINT.exitStatus());
        assertEquals(143, Signal.SIGTERM.exitStatus());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Signal.of(40));
        assertTrue(e.getMessage().contains("40"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Signals.send(0, Signal.SIGWINCH));
        IllegalArgumentException none = assertThrows(IllegalArgumentException.class, () -> Signals.subscribe(Set.of()));
        assertTrue(none.getMessage().contains("at least one signal"), none.getMessage());
    }
}
