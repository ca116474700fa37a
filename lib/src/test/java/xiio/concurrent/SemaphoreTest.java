package xiio.concurrent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import xiio.core.CancelledError;
import xiio.core.Xiio;
import xiio.testing.VirtualClock;

class SemaphoreTest {
    private static Duration ms(long n) {
        return Duration.ofMillis(n);
    }

    @Test
    void acquiresWithoutWaitingWhilePermitsLast() throws Exception {
        VirtualClock.run(() -> {
            Semaphore s = new Semaphore(2);
            s.acquire();
            s.acquire();
            assertEquals(0, s.availablePermits());
            assertFalse(s.tryAcquire());
            s.release();
            assertTrue(s.tryAcquire());
            assertEquals(0, Xiio.nanoTime());
            return null;
        });
    }

    @Test
    void waitersAreServedInTheOrderTheyCame() throws Exception {
        List<Integer> order = VirtualClock.run(() -> {
            Semaphore s = new Semaphore(1);
            List<Integer> served = new ArrayList<>();
            s.acquire();
            TaskGroup.scope(g -> {
                for (int i = 0; i < 5; i++) {
                    int id = i;
                    g.spawn(() -> s.withPermit(() -> {
                        served.add(id);
                        Xiio.sleep(ms(1));
                        return null;
                    }));
                }
                Xiio.yieldNow(); // all five queue, in spawn order
                assertEquals(5, s.queueLength());
                s.release();
                return null;
            });
            assertEquals(1, s.availablePermits());
            return served;
        });
        assertEquals(List.of(0, 1, 2, 3, 4), order);
    }

    @Test
    void aNewcomerNeverOvertakesAWaiter() throws Exception {
        List<String> log = VirtualClock.run(() -> {
            Semaphore s = new Semaphore(1);
            List<String> events = new ArrayList<>();
            s.acquire();
            TaskGroup.scope(g -> {
                g.spawn(() -> {
                    s.acquire();
                    events.add("waiter got it");
                    s.release();
                    return null;
                });
                Xiio.yieldNow();
                s.release(); // handed to the waiter, which has not run yet
                assertFalse(s.tryAcquire(), "the released permit belongs to the waiter");
                s.acquire(); // queues behind it
                events.add("newcomer got it");
                s.release();
                return null;
            });
            return events;
        });
        assertEquals(List.of("waiter got it", "newcomer got it"), log);
    }

    @Test
    void aCancelledWaiterHoldsNoPermit() throws Exception {
        VirtualClock.run(() -> {
            Semaphore s = new Semaphore(1);
            s.acquire();
            assertEquals(null, Timeout.withTimeoutOrNull(ms(5), () -> {
                s.acquire();
                return "not reached";
            }));
            assertEquals(0, s.queueLength());
            s.release();
            assertEquals(1, s.availablePermits());
            return null;
        });
    }

    @Test
    void aPermitHandedToAWaiterCancelledInTheSameInstantGoesToTheNext() throws Exception {
        List<String> log = VirtualClock.run(() -> {
            Semaphore s = new Semaphore(1);
            List<String> events = new ArrayList<>();
            s.acquire();
            TaskGroup.scope(g -> {
                Task<Void> first = g.spawn(() -> {
                    try {
                        s.acquire();
                        events.add("first got it");
                    } catch (CancelledError e) {
                        events.add("first cancelled");
                        throw e;
                    }
                    return null;
                });
                g.spawn(() -> {
                    s.acquire();
                    events.add("second got it");
                    s.release();
                    return null;
                });
                Xiio.yieldNow();
                s.release();    // hands the permit to the first waiter...
                first.cancel(); // ...which is cancelled before it runs
                return null;
            });
            events.add("free permits " + s.availablePermits());
            return events;
        });
        assertEquals(List.of("first cancelled", "second got it", "free permits 1"), log);
    }

    @Test
    void aBoundedSemaphoreRefusesAnExtraRelease() throws Exception {
        VirtualClock.run(() -> {
            Semaphore s = new Semaphore(1, 1);
            IllegalStateException e = assertThrows(IllegalStateException.class, s::release);
            assertTrue(e.getMessage().contains("without a matching acquire"), e.getMessage());
            s.acquire();
            s.release();
            assertEquals(1, s.availablePermits());
            return null;
        });
    }

    @Test
    void withPermitReleasesWhenTheBodyFails() throws Exception {
        VirtualClock.run(() -> {
            Semaphore s = new Semaphore(1);
            assertThrows(IOException.class, () -> s.withPermit(() -> {
                throw new IOException("boom");
            }));
            assertEquals(1, s.availablePermits());
            return null;
        });
    }

    @Test
    void badArgumentsAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> new Semaphore(-1));
        assertThrows(IllegalArgumentException.class, () -> new Semaphore(3, 2));
    }
}
