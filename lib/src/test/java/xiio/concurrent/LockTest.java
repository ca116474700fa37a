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

class LockTest {
    private static Duration ms(long n) {
        return Duration.ofMillis(n);
    }

    @Test
    void onlyOneCoroutineIsInsideAtATime() throws Exception {
        int maxInside = VirtualClock.run(() -> {
            Lock lock = new Lock();
            int[] inside = new int[2]; // current, max
            TaskGroup.scope(g -> {
                for (int i = 0; i < 5; i++) {
                    g.spawn(() -> lock.withLock(() -> {
                        inside[0]++;
                        inside[1] = Math.max(inside[1], inside[0]);
                        Xiio.sleep(ms(2));
                        inside[0]--;
                        return null;
                    }));
                }
                return null;
            });
            assertFalse(lock.isLocked());
            return inside[1];
        });
        assertEquals(1, maxInside);
    }

    @Test
    void theLockGoesToWaitersInTheOrderTheyCame() throws Exception {
        List<Integer> order = VirtualClock.run(() -> {
            Lock lock = new Lock();
            List<Integer> served = new ArrayList<>();
            TaskGroup.scope(g -> {
                lock.lock(); // by the group's body, a coroutine of its own
                for (int i = 0; i < 4; i++) {
                    int id = i;
                    g.spawn(() -> lock.withLock(() -> served.add(id)));
                }
                Xiio.yieldNow();
                assertEquals(4, lock.queueLength());
                assertFalse(lock.tryLock(), "a newcomer does not overtake the waiters");
                lock.unlock();
                return null;
            });
            return served;
        });
        assertEquals(List.of(0, 1, 2, 3), order);
    }

    @Test
    void lockingItAgainFromTheHolderIsAnErrorNotADeadlock() throws Exception {
        VirtualClock.run(() -> {
            Lock lock = new Lock();
            lock.lock();
            IllegalStateException e = assertThrows(IllegalStateException.class, lock::lock);
            assertTrue(e.getMessage().contains("not reentrant"), e.getMessage());
            assertTrue(e.getMessage().contains("'main'"), e.getMessage());
            assertTrue(lock.isHeldByCurrentCoroutine());
            lock.unlock();
            return null;
        });
    }

    @Test
    void unlockingAFreeLockIsAnError() throws Exception {
        VirtualClock.run(() -> {
            Lock lock = new Lock();
            IllegalStateException e = assertThrows(IllegalStateException.class, lock::unlock);
            assertTrue(e.getMessage().contains("not locked"), e.getMessage());
            lock.lock(); // still usable
            lock.unlock();
            return null;
        });
    }

    @Test
    void unlockingALockSomeoneElseHoldsIsAnErrorNamingTheHolder() throws Exception {
        String message = VirtualClock.run(() -> {
            Lock lock = new Lock();
            String[] msg = new String[1];
            TaskGroup.scope(g -> {
                g.spawn("holder", () -> {
                    lock.lock();
                    Xiio.sleep(ms(10));
                    lock.unlock();
                    return null;
                });
                g.spawn("intruder", () -> {
                    Xiio.sleep(ms(1));
                    msg[0] = assertThrows(IllegalStateException.class, lock::unlock).getMessage();
                    return null;
                });
                return null;
            });
            assertFalse(lock.isLocked());
            return msg[0];
        });
        assertTrue(message.contains("'intruder' unlocked a lock held by coroutine 'holder'"), message);
    }

    @Test
    void aLockHandedToAWaiterCancelledInTheSameInstantGoesToTheNext() throws Exception {
        List<String> log = VirtualClock.run(() -> {
            Lock lock = new Lock();
            List<String> events = new ArrayList<>();
            TaskGroup.scope(g -> {
                lock.lock();
                Task<Void> first = g.spawn("first", () -> {
                    try {
                        lock.lock();
                        events.add("first got it");
                    } catch (CancelledError e) {
                        events.add("first cancelled, holds it: " + lock.isHeldByCurrentCoroutine());
                        throw e;
                    }
                    return null;
                });
                g.spawn("second", () -> {
                    lock.lock();
                    events.add("second got it");
                    lock.unlock();
                    return null;
                });
                Xiio.yieldNow();
                lock.unlock();  // hands the lock to the first waiter...
                first.cancel(); // ...which is cancelled before it runs
                return null;
            });
            events.add("locked at the end: " + lock.isLocked());
            return events;
        });
        assertEquals(List.of("first cancelled, holds it: false", "second got it", "locked at the end: false"), log);
    }

    @Test
    void aTimedOutWaiterLeavesTheQueue() throws Exception {
        VirtualClock.run(() -> {
            Lock lock = new Lock();
            lock.lock();
            TaskGroup.scope(g -> {
                g.spawn(() -> Timeout.withTimeoutOrNull(ms(3), () -> {
                    lock.lock();
                    return "not reached";
                }));
                Xiio.sleep(ms(5));
                assertEquals(0, lock.queueLength());
                return null;
            });
            lock.unlock();
            assertFalse(lock.isLocked());
            return null;
        });
    }

    @Test
    void withLockUnlocksWhenTheBodyFails() throws Exception {
        VirtualClock.run(() -> {
            Lock lock = new Lock();
            assertThrows(IOException.class, () -> lock.withLock(() -> {
                throw new IOException("boom");
            }));
            assertFalse(lock.isLocked());
            return null;
        });
    }
}
