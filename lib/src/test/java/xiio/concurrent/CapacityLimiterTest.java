package xiio.concurrent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import xiio.core.Coroutine;
import xiio.core.Xiio;
import xiio.testing.VirtualClock;

/** {@link CapacityLimiter}. Ports trio's test_CapacityLimiter, ..._change_total_tokens, ..._memleak_548, ..._zero_limit_tokens. */
class CapacityLimiterTest {
    private static void settle() {
        Xiio.sleep(Duration.ofMillis(1));
    }

    @Test
    void basics() throws Exception {
        assertEquals(0, new CapacityLimiter(0).totalTokens());
        assertTrue(assertThrows(IllegalArgumentException.class, () -> new CapacityLimiter(-1)).getMessage()
                .contains("totalTokens must not be negative"));
        VirtualClock.run(() -> {
            CapacityLimiter c = new CapacityLimiter(2);
            assertEquals(2, c.availableTokens());
            assertTrue(assertThrows(IllegalStateException.class, c::release).getMessage().contains("release without acquire"));
            assertTrue(c.tryAcquire());
            assertEquals(1, c.borrowedTokens());
            assertEquals(List.of(Coroutine.current()), c.borrowers());
            assertTrue(assertThrows(IllegalStateException.class, c::tryAcquire).getMessage().contains("already holds a token"));
            assertThrows(IllegalStateException.class, c::acquire);
            c.acquireOnBehalfOf("someone");
            assertFalse(c.tryAcquireOnBehalfOf("third party"));
            assertEquals(Set.of(Coroutine.current(), "someone"), Set.copyOf(c.borrowers()));
            c.release();
            assertEquals(List.of("someone"), c.borrowers());
            c.releaseOnBehalfOf("someone");
            assertEquals("in", c.withToken(() -> c.borrowedTokens() == 1 ? "in" : "?"));
            assertEquals(0, c.borrowedTokens());
            TaskGroup.scope(g -> {
                c.acquireOnBehalfOf("value 1");
                c.acquireOnBehalfOf("value 2");
                g.spawn("third", () -> { c.acquireOnBehalfOf("value 3"); return null; });
                settle();
                assertEquals(1, c.waiting());
                c.releaseOnBehalfOf("value 2");
                assertEquals(2, c.borrowedTokens(), "handed straight to the waiter");
                assertFalse(c.tryAcquire(), "fair: no overtaking");
                return null;
            });
            c.releaseOnBehalfOf("value 3");
            c.releaseOnBehalfOf("value 1");
            return null;
        });
    }

    @Test
    void changingTheTotal() throws Exception {
        VirtualClock.run(() -> TaskGroup.scope(g -> {
            CapacityLimiter c = new CapacityLimiter(2);
            assertThrows(IllegalArgumentException.class, () -> c.setTotalTokens(-1));
            assertEquals(2, c.totalTokens());
            for (int i = 0; i < 5; i++) {
                int n = i;
                g.spawn("b" + n, () -> { c.acquireOnBehalfOf(n); return null; });
                settle();
            }
            assertEquals(Set.of(0, 1), Set.copyOf(c.borrowers()));
            assertEquals(3, c.waiting());
            c.setTotalTokens(4);
            assertEquals(Set.of(0, 1, 2, 3), Set.copyOf(c.borrowers()));
            assertEquals(1, c.waiting());
            c.setTotalTokens(1);
            assertEquals(4, c.borrowedTokens());
            assertEquals(0, c.availableTokens());
            c.releaseOnBehalfOf(0);
            c.releaseOnBehalfOf(1);
            c.releaseOnBehalfOf(2);
            assertEquals(List.of(3), c.borrowers());
            assertEquals(1, c.waiting());
            c.releaseOnBehalfOf(3);
            assertEquals(List.of(4), c.borrowers());
            assertEquals(0, c.waiting());
            c.releaseOnBehalfOf(4);
            return null;
        }));
    }

    /** trio issue 548: a cancelled acquire leaves nothing behind. */
    @Test
    void cancelledAcquireLeavesNoWaiter() throws Exception {
        VirtualClock.run(() -> {
            CapacityLimiter c = new CapacityLimiter(1);
            c.acquire();
            TaskGroup.scope(g -> {
                g.spawn("waiter", () -> { c.acquire(); return null; });
                settle();
                g.cancel();
                return null;
            });
            assertEquals(0, c.waiting());
            c.release();
            assertEquals(1, c.availableTokens());
            return null;
        });
    }

    @Test
    void zeroTokensAdmitsNobodyUntilRaised() throws Exception {
        VirtualClock.run(() -> TaskGroup.scope(g -> {
            CapacityLimiter c = new CapacityLimiter(5);
            c.setTotalTokens(0);
            for (int i = 0; i < 5; i++) {
                int n = i;
                g.spawn("b" + n, () -> { c.acquireOnBehalfOf(n); c.releaseOnBehalfOf(n); return null; });
            }
            settle();
            assertEquals(List.of(), c.borrowers());
            assertEquals(5, c.waiting());
            c.setTotalTokens(1);
            return null;
        }));
    }

    /** Handed a token just as it is cancelled: passes it on, holds none. */
    @Test
    void grantedThenCancelledPassesTheTokenOn() throws Exception {
        VirtualClock.run(() -> TaskGroup.scope(g -> {
            CapacityLimiter c = new CapacityLimiter(1);
            c.acquireOnBehalfOf("me");
            Task<Void> first = g.spawn("first", () -> { c.acquireOnBehalfOf("first"); return null; });
            Task<Void> second = g.spawn("second", () -> { c.acquireOnBehalfOf("second"); return null; });
            settle();
            c.releaseOnBehalfOf("me");     // granted to first...
            first.cancel();                // ...cancelled before it runs
            second.join();
            assertTrue(first.isCancelled());
            assertEquals(List.of("second"), c.borrowers());
            c.releaseOnBehalfOf("second");
            return null;
        }));
    }
}
