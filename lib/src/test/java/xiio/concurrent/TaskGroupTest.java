package xiio.concurrent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CancellationException;
import org.junit.jupiter.api.Test;
import xiio.core.CancelledError;
import xiio.core.Xiio;
import xiio.support.TestPipe;
import xiio.testing.VirtualClock;

/** The task group semantics of the reference system, one test each. */
class TaskGroupTest {
    private static Duration ms(long n) {
        return Duration.ofMillis(n);
    }

    @Test
    void allTasksHaveFinishedWhenTheGroupExits() throws Exception {
        List<String> log = VirtualClock.run(() -> {
            List<String> events = new ArrayList<>();
            TaskGroup.scope(g -> {
                for (int i = 3; i >= 1; i--) {
                    int id = i;
                    g.spawn(() -> {
                        Xiio.sleep(ms(10 * id));
                        events.add("task " + id);
                        return null;
                    });
                }
                return null;
            });
            events.add("exited");
            return events;
        });
        assertEquals(List.of("task 1", "task 2", "task 3", "exited"), log);
    }

    @Test
    void tasksStartAtTheOwnersNextSuspensionNotAtOnce() throws Exception {
        List<String> log = VirtualClock.run(() -> {
            List<String> events = new ArrayList<>();
            TaskGroup.scope(g -> {
                g.spawn(() -> events.add("child runs"));
                events.add("body continues");
                Xiio.yieldNow();
                events.add("body resumed");
                return null;
            });
            return events;
        });
        assertEquals(List.of("body continues", "child runs", "body resumed"), log);
    }

    @Test
    void aFailureCancelsTheOthersAndTheBodyAndIsRaisedAsItself() throws Exception {
        IOException boom = new IOException("boom");
        List<String> events = new ArrayList<>();
        IOException thrown = assertThrows(IOException.class, () -> VirtualClock.run(() -> TaskGroup.scope(g -> {
            g.spawn(() -> {
                try {
                    Xiio.sleep(Duration.ofHours(1));
                } catch (CancelledError e) {
                    events.add("sibling cancelled");
                    throw e;
                }
                return null;
            });
            g.spawn(() -> {
                Xiio.sleep(ms(10));
                throw boom;
            });
            try {
                Xiio.sleep(Duration.ofHours(1));
            } catch (CancelledError e) {
                events.add("body cancelled");
                throw e;
            }
            return null;
        })));
        assertSame(boom, thrown);
        assertTrue(events.containsAll(List.of("sibling cancelled", "body cancelled")), events.toString());
    }

    @Test
    void cancelledTasksMayAwaitDuringCleanup() throws Exception {
        List<String> events = new ArrayList<>();
        assertThrows(IllegalStateException.class, () -> VirtualClock.run(() -> TaskGroup.scope(g -> {
            g.spawn(() -> {
                try {
                    Xiio.sleep(Duration.ofHours(1));
                } finally {
                    long t0 = Xiio.nanoTime();
                    Xiio.sleep(ms(50)); // a slow goodbye
                    events.add("cleanup slept " + (Xiio.nanoTime() - t0) / 1_000_000 + " ms");
                }
                return null;
            });
            Xiio.sleep(ms(1));
            throw new IllegalStateException("fail");
        })));
        assertEquals(List.of("cleanup slept 50 ms"), events);
    }

    @Test
    void onlyTheFirstFailureIsRaisedAndLaterOnesAreSuppressed() throws Exception {
        IllegalStateException thrown = assertThrows(IllegalStateException.class,
                () -> VirtualClock.run(() -> TaskGroup.scope(g -> {
                    g.spawn(() -> {
                        try {
                            Xiio.sleep(Duration.ofHours(1));
                        } finally {
                            throw new IOException("failure during cancellation");
                        }
                    });
                    g.spawn(() -> {
                        Xiio.sleep(ms(1));
                        throw new IllegalStateException("first");
                    });
                    return null;
                })));
        assertEquals("first", thrown.getMessage());
        assertEquals(1, thrown.getSuppressed().length);
        assertEquals("failure during cancellation", thrown.getSuppressed()[0].getMessage());
    }

    @Test
    void finishedTasksLeaveTheGroupAndHandlesKeepResults() throws Exception {
        VirtualClock.run(() -> TaskGroup.scope(g -> {
            Task<Integer> quick = g.spawn("quick", () -> 7);
            Task<Integer> slow = g.spawn("slow", () -> {
                Xiio.sleep(ms(100));
                return 8;
            });
            assertEquals(3, g.size());
            Xiio.sleep(ms(10));
            assertEquals(2, g.size()); // body and slow
            assertTrue(quick.isDone());
            assertEquals(7, quick.result());
            assertThrows(IllegalStateException.class, slow::result);
            assertEquals(8, slow.join());
            return null;
        }));
    }

    @Test
    void tasksCanBeAddedAfterCancellationBegan() throws Exception {
        List<String> events = new ArrayList<>();
        assertThrows(IOException.class, () -> VirtualClock.run(() -> TaskGroup.scope(g -> {
            g.spawn(() -> {
                try {
                    Xiio.sleep(Duration.ofHours(1));
                } catch (CancelledError e) {
                    g.spawn(() -> {
                        Xiio.sleep(ms(5));
                        events.add("helper spawned during cancellation ran");
                        return null;
                    });
                    throw e;
                }
                return null;
            });
            Xiio.sleep(ms(1));
            throw new IOException("fail");
        })));
        assertEquals(List.of("helper spawned during cancellation ran"), events);
    }

    @Test
    void joinOnACancelledTaskThrowsCancellationException() throws Exception {
        VirtualClock.run(() -> TaskGroup.scope(g -> {
            Task<Object> t = g.spawn(() -> {
                Xiio.sleep(Duration.ofHours(1));
                return null;
            });
            Xiio.sleep(ms(1));
            t.cancel();
            assertThrows(CancellationException.class, t::join);
            assertTrue(t.isCancelled());
            return null;
        }));
    }

    @Test
    void aTaskCancelledBeforeItStartsRunsUntilItsFirstSuspension() throws Exception {
        List<String> events = new ArrayList<>();
        VirtualClock.run(() -> TaskGroup.scope(g -> {
            Task<Object> t = g.spawn(() -> {
                events.add("started");
                Xiio.sleep(Duration.ofHours(1));
                events.add("slept");
                return null;
            });
            t.cancel();
            Xiio.sleep(ms(1));
            assertTrue(t.isCancelled());
            return null;
        }));
        assertEquals(List.of("started"), events);
    }

    @Test
    void aResourceHandedToATaskCancelledBeforeItStartsIsClosedByTheTask() throws Exception {
        List<String> events = new ArrayList<>();
        VirtualClock.run(() -> TaskGroup.scope(g -> {
            AutoCloseable resource = () -> events.add("closed");
            g.spawn(() -> {
                try (resource) {
                    Xiio.sleep(Duration.ofHours(1));
                }
                return null;
            });
            g.cancel();
            return null;
        }));
        assertEquals(List.of("closed"), events);
    }

    @Test
    void cancellingTheGroupEndsItQuietly() throws Exception {
        String r = VirtualClock.run(() -> TaskGroup.scope(g -> {
            g.spawn(() -> {
                Xiio.sleep(Duration.ofHours(1));
                return null;
            });
            Xiio.sleep(ms(1));
            g.cancel();
            Xiio.sleep(ms(1)); // the body is cancelled here too
            return "not reached";
        }));
        assertEquals(null, r);
    }

    @Test
    void spawningIntoAnExitedGroupFails() throws Exception {
        VirtualClock.run(() -> {
            TaskGroup[] leaked = new TaskGroup[1];
            TaskGroup.scope(g -> leaked[0] = g);
            IllegalStateException e = assertThrows(IllegalStateException.class, () -> leaked[0].spawn(() -> 1));
            assertTrue(e.getMessage().contains("exited"), e.getMessage());
            return null;
        });
    }

    @Test
    void gatherReturnsResultsInArgumentOrder() throws Exception {
        List<Integer> results = VirtualClock.run(() -> TaskGroup.gather(
                () -> { Xiio.sleep(ms(30)); return 1; },
                () -> { Xiio.sleep(ms(10)); return 2; },
                () -> 3));
        assertEquals(List.of(1, 2, 3), results);
    }

    @Test
    void gatherCancelsTheRestOnTheFirstFailure() throws Exception {
        List<String> events = new ArrayList<>();
        long[] elapsed = new long[1];
        assertThrows(ArithmeticException.class, () -> VirtualClock.run(() -> {
            long t0 = Xiio.nanoTime();
            try {
                return TaskGroup.gather(
                        () -> { Xiio.sleep(Duration.ofHours(1)); events.add("not cancelled"); return 1; },
                        () -> { Xiio.sleep(ms(10)); return 1 / 0; });
            } finally {
                elapsed[0] = Xiio.nanoTime() - t0;
            }
        }));
        assertEquals(List.of(), events);
        assertEquals(ms(10).toNanos(), elapsed[0]);
    }

    @Test
    void groupsNestAndAnInnerFailureReachesTheOuterCaller() throws Exception {
        assertThrows(UnsupportedOperationException.class, () -> VirtualClock.run(() -> TaskGroup.scope(outer -> {
            outer.spawn(() -> TaskGroup.scope(inner -> {
                inner.spawn(() -> {
                    Xiio.sleep(ms(5));
                    throw new UnsupportedOperationException("deep");
                });
                Xiio.sleep(Duration.ofHours(1));
                return null;
            }));
            Xiio.sleep(Duration.ofHours(1));
            return null;
        })));
    }

    @Test
    void thousandsOfTasksWaitingOnPipesAndTimersComplete() throws Exception {
        int n = 2000;
        List<TestPipe> pipes = new ArrayList<>();
        try {
            for (int i = 0; i < n; i++) pipes.add(new TestPipe());
            int sum = Xiio.run(() -> {
                int[] total = new int[1];
                TaskGroup.scope(g -> {
                    for (TestPipe p : pipes) {
                        g.spawn(() -> {
                            byte[] buf = new byte[4];
                            int got = Xiio.read(p.readFd, buf);
                            total[0] += got;
                            return null;
                        });
                        g.spawn(() -> {
                            Xiio.sleep(ms(1));
                            p.put("abc");
                            return null;
                        });
                    }
                    return null;
                });
                return total[0];
            });
            assertEquals(3 * n, sum);
        } finally {
            pipes.forEach(TestPipe::close);
        }
    }

    @Test
    void anOutsideCancellationOfTheOwnerIsRaisedByTheGroup() throws Exception {
        VirtualClock.run(() -> TaskGroup.scope(outer -> {
            Task<Object> owner = outer.spawn(() -> TaskGroup.scope(inner -> {
                inner.spawn(() -> {
                    Xiio.sleep(Duration.ofHours(1));
                    return null;
                });
                Xiio.sleep(Duration.ofHours(1));
                return null;
            }));
            Xiio.sleep(ms(1));
            owner.cancel();
            CancellationException e = assertThrows(CancellationException.class, owner::join);
            assertInstanceOf(CancelledError.class, e.getCause());
            return null;
        }));
    }
}
