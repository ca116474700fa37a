package xiio.concurrent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.Test;
import xiio.core.CancelledError;
import xiio.core.Xiio;
import xiio.testing.VirtualClock;

class TimeoutTest {
    private static Duration ms(long n) {
        return Duration.ofMillis(n);
    }

    @Test
    void throwsTimeoutExceptionExactlyAtTheDeadline() throws Exception {
        long[] at = new long[1];
        assertThrows(TimeoutException.class, () -> VirtualClock.run(() -> {
            long t0 = Xiio.nanoTime();
            try {
                return Timeout.withTimeout(ms(250), () -> {
                    Xiio.sleep(Duration.ofHours(1));
                    return "late";
                });
            } finally {
                at[0] = Xiio.nanoTime() - t0;
            }
        }));
        assertEquals(ms(250).toNanos(), at[0]);
    }

    @Test
    void returnsTheValueWhenInTime() throws Exception {
        assertEquals("fast", VirtualClock.run(() -> Timeout.withTimeout(ms(250), () -> {
            Xiio.sleep(ms(100));
            return "fast";
        })));
    }

    @Test
    void orNullReturnsNullQuietly() throws Exception {
        assertNull(VirtualClock.run(() -> Timeout.withTimeoutOrNull(ms(5), () -> {
            Xiio.sleep(ms(100));
            return "late";
        })));
    }

    @Test
    void nullMeansNoLimit() throws Exception {
        assertEquals("done", VirtualClock.run(() -> Timeout.withTimeout(null, () -> {
            Xiio.sleep(Duration.ofDays(400));
            return "done";
        })));
    }

    @Test
    void theBodyIsCancelledAndItsCleanupRunsAndMaySuspend() throws Exception {
        List<String> events = new ArrayList<>();
        assertNull(VirtualClock.run(() -> Timeout.withTimeoutOrNull(ms(5), () -> {
            try {
                Xiio.sleep(ms(100));
            } catch (CancelledError e) {
                events.add("cancelled");
                throw e;
            } finally {
                Xiio.sleep(ms(1));
                events.add("cleanup");
            }
            return "late";
        })));
        assertEquals(List.of("cancelled", "cleanup"), events);
    }

    @Test
    void aBodyThatSwallowsTheCancellationStillTimesOut() throws Exception {
        assertThrows(TimeoutException.class, () -> VirtualClock.run(() -> Timeout.withTimeout(ms(5), () -> {
            try {
                Xiio.sleep(ms(100));
            } catch (CancelledError swallowed) {
                // bad style, but the timeout still reports itself
            }
            return "swallowed";
        })));
    }

    @Test
    void aTimeoutInsideATimeoutFiresTheEarlierOne() throws Exception {
        VirtualClock.run(() -> {
            // inner is earlier: inner reports, outer goes on
            String r = Timeout.withTimeout(ms(100), () -> {
                String inner = Timeout.withTimeoutOrNull(ms(10), () -> {
                    Xiio.sleep(ms(50));
                    return "inner late";
                });
                return inner == null ? "inner timed out" : inner;
            });
            assertEquals("inner timed out", r);
            // outer is earlier: the inner timeout must not swallow the outer's cancellation
            assertThrows(TimeoutException.class, () -> Timeout.withTimeout(ms(10), () -> Timeout.withTimeoutOrNull(ms(100), () -> {
                Xiio.sleep(ms(50));
                return "inner finished";
            })));
            return null;
        });
    }

    @Test
    void aTimeoutNeverSwallowsACancellationFromOutside() throws Exception {
        VirtualClock.run(() -> TaskGroup.scope(g -> {
            List<String> events = new ArrayList<>();
            Task<String> t = g.spawn(() -> Timeout.withTimeoutOrNull(Duration.ofHours(1), () -> {
                Xiio.sleep(Duration.ofHours(2));
                return "late";
            }));
            Xiio.sleep(ms(1));
            t.cancel();
            assertThrows(CancellationException.class, t::join);
            // the outer cancel arrives while the timeout's cleanup still runs: it is raised there
            Task<String> during = g.spawn(() -> Timeout.withTimeoutOrNull(ms(10), () -> {
                try {
                    Xiio.sleep(Duration.ofHours(1));
                } finally {
                    Xiio.sleep(ms(10));
                    events.add("cleanup not cancelled again by the timeout");
                }
                return "late";
            }));
            g.spawn(() -> {
                Xiio.sleep(ms(15));
                during.cancel();
                return null;
            });
            assertThrows(CancellationException.class, during::join);
            assertEquals(List.of(), events);
            return null;
        }));
    }

    @Test
    void whenTheDeadlineAndAnOutsideCancelAreBothDueTheOutsideOneWins() throws Exception {
        // real clock: the canceller blocks the loop past the deadline, so both are due at the next resume
        Xiio.run(() -> TaskGroup.scope(g -> {
            Task<String> both = g.spawn(() -> Timeout.withTimeoutOrNull(ms(20), () -> {
                Xiio.sleep(Duration.ofHours(1));
                return "late";
            }));
            g.spawn(() -> {
                Xiio.sleep(ms(5));
                both.cancel();
                Thread.sleep(40); // deliberately block the loop past the timeout's deadline
                return null;
            });
            assertThrows(CancellationException.class, both::join);
            return null;
        }));
    }

    @Test
    void aGroupInsideATimeoutIsCancelledWhole() throws Exception {
        List<String> events = new ArrayList<>();
        assertThrows(TimeoutException.class, () -> VirtualClock.run(() -> Timeout.withTimeout(ms(20), () -> TaskGroup.scope(g -> {
            for (int i = 0; i < 3; i++) {
                int id = i;
                g.spawn(() -> {
                    try {
                        Xiio.sleep(Duration.ofHours(1));
                    } catch (CancelledError e) {
                        events.add("task " + id + " cancelled");
                        throw e;
                    }
                    return null;
                });
            }
            Xiio.sleep(Duration.ofHours(1));
            return null;
        }))));
        assertEquals(3, events.size(), events.toString());
    }

    @Test
    void aTimeoutInsideAGroupTaskOnlyEndsThatTask() throws Exception {
        List<String> results = VirtualClock.run(() -> {
            List<String> out = new ArrayList<>();
            TaskGroup.scope(g -> {
                g.spawn(() -> out.add(Timeout.withTimeoutOrNull(ms(5), () -> {
                    Xiio.sleep(ms(50));
                    return "slow";
                }) == null ? "slow timed out" : "slow finished"));
                g.spawn(() -> {
                    Xiio.sleep(ms(20));
                    return out.add("sibling finished");
                });
                return null;
            });
            return out;
        });
        assertEquals(List.of("slow timed out", "sibling finished"), results);
    }

    @Test
    void negativeLimitsAreRejected() throws Exception {
        VirtualClock.run(() -> {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> Timeout.withTimeout(ms(-1), () -> 1));
            assertTrue(e.getMessage().contains("negative"), e.getMessage());
            return null;
        });
    }
}
