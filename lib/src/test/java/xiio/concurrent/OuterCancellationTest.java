package xiio.concurrent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.Test;
import xiio.core.CancelScope;
import xiio.core.Xiio;
import xiio.testing.VirtualClock;

/**
 * An outer cancellation always wins over an inner one, and a failure during cleanup is
 * never lost, even while a group waits for cleanup that suspends. Each case is a small
 * program a user wrote that broke these promises (issue 12, defects 1 and 2).
 */
class OuterCancellationTest {
    private static Duration ms(long n) {
        return Duration.ofMillis(n);
    }

    private static long nowMs() {
        return Xiio.nanoTime() / 1_000_000;
    }

    /** A group whose one task sleeps long, then sleeps {@code cleanupMs} in its finally. */
    private static Object groupWithSlowCleanup(long cleanupMs) throws Exception {
        return TaskGroup.scope(g -> {
            g.spawn("slow cleanup", () -> {
                try {
                    Xiio.sleep(Duration.ofDays(1));
                } finally {
                    Xiio.sleep(ms(cleanupMs));
                }
                return null;
            });
            return "body";
        });
    }

    /** A group whose one task sleeps long, then throws {@code IOException(label)} in its finally. */
    private static Object groupWithFailingCleanup(String label) throws Exception {
        return TaskGroup.scope(g -> {
            g.spawn("failing cleanup", () -> {
                try {
                    Xiio.sleep(Duration.ofDays(1));
                } finally {
                    throw new IOException(label);
                }
            });
            return "body";
        });
    }

    @Test
    void aTaskCancelledDuringAnInnerTimeoutsCleanupEndsCancelled() throws Exception {
        List<String> seen = new ArrayList<>();
        VirtualClock.run(() -> TaskGroup.scope(g -> {
            Task<String> victim = g.spawn("victim", () -> {
                Timeout.withTimeoutOrNull(ms(50), () -> groupWithSlowCleanup(200));
                seen.add("ran on after the timeout");
                Xiio.sleep(ms(300));
                return "returned";
            });
            g.spawn(() -> {
                Xiio.sleep(ms(100));
                victim.cancel();
                return null;
            });
            try {
                victim.join();
            } catch (CancellationException expected) {
                seen.add("cancelled at " + nowMs());
            }
            assertTrue(victim.isCancelled());
            return null;
        }));
        assertEquals(List.of("cancelled at 250"), seen);
    }

    @Test
    void anOuterTimeoutExpiringDuringAnInnerTimeoutsCleanupFiresWhenTheCleanupEnds() throws Exception {
        String outcome = VirtualClock.run(() -> {
            try {
                return Timeout.withTimeout(ms(100), () -> {
                    Timeout.withTimeoutOrNull(ms(50), () -> groupWithSlowCleanup(200));
                    Xiio.sleep(ms(300));
                    return "no timeout at " + nowMs();
                });
            } catch (TimeoutException e) {
                return "timeout at " + nowMs();
            }
        });
        assertEquals("timeout at 250", outcome);
    }

    @Test
    void anEnclosingScopeCancelledDuringAnInnerTimeoutsCleanupEndsThatScope() throws Exception {
        List<String> seen = new ArrayList<>();
        VirtualClock.run(() -> TaskGroup.scope(g -> {
            CancelScope[] outer = new CancelScope[1];
            g.spawn(() -> {
                Xiio.sleep(ms(100));
                outer[0].cancel();
                return null;
            });
            Object r = CancelScope.open(s -> {
                outer[0] = s;
                Timeout.withTimeoutOrNull(ms(50), () -> groupWithSlowCleanup(200));
                seen.add("ran on inside the cancelled scope");
                return "returned";
            });
            seen.add("scope gave " + r + " at " + nowMs());
            return null;
        }));
        assertEquals(List.of("scope gave null at 250"), seen);
    }

    @Test
    void anInnerTimeoutStillEndsQuietlyWhenNothingOutsideWasCancelled() throws Exception {
        String outcome = VirtualClock.run(() -> {
            Object r = Timeout.withTimeoutOrNull(ms(50), () -> groupWithSlowCleanup(200));
            return r + " at " + nowMs();
        });
        assertEquals("null at 250", outcome);
    }

    @Test
    void aCleanupFailureUnderAnEnclosingTimeoutReachesTheCaller() throws Exception {
        Throwable t = VirtualClock.run(() -> {
            try {
                return "returned " + Timeout.withTimeoutOrNull(ms(50), () -> groupWithFailingCleanup("cleanup failed"));
            } catch (IOException e) {
                return e;
            }
        }) instanceof IOException e ? e : null;
        assertEquals("cleanup failed", t.getMessage());
    }

    @Test
    void aCleanupFailureUnderAnEnclosingTimeoutThatThrowsReachesTheCallerInsteadOfTheTimeout() throws Exception {
        Object outcome = VirtualClock.run(() -> {
            try {
                return Timeout.withTimeout(ms(50), () -> groupWithFailingCleanup("cleanup failed"));
            } catch (IOException | TimeoutException e) {
                return e;
            }
        });
        assertInstanceOf(IOException.class, outcome);
    }

    @Test
    void aCleanupFailureUnderACancelledEnclosingScopeReachesTheCaller() throws Exception {
        Object outcome = VirtualClock.run(() -> {
            try {
                return CancelScope.open(s -> TaskGroup.scope(g -> {
                    g.spawn(() -> groupWithFailingCleanup("cleanup failed"));
                    g.spawn(() -> {
                        Xiio.sleep(ms(10));
                        s.cancel();
                        return null;
                    });
                    return "body";
                }));
            } catch (IOException e) {
                return e;
            }
        });
        assertInstanceOf(IOException.class, outcome);
        assertEquals("cleanup failed", ((IOException) outcome).getMessage());
    }

    @Test
    void aCleanupFailureOfACancelledOwnerTaskIsItsFailure() throws Exception {
        List<Task<Object>> owner = new ArrayList<>();
        IOException raised = assertThrows(IOException.class, () -> VirtualClock.run(() -> TaskGroup.scope(g -> {
            owner.add(g.spawn("owner", () -> groupWithFailingCleanup("cleanup failed")));
            Xiio.sleep(ms(10));
            owner.get(0).cancel();
            Xiio.sleep(Duration.ofDays(1));
            return null;
        })));
        assertEquals("cleanup failed", raised.getMessage()); // the owner's failure fails the outer group too
        assertFalse(owner.get(0).isCancelled());
        assertSame(raised, owner.get(0).exception());
    }

    @Test
    void severalCleanupFailuresRaiseTheFirstWithTheOthersSuppressed() throws Exception {
        Object outcome = VirtualClock.run(() -> {
            try {
                return Timeout.withTimeoutOrNull(ms(50), () -> TaskGroup.scope(g -> {
                    for (int i = 0; i < 3; i++) {
                        int n = i;
                        g.spawn("t" + n, () -> {
                            try {
                                Xiio.sleep(Duration.ofDays(1));
                            } finally {
                                Xiio.sleep(ms(10 * (n + 1)));
                                throw new IOException("cleanup " + n);
                            }
                        });
                    }
                    return "body";
                }));
            } catch (IOException e) {
                return e;
            }
        });
        IOException e = assertInstanceOf(IOException.class, outcome);
        assertEquals("cleanup 0", e.getMessage());
        assertEquals(2, e.getSuppressed().length);
        assertEquals("cleanup 1", e.getSuppressed()[0].getMessage());
        assertEquals("cleanup 2", e.getSuppressed()[1].getMessage());
    }

    @Test
    void aGroupCancelledByItsOwnCancelStillReturnsNull() throws Exception {
        assertNull(VirtualClock.run(() -> TaskGroup.scope(g -> {
            g.spawn(() -> {
                Xiio.sleep(ms(5));
                g.cancel();
                return null;
            });
            Xiio.sleep(Duration.ofDays(1));
            return "never";
        })));
    }
}
