package xiio.concurrent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CancellationException;
import org.junit.jupiter.api.Test;
import xiio.core.CancelScope;
import xiio.core.CancelledError;
import xiio.core.Xiio;
import xiio.io.StreamReader;
import xiio.net.TcpListener;
import xiio.net.TcpStream;
import xiio.testing.VirtualClock;

/**
 * {@link TaskGroup#start}: spawn and wait until ready. Ports the cases of trio's
 * test_nursery_start, test_nursery_start_with_cancelled_nursery and
 * test_nursery_start_keeps_nursery_open, re-expressed (times on the virtual clock).
 */
class TaskStartTest {
    private static long nowMs() {
        return Xiio.nanoTime() / 1_000_000;
    }

    private static Duration s(long n) {
        return Duration.ofSeconds(n);
    }

    /** sleep, report the seconds slept, sleep as long again. */
    private static TaskGroup.Startable<Long> sleepThenStart(long seconds) {
        return status -> {
            Xiio.sleep(s(seconds));
            status.started(seconds);
            Xiio.sleep(s(seconds));
        };
    }

    /** trio: start waits for started(), returns its value; the group then waits for the task. */
    @Test
    void startReturnsTheReportedValueAndTheGroupWaitsForTheTask() throws Exception {
        for (long seconds : new long[] {1, 2}) {
            long[] at = new long[3];
            VirtualClock.run(() -> {
                TaskGroup.scope(g -> {
                    assertEquals(1, g.size(), "only the body");
                    long v = g.start("sleeper", sleepThenStart(seconds));
                    assertEquals(seconds, v);
                    at[0] = nowMs();
                    at[1] = g.size();
                    return null;
                });
                at[2] = nowMs();
                return null;
            });
            assertEquals(1000 * seconds, at[0]);
            assertEquals(2, at[1], "the body and the started task");
            assertEquals(2000 * seconds, at[2]);
        }
    }

    /** trio: calling started twice. */
    @Test
    void startedTwiceIsAnError() throws Exception {
        String msg = VirtualClock.run(() -> TaskGroup.scope(g -> {
            String[] m = new String[1];
            g.start("twice", status -> {
                status.started();
                m[0] = assertThrows(IllegalStateException.class, status::started).getMessage();
            });
            return m;
        }))[0];
        assertTrue(msg.contains("started() was already called for task 'twice'"), msg);
    }

    /** trio: a crash before started comes out of start(), as itself; the group goes on. */
    @Test
    void failureBeforeStartedIsThrownByStartAndSparesTheGroup() throws Exception {
        List<String> events = new ArrayList<>();
        VirtualClock.run(() -> TaskGroup.scope(g -> {
            g.spawn("sibling", () -> {
                Xiio.sleep(s(5));
                events.add("sibling finished");
                return null;
            });
            IOException e = assertThrows(IOException.class, () -> g.start("crasher", status -> {
                Xiio.sleep(s(1));
                throw new IOException("bind failed");
            }));
            events.add("start threw " + e.getMessage() + " at " + nowMs());
            return null;
        }));
        assertEquals(List.of("start threw bind failed at 1000", "sibling finished"), events);
    }

    /** trio: exiting cleanly before started is an error naming the task. */
    @Test
    void endingWithoutStartedIsAnError() throws Exception {
        IllegalStateException e = VirtualClock.run(() -> TaskGroup.scope(g ->
                assertThrows(IllegalStateException.class, () -> g.start("lazy", status -> { }))));
        assertTrue(e.getMessage().contains("task 'lazy' ended without calling status.started()"), e.getMessage());
    }

    /**
     * trio: if the caller of start() is cancelled, started() does nothing: the task goes
     * on under start(), which ends when the task has, and raises the cancellation.
     */
    @Test
    void cancelledStarterKeepsTheTaskUntilItEnds() throws Exception {
        List<String> events = new ArrayList<>();
        VirtualClock.run(() -> TaskGroup.scope(g -> {
            Object r = CancelScope.open(cs -> {
                cs.cancel();
                g.start("just started", status -> {
                    try {
                        status.started("hi");       // a no-op: the starter gave up
                        Xiio.yieldNow();            // cancelled with its starter
                    } finally {
                        Xiio.sleep(s(1));           // start() waits for this cleanup
                        events.add("task cleaned up at " + nowMs());
                    }
                });
                events.add("not reached");
                return "x";
            });
            events.add("scope ended with " + r + " at " + nowMs() + ", group size " + g.size());
            return null;
        }));
        assertEquals(List.of("task cleaned up at 1000", "scope ended with null at 1000, group size 1"), events);
    }

    /**
     * trio: started in a cancelled context and ending without a checkpoint. trio's
     * start() then returns quietly; here the starter's cancellation was already raised
     * at start()'s own suspension point, so it is rethrown once the task has ended (a
     * delivered cancellation is never dropped), and the task still ran to its end.
     */
    @Test
    void cancelledStarterWithATaskThatNeverSuspends() throws Exception {
        List<String> events = new ArrayList<>();
        Object r = VirtualClock.run(() -> TaskGroup.scope(g -> CancelScope.open(cs -> {
            cs.cancel();
            g.start("no checkpoint", status -> {
                status.started();
                events.add("task ran to its end");
            });
            return "start returned";
        })));
        assertNull(r);
        assertEquals(List.of("task ran to its end"), events);
    }

    /** trio: a crash after started() in a cancelled context still comes out of start(). */
    @Test
    void crashAfterStartedInACancelledStarterComesOutOfStart() throws Exception {
        IllegalArgumentException e = VirtualClock.run(() -> TaskGroup.scope(g -> CancelScope.open(cs -> {
            cs.cancel();
            return assertThrows(IllegalArgumentException.class, () -> g.start("whoops", status -> {
                status.started();
                throw new IllegalArgumentException("whoopsiedaisy");
            }));
        })));
        assertEquals("whoopsiedaisy", e.getMessage());
        assertInstanceOf(CancelledError.class, e.getSuppressed()[0], "the starter's cancellation rides along");
    }

    /** trio: starting in a closed group fails at once. */
    @Test
    void startInAnExitedGroupFailsAtOnce() throws Exception {
        IllegalStateException e = VirtualClock.run(() -> {
            TaskGroup[] closed = new TaskGroup[1];
            TaskGroup.scope(g -> closed[0] = g);
            long t0 = nowMs();
            IllegalStateException x = assertThrows(IllegalStateException.class,
                    () -> closed[0].start("late", sleepThenStart(7)));
            assertEquals(t0, nowMs());
            return x;
        });
        assertTrue(e.getMessage().contains("has exited"), e.getMessage());
    }

    /**
     * trio test_nursery_start_with_cancelled_nursery, and the case: the group is
     * cancelled while a task starts; the cancellation does not reach it until it reports,
     * then it is cancelled (its own sleeping children too) and start() still returns.
     */
    @Test
    void groupCancelledBeforeStartedCancelsTheTaskWhenItArrives() throws Exception {
        List<String> events = new ArrayList<>();
        VirtualClock.run(() -> TaskGroup.scope(outer -> {
            TaskGroup target = outer.start("setup", status -> TaskGroup.scope(inner -> {
                status.started(inner);
                Xiio.sleep(Duration.ofDays(1));
                return null;
            }));
            String v = target.start("sleeping children", status -> TaskGroup.scope(g -> {
                g.spawn("child", () -> {
                    try {
                        Xiio.sleep(Duration.ofDays(1));
                    } catch (CancelledError e) {
                        events.add("child cancelled at " + nowMs());
                        throw e;
                    }
                    return null;
                });
                Xiio.sleep(Duration.ofSeconds(1));
                target.cancel();                  // not delivered: we still belong to the starter
                Xiio.sleep(Duration.ofSeconds(1));
                events.add("still starting at " + nowMs());
                status.started("ready");
                Xiio.sleep(Duration.ofDays(1));   // cancelled now
                return null;
            }));
            events.add("start returned " + v);
            return null;
        }));
        // the order of the last two is the scheduler's business
        assertEquals("still starting at 2000", events.get(0));
        assertEquals(java.util.Set.of("start returned ready", "child cancelled at 2000"), java.util.Set.copyOf(events.subList(1, 3)));
        assertEquals(3, events.size());
    }

    /** trio: cancelling the target just after started() ends the started task too. */
    @Test
    void groupCancelledAfterStartedCancelsTheTask() throws Exception {
        long end = VirtualClock.run(() -> {
            TaskGroup.scope(outer -> {
                TaskGroup target = outer.start("setup", status -> TaskGroup.scope(inner -> {
                    status.started(inner);
                    Xiio.sleep(Duration.ofDays(1));
                    return null;
                }));
                target.start("sleeper", status -> {
                    status.started();
                    Xiio.sleep(Duration.ofDays(1));
                });
                target.cancel();
                return null;
            });
            return nowMs();
        });
        assertEquals(0, end);
    }

    /** trio test_nursery_start_keeps_nursery_open: a group waits for pending starts, also ones that crash. */
    @Test
    void pendingStartsKeepTheGroupOpen() throws Exception {
        long end = VirtualClock.run(() -> {
            TaskGroup.scope(g1 -> {
                TaskGroup.scope(g2 -> {
                    TaskGroup.Startable<Void> sleepABit = status -> {
                        Xiio.sleep(s(2));
                        status.started();
                        Xiio.sleep(s(3));
                    };
                    g1.spawn("starter 1", () -> g2.start("a", sleepABit));
                    Xiio.sleep(s(1));
                    g1.spawn("starter 2", () -> g2.start("b", sleepABit));
                    return null;                  // g2's body ends; pending starts hold it open
                });
                assertEquals(6000, nowMs());
                TaskGroup.scope(g2 -> {
                    g1.spawn("starter of a crash", () -> assertThrows(KeyException.class, () -> g2.start("crash", st -> {
                        Xiio.sleep(s(7));
                        throw new KeyException();
                    })));
                    Xiio.sleep(s(1));                 // lets the starter call start()
                    return null;
                });
                return null;
            });
            return nowMs();
        });
        assertEquals(13_000, end);
    }

    /** After started(), the task is the group's: its failure fails the strict group. */
    @Test
    void failureAfterStartedFailsTheGroup() throws Exception {
        IOException e = assertThrows(IOException.class, () -> VirtualClock.run(() -> TaskGroup.scope(g -> {
            g.start("server", status -> {
                status.started();
                Xiio.sleep(s(1));
                throw new IOException("crashed later");
            });
            Xiio.sleep(Duration.ofDays(1));       // cancelled by the failure
            return null;
        })));
        assertEquals("crashed later", e.getMessage());
    }

    /** A sibling's failure while a task starts cancels the starter, hence the starting task; the group throws the failure. */
    @Test
    void siblingFailureWhileStartingCancelsTheStartingTask() throws Exception {
        List<String> events = new ArrayList<>();
        IOException e = assertThrows(IOException.class, () -> VirtualClock.run(() -> TaskGroup.scope(g -> {
            g.spawn("bad", () -> {
                Xiio.sleep(s(1));
                throw new IOException("sibling failed");
            });
            g.start("slow starter", status -> {
                try {
                    Xiio.sleep(Duration.ofDays(1));
                } catch (CancelledError c) {
                    events.add("starting task cancelled at " + nowMs());
                    throw c;
                }
            });
            return null;
        })));
        assertEquals("sibling failed", e.getMessage());
        assertEquals(List.of("starting task cancelled at 1000"), events);
    }

    /** Reporting and then the starter being cancelled before it runs: start() still returns (the hand-off happened). */
    @Test
    void reportThenCancelOfTheStarterBeforeItRunsStillReturns() throws Exception {
        List<String> events = new ArrayList<>();
        VirtualClock.run(() -> TaskGroup.scope(g -> {
            CancelScope[] starterScope = new CancelScope[1];
            Object r = CancelScope.open(cs -> {
                starterScope[0] = cs;
                String v = g.start("reporter", status -> {
                    status.started("value");
                    starterScope[0].cancel();       // the starter has not run since
                    Xiio.sleep(s(1));
                });
                events.add("start returned " + v);
                Xiio.yieldNow();                    // the cancellation lands here
                events.add("not reached");
                return "x";
            });
            events.add("scope ended with " + r);
            return null;
        }));
        assertEquals(List.of("start returned value", "scope ended with null"), events);
    }

    /** A starter cancelled by the task's own cancel: it ends cancelled before reporting, start() says so. */
    @Test
    void taskCancellingItselfBeforeReportingIsACancellationException() throws Exception {
        CancellationException e = VirtualClock.run(() -> TaskGroup.scope(g ->
                assertThrows(CancellationException.class, () -> g.start("self-cancel", status -> {
                    xiio.core.Coroutine.current().cancel();
                    Xiio.yieldNow();
                }))));
        assertTrue(e.getMessage().contains("cancelled before it called status.started()"), e.getMessage());
    }

    /** The point of it: a real server reports its port once it listens; the client connects at once, no polling. */
    @Test
    void serverReportsItsPortOnceListening() throws Exception {
        String reply = Xiio.run(() -> TaskGroup.scope(g -> {
            int port = g.start("echo server", status -> {
                try (TcpListener listener = TcpListener.bind(new InetSocketAddress("127.0.0.1", 0))) {
                    status.started(listener.localAddress().getPort());
                    try (TcpStream conn = listener.accept()) {
                        String line = new StreamReader(conn).readLine(100);
                        byte[] b = (line + "!\n").getBytes(StandardCharsets.UTF_8);
                        conn.writeAll(b, 0, b.length);
                    }
                }
            });
            try (TcpStream c = TcpStream.connect("127.0.0.1", port)) {
                byte[] b = "hello\n".getBytes(StandardCharsets.UTF_8);
                c.writeAll(b, 0, b.length);
                return new StreamReader(c).readLine(100);
            }
        }));
        assertEquals("hello!", reply);
    }

    @Test
    void nullArgumentsAreRejectedByName() throws Exception {
        VirtualClock.run(() -> TaskGroup.scope(g -> {
            assertTrue(assertThrows(NullPointerException.class, () -> g.start(null, st -> { })).getMessage().contains("name"));
            assertTrue(assertThrows(NullPointerException.class, () -> g.start("x", null)).getMessage().contains("body"));
            return null;
        }));
    }

    /** Checked exception standing in for trio's KeyError. */
    static final class KeyException extends Exception {}

}
