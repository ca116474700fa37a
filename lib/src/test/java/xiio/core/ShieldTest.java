package xiio.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.Test;
import xiio.concurrent.Task;
import xiio.concurrent.TaskGroup;
import xiio.concurrent.Timeout;
import xiio.testing.VirtualClock;

/**
 * Shielded cancel scopes: the body is safe from enclosing cancellations, its own
 * deadline and cancel still work, and a cancellation held back is delivered at the
 * first suspension point after the shield. Ports trio's test_cancel_shielding and
 * test_cancel_shield_abort, re-expressed with scopes that cannot be re-shielded.
 */
class ShieldTest {
    private static Duration ms(long n) {
        return Duration.ofMillis(n);
    }

    private static long nowMs() {
        return Xiio.nanoTime() / 1_000_000;
    }

    /** trio test_cancel_shielding: outer cancelled; the shield holds, inner scopes still cancel. */
    @Test
    void shieldProtectsFromOuterButNotFromInnerScopes() throws Exception {
        List<String> events = new ArrayList<>();
        Object result = Xiio.run(() -> CancelScope.open(outer -> {
            outer.cancel();
            assertThrows(CancelledError.class, Xiio::yieldNow, "without a shield the outer cancel arrives");
            // a new scope inside the cancelled outer one, shielded: no cancellation inside
            CancelScope.shielded(Duration.ofDays(1), inner -> {
                assertTrue(inner.isShielded());
                Xiio.yieldNow();
                events.add("shielded checkpoint passed");
                Object r = CancelScope.open(innermost -> {
                    innermost.cancel();
                    Xiio.yieldNow();          // a scope inside the shield still cancels
                    events.add("not reached");
                    return "x";
                });
                events.add("innermost absorbed: " + r);
                Xiio.yieldNow();
                inner.cancel();               // the shield's own cancel works
                Xiio.yieldNow();
                events.add("not reached either");
                return null;
            });
            events.add("shield ended");
            return "outer not re-delivered";  // outer was delivered already (spent)
        }));
        assertEquals(List.of("shielded checkpoint passed", "innermost absorbed: null", "shield ended"), events);
        assertEquals("outer not re-delivered", result);
    }

    /** An outer cancellation requested during the shield is raised at the first suspension point after it. */
    @Test
    void cancellationHeldBackIsDeliveredAfterTheShield() throws Exception {
        List<String> events = new ArrayList<>();
        Object r = Xiio.run(() -> CancelScope.open(outer -> {
            CancelScope.shielded(Duration.ofDays(1), s -> {
                outer.cancel();
                Xiio.sleep(ms(20));           // not cut short
                events.add("cleanup finished");
                return null;
            });
            events.add("after shield, before a suspension");
            Xiio.yieldNow();                  // here it comes
            events.add("not reached");
            return "never";
        }));
        assertNull(r, "the outer scope absorbed its own cancellation");
        assertEquals(List.of("cleanup finished", "after shield, before a suspension"), events);
    }

    /** trio test_cancel_shield_abort: a task cancelled while its body awaits a group inside a shield keeps its members running. */
    @Test
    void groupInsideAShieldIsNotCancelledFromOutside() throws Exception {
        List<String> events = new ArrayList<>();
        VirtualClock.run(() -> TaskGroup.scope(g -> {
            Task<Void> worker = g.spawn("worker", () -> {
                CancelScope.shielded(Duration.ofSeconds(5), s -> TaskGroup.scope(inner -> {
                    inner.spawn("sleeper", () -> {
                        Xiio.sleep(Duration.ofSeconds(1));
                        events.add("sleeper finished at " + nowMs());
                        return null;
                    });
                    return null;
                }));
                events.add("shield ended at " + nowMs());
                Xiio.sleep(Duration.ofDays(1));   // the held-back cancellation lands here
                events.add("not reached");
                return null;
            });
            Xiio.sleep(ms(100));
            worker.cancel();
            return null;
        }));
        assertEquals(List.of("sleeper finished at 1000", "shield ended at 1000"), events);
    }

    /** The case: a shield inside a timeout; cleanup finishes, then the timeout is reported. */
    @Test
    void shieldInsideATimeoutFinishesItsCleanupThenTheTimeoutFires() throws Exception {
        List<String> events = new ArrayList<>();
        Exception e = assertThrows(TimeoutException.class, () -> VirtualClock.run(() ->
                Timeout.withTimeout(ms(100), () -> {
                    try {
                        Xiio.sleep(ms(50));
                    } finally {
                        CancelScope.shielded(Duration.ofSeconds(1), s -> {
                            Xiio.sleep(ms(200));  // the timeout passes at 100 ms, meanwhile
                            events.add("graceful close done at " + nowMs());
                            return null;
                        });
                    }
                    Xiio.sleep(ms(1));            // the timeout is delivered here, at 250 ms
                    events.add("not reached");
                    return "never";
                })));
        assertTrue(e.getMessage().contains("timed out"), e.getMessage());
        assertEquals(List.of("graceful close done at 250"), events);
    }

    /** The shield's own deadline still cancels its body, and the outer one is delivered after. */
    @Test
    void shieldKeepsItsOwnDeadline() throws Exception {
        List<String> events = new ArrayList<>();
        assertThrows(TimeoutException.class, () -> VirtualClock.run(() -> Timeout.withTimeout(ms(10), () -> {
            try {
                Xiio.sleep(Duration.ofDays(1));
            } finally {
                Object r = CancelScope.shielded(ms(300), s -> {
                    Xiio.sleep(Duration.ofDays(1));    // a peer that never answers
                    return "never";
                });
                events.add("shield gave up at " + nowMs() + ": " + r);
            }
            return null;
        })));
        assertEquals(List.of("shield gave up at 310: null"), events);
    }

    /** A second outer cancellation during cleanup of a first would cut the cleanup short; a shield stops it. */
    @Test
    void secondCancellationDuringCleanupIsHeldBack() throws Exception {
        List<String> events = new ArrayList<>();
        VirtualClock.run(() -> {
            Object r = CancelScope.open(outer -> TaskGroup.scope(g -> {
                g.spawn("closer", () -> {
                    Xiio.sleep(ms(50));
                    outer.cancel();                     // the second, outer cancellation
                    return null;
                });
                Timeout.withTimeoutOrNull(ms(10), () -> {
                    try {
                        Xiio.sleep(Duration.ofDays(1));
                    } finally {                          // the inner timeout was delivered
                        CancelScope.shielded(Duration.ofSeconds(1), s -> {
                            Xiio.sleep(ms(100));         // outer.cancel() at 50 ms waits
                            events.add("cleanup done at " + nowMs());
                            return null;
                        });
                    }
                    return null;
                });
                Xiio.yieldNow();                         // the held-back cancellation of the group lands here
                events.add("not reached: the outer cancellation comes first");
                return "body";
            }));
            events.add("outer scope ended with " + r + " at " + nowMs());
            return null;
        });
        assertEquals(List.of("cleanup done at 110", "outer scope ended with null at 110"), events);
    }

    /** A deadline of an enclosing scope that passes during the shield does not wake it, and arrives after. */
    @Test
    void outerDeadlineDoesNotWakeAShield() throws Exception {
        long[] wokeAt = new long[1];
        Object r = VirtualClock.run(() -> CancelScope.open(ms(10), outer -> {
            CancelScope.shielded(Duration.ofDays(1), s -> {
                Xiio.sleep(ms(100));
                wokeAt[0] = nowMs();
                return null;
            });
            Xiio.sleep(Duration.ofDays(1));
            return "never";
        }));
        assertNull(r);
        assertEquals(100, wokeAt[0]);
    }

    /** Cancelling the task that runs a shield: the error raised after the shield names the task's own scope. */
    @Test
    void taskCancelledInsideAShieldEndsCancelledAfterIt() throws Exception {
        Object[] seen = new Object[2];
        VirtualClock.run(() -> TaskGroup.scope(g -> {
            Task<String> t = g.spawn("t", () -> {
                CancelScope.shielded(Duration.ofDays(1), s -> {
                    Xiio.sleep(ms(50));
                    return null;
                });
                try {
                    Xiio.yieldNow();
                } catch (CancelledError e) {
                    seen[0] = e.scope();
                    throw e;
                }
                return "finished";
            });
            Xiio.sleep(ms(10));
            t.cancel();
            Xiio.sleep(ms(100));
            seen[1] = t.isCancelled();
            return null;
        }));
        assertSame(Boolean.TRUE, seen[1]);
        assertFalse(seen[0] == null);
    }

    @Test
    void shieldNeedsALimit() throws Exception {
        NullPointerException e = Xiio.run(() -> assertThrows(NullPointerException.class,
                () -> CancelScope.shielded(null, s -> null)));
        assertTrue(e.getMessage().contains("a shield needs a limit"), e.getMessage());
        Xiio.run(() -> assertThrows(IllegalArgumentException.class, () -> CancelScope.shielded(ms(-1), s -> null)));
    }
}
