package xiio.concurrent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import xiio.core.Xiio;
import xiio.testing.VirtualClock;

/**
 * Memory channels: clonable ends, per-end closing, buffered and unbuffered. Ports
 * trio's test_channel.py (test_channel, test_553, multiple producers and consumers,
 * close basics, clone and close, closing one of several handles, infinite capacity,
 * statistics, fairness, unbuffered), re-expressed.
 */
class MemoryChannelTest {
    /** trio's wait_all_tasks_blocked, on the virtual clock: let every other task run until it waits. */
    private static void settle() {
        Xiio.sleep(Duration.ofMillis(1));
    }

    private static String closedMessage(Runnable r) {
        return assertThrows(ChannelClosedException.class, r::run).getMessage();
    }

    @Test
    void basics() throws Exception {
        assertTrue(assertThrows(IllegalArgumentException.class, () -> MemoryChannel.open(-1)).getMessage()
                .contains("capacity must not be negative"));
        VirtualClock.run(() -> {
            MemoryChannel<Object> ch = MemoryChannel.open(2);
            SendChannel<Object> s = ch.sender();
            ReceiveChannel<Object> r = ch.receiver();
            assertTrue(s.trySend(1));
            s.send(2);
            assertFalse(s.trySend("three"), "full");
            assertEquals(1, r.receive());
            assertEquals(2, r.tryReceive());
            assertNull(r.tryReceive(), "empty");
            s.trySend("last");
            s.close();
            assertTrue(closedMessage(() -> s.send("too late")).contains("closed channel end"));
            assertTrue(closedMessage(() -> s.trySend("too late")).contains("closed channel end"));
            assertTrue(closedMessage(s::clone).contains("clone()"));
            s.close();                                       // idempotent
            assertEquals("last", r.tryReceive());
            assertTrue(closedMessage(r::receive).contains("send ends are all closed"));
            assertNull(r.receiveOrNull());
            r.close();
            assertTrue(closedMessage(r::receive).contains("closed channel end"));
            assertTrue(closedMessage(r::tryReceive).contains("closed channel end"));
            r.close();
            return null;
        });
    }

    /** trio test_553: a receive cancelled by a timeout leaves nothing behind; a later send buffers. */
    @Test
    void timedOutReceiveLeavesNoWaiter() throws Exception {
        VirtualClock.run(() -> {
            MemoryChannel<String> ch = MemoryChannel.open(1);
            assertNull(Timeout.withTimeoutOrNull(Duration.ofSeconds(10), ch.receiver()::receive));
            assertEquals(0, ch.sender().statistics().waitingReceivers());
            ch.sender().send("Test for PR #553");
            assertEquals(1, ch.sender().statistics().buffered());
            return null;
        });
    }

    @Test
    void multipleProducersOnAnUnbufferedChannel() throws Exception {
        List<Integer> got = VirtualClock.run(() -> {
            MemoryChannel<Integer> ch = MemoryChannel.open(0);
            List<Integer> out = new ArrayList<>();
            TaskGroup.scope(g -> {
                try (SendChannel<Integer> original = ch.sender()) {
                    for (int i = 0; i < 10; i++) {
                        SendChannel<Integer> mine = original.clone();
                        int n = i;
                        g.spawn("producer " + n, () -> {
                            try (mine) {
                                for (int j = 3 * n; j < 3 * (n + 1); j++) mine.send(j);
                            }
                            return null;
                        });
                    }
                }
                for (int v : ch.receiver()) out.add(v);
                return null;
            });
            return out;
        });
        assertEquals(IntStream.range(0, 30).boxed().toList(), got.stream().sorted().toList());
    }

    @Test
    void multipleConsumers() throws Exception {
        Set<Integer> receivers = new HashSet<>();
        List<Integer> received = new ArrayList<>();
        VirtualClock.run(() -> TaskGroup.scope(g -> {
            MemoryChannel<Integer> ch = MemoryChannel.open(1);
            try (SendChannel<Integer> s = ch.sender()) {
                for (int i = 0; i < 5; i++) {
                    int n = i;
                    g.spawn("consumer " + n, () -> {
                        for (int v : ch.receiver()) {
                            receivers.add(n);
                            received.add(v);
                        }
                        return null;
                    });
                }
                settle();
                for (int i = 0; i < 10; i++) s.send(i);
            }
            return null;
        }));
        assertEquals(Set.of(0, 1, 2, 3, 4), receivers, "fair: every waiting consumer got some");
        assertEquals(IntStream.range(0, 10).boxed().toList(), received.stream().sorted().toList());
    }

    /** trio test_close_basics / test_close_sync. */
    @Test
    void closingAnEndFailsItsWaitersAndTheOtherSideSeesIt() throws Exception {
        VirtualClock.run(() -> {
            // closing the send end: a sender waiting on it fails; receivers see the end
            MemoryChannel<String> a = MemoryChannel.open(0);
            TaskGroup.scope(g -> {
                Task<String> t = g.spawn("blocked sender", () -> closedMessage(() -> a.sender().send("x")));
                settle();
                a.sender().close();
                assertTrue(t.join().contains("closed channel end"), t.join());
                return null;
            });
            assertThrows(ChannelClosedException.class, () -> a.sender().trySend("x"));
            assertThrows(ChannelClosedException.class, a.receiver()::tryReceive, "ended");
            assertTrue(closedMessage(a.receiver()::receive).contains("send ends are all closed"));

            // closing the receive end: a waiting sender fails as broken, and so does every later send
            MemoryChannel<String> b = MemoryChannel.open(0);
            TaskGroup.scope(g -> {
                Task<String> t = g.spawn("blocked sender", () -> closedMessage(() -> b.sender().send("x")));
                settle();
                b.receiver().close();
                assertTrue(t.join().contains("receive ends are all closed"), t.join());
                return null;
            });
            assertTrue(closedMessage(() -> b.sender().trySend("x")).contains("receive ends are all closed"));
            assertTrue(closedMessage(() -> b.sender().send("x")).contains("receive ends are all closed"));

            // closing the receive end a receiver waits on: that receiver fails
            MemoryChannel<String> c = MemoryChannel.open(0);
            TaskGroup.scope(g -> {
                Task<String> t = g.spawn("blocked receiver", () -> closedMessage(c.receiver()::receive));
                settle();
                c.receiver().close();
                assertTrue(t.join().contains("closed channel end"), t.join());
                return null;
            });
            assertThrows(ChannelClosedException.class, c.receiver()::tryReceive);
            return null;
        });
    }

    @Test
    void receiveEndsCloneAndClose() throws Exception {
        VirtualClock.run(() -> {
            MemoryChannel<String> ch = MemoryChannel.open(10);
            ReceiveChannel<String> r2 = ch.receiver().clone();
            ReceiveChannel<String> r3 = ch.receiver().clone();
            ch.sender().trySend("x");
            ch.receiver().close();
            try (r2) { }
            assertThrows(ChannelClosedException.class, ch.receiver()::clone);
            assertThrows(ChannelClosedException.class, r2::clone);
            assertTrue(ch.sender().trySend("y"), "r3 is still open");
            r3.close();
            assertTrue(closedMessage(() -> ch.sender().trySend("z")).contains("receive ends are all closed"));
            assertEquals(0, ch.sender().statistics().buffered(), "the last receive end dropped the buffer");
            return null;
        });
    }

    /** trio test_close_multiple_send_handles and ..._receive_handles: closing one end wakes only its own waiters. */
    @Test
    void closingOneOfSeveralEndsWakesOnlyItsWaiters() throws Exception {
        VirtualClock.run(() -> {
            MemoryChannel<String> ch = MemoryChannel.open(0);
            SendChannel<String> s1 = ch.sender(), s2 = s1.clone();
            TaskGroup.scope(g -> {
                g.spawn("will close", () -> assertThrows(ChannelClosedException.class, () -> s1.send("nope")));
                g.spawn("will succeed", () -> {
                    s2.send("ok");
                    return null;
                });
                settle();
                s1.close();
                assertEquals("ok", ch.receiver().receive());
                return null;
            });
            MemoryChannel<String> ch2 = MemoryChannel.open(0);
            ReceiveChannel<String> r1 = ch2.receiver(), r2 = r1.clone();
            TaskGroup.scope(g -> {
                g.spawn("will close", () -> assertThrows(ChannelClosedException.class, r1::receive));
                g.spawn("will succeed", () -> {
                    assertEquals("ok", r2.receive());
                    return null;
                });
                settle();
                r1.close();
                ch2.sender().send("ok");
                return null;
            });
            return null;
        });
    }

    @Test
    void unlimitedCapacity() throws Exception {
        List<Integer> got = VirtualClock.run(() -> {
            MemoryChannel<Integer> ch = MemoryChannel.open(Integer.MAX_VALUE);
            try (SendChannel<Integer> s = ch.sender()) {
                for (int i = 0; i < 10; i++) assertTrue(s.trySend(i));
            }
            List<Integer> out = new ArrayList<>();
            for (int v : ch.receiver()) out.add(v);
            return out;
        });
        assertEquals(IntStream.range(0, 10).boxed().toList(), got);
    }

    @Test
    void statistics() throws Exception {
        VirtualClock.run(() -> {
            MemoryChannel<String> ch = MemoryChannel.open(2);
            SendChannel<String> s = ch.sender();
            ReceiveChannel<String> r = ch.receiver();
            assertEquals(new MemoryChannel.Statistics(0, 2, 0, 1, 1, 0, 0), s.statistics());
            assertEquals(s.statistics(), r.statistics());
            s.trySend("a");
            assertEquals(1, s.statistics().buffered());
            SendChannel<String> s2 = s.clone();
            assertEquals(2, s.statistics().openSenders());
            s.close();
            assertEquals(1, s2.statistics().openSenders());
            ReceiveChannel<String> r2 = r.clone();
            assertEquals(2, s2.statistics().openReceivers());
            r2.close();
            assertEquals(1, s2.statistics().openReceivers());
            TaskGroup.scope(g -> {
                s2.trySend("b");
                g.spawn("s1", () -> { s2.send("c"); return null; });
                g.spawn("s2", () -> { s2.send("d"); return null; });
                settle();
                assertEquals(2, s2.statistics().waitingSenders());
                g.cancel();
                return null;
            });
            assertEquals(0, s2.statistics().waitingSenders(), "cancelled senders left");
            while (r.tryReceive() != null) { }
            assertEquals(0, r.statistics().buffered());
            assertEquals(2, r.statistics().peakBuffered(), "draining keeps the high-water mark");
            TaskGroup.scope(g -> {
                g.spawn("r", () -> r.receive());
                settle();
                assertEquals(1, r.statistics().waitingReceivers());
                g.cancel();
                return null;
            });
            assertEquals(0, r.statistics().waitingReceivers());
            return null;
        });
    }

    /** trio test_channel_fairness: a waiting receiver owns the next item; a waiting sender owns the next slot. */
    @Test
    void fairness() throws Exception {
        VirtualClock.run(() -> {
            MemoryChannel<Integer> ch = MemoryChannel.open(1);
            SendChannel<Integer> s = ch.sender();
            ReceiveChannel<Integer> r = ch.receiver();
            s.trySend(1);
            assertEquals(1, r.tryReceive());
            s.trySend(2);
            assertEquals(2, r.tryReceive());
            int[] result = new int[1];
            TaskGroup.scope(g -> {
                g.spawn("receiver", () -> result[0] = r.receive());
                settle();
                assertTrue(s.trySend(2));
                assertNull(r.tryReceive(), "the item is the waiting receiver's");
                return null;
            });
            assertEquals(2, result[0]);

            s.trySend(1);
            assertFalse(s.trySend(99));
            TaskGroup.scope(g -> {
                g.spawn("sender", () -> { s.send(2); return null; });
                settle();
                assertEquals(1, r.tryReceive());
                assertFalse(s.trySend(3), "the freed slot is the waiting sender's");
                assertEquals(2, r.receive());
                return null;
            });
            return null;
        });
    }

    @Test
    void unbuffered() throws Exception {
        VirtualClock.run(() -> {
            MemoryChannel<Integer> ch = MemoryChannel.open(0);
            assertNull(ch.receiver().tryReceive());
            assertFalse(ch.sender().trySend(1));
            List<String> events = new ArrayList<>();
            TaskGroup.scope(g -> {
                g.spawn("sender", () -> {
                    ch.sender().send(1);
                    events.add("send returned");
                    return null;
                });
                assertEquals(1, ch.receiver().receive());
                events.add("received");
                return null;
            });
            assertEquals(Set.of("send returned", "received"), Set.copyOf(events));
            assertNull(ch.receiver().tryReceive());
            return null;
        });
    }

    /** A cancelled unbuffered send sent nothing: the receiver gets the next sender's item, not the cancelled one's. */
    @Test
    void cancelledUnbufferedSendSentNothing() throws Exception {
        String got = VirtualClock.run(() -> TaskGroup.scope(g -> {
            MemoryChannel<String> ch = MemoryChannel.open(0);
            assertNull(Timeout.withTimeoutOrNull(Duration.ofMillis(5), () -> {
                ch.sender().send("cancelled item");
                return "sent";
            }));
            g.spawn("second sender", () -> { ch.sender().send("real item"); return null; });
            return ch.receiver().receive();
        }));
        assertEquals("real item", got);
    }

    /**
     * The hand-off wins: a sender whose item was taken and a receiver handed an item, each
     * cancelled before it runs again, both return normally; the cancellation arrives at
     * their next suspension point. Nothing is lost or duplicated.
     */
    @Test
    void handOffThenCancelKeepsTheItem() throws Exception {
        List<String> events = new ArrayList<>();
        VirtualClock.run(() -> TaskGroup.scope(g -> {
            MemoryChannel<String> ch = MemoryChannel.open(0);
            Task<Void> sender = g.spawn("sender", () -> {
                ch.sender().send("x");
                events.add("send returned");
                Xiio.yieldNow();
                events.add("not reached");
                return null;
            });
            settle();
            assertEquals("x", ch.receiver().receive());   // takes the item, grants the sender...
            sender.cancel();                              // ...which is cancelled before it runs
            Task<String> receiver = g.spawn("receiver", () -> {
                String v = ch.receiver().receive();
                events.add("received " + v);
                Xiio.yieldNow();
                events.add("not reached");
                return v;
            });
            settle();
            ch.sender().send("y");                        // hands y to the receiver...
            receiver.cancel();                            // ...which is cancelled before it runs
            settle();
            assertTrue(sender.isCancelled() && receiver.isCancelled());
            return null;
        }));
        assertEquals(List.of("send returned", "received y"), events);
    }

    /** An oracle run: many producers and consumers with random timeouts; every item received once, or known unsent. */
    @Test
    void randomizedExactlyOnce() throws Exception {
        int rounds = Integer.getInteger("xiio.channelRounds", 20);
        int totalSent = 0;
        for (int seed = 0; seed < rounds; seed++) {
            java.util.Random rnd = new java.util.Random(seed);
            int capacity = rnd.nextInt(3);
            List<Integer> sent = new ArrayList<>(), received = new ArrayList<>();
            VirtualClock.run(() -> TaskGroup.scope(g -> {
                MemoryChannel<Integer> ch = MemoryChannel.open(capacity);
                try (SendChannel<Integer> s0 = ch.sender(); ReceiveChannel<Integer> r0 = ch.receiver()) {
                    for (int p = 0; p < 4; p++) {
                        SendChannel<Integer> s = s0.clone();
                        int base = p * 1000;
                        long seedP = rnd.nextLong();
                        g.spawn("producer", () -> {
                            java.util.Random pr = new java.util.Random(seedP);
                            try (s) {
                                for (int i = 0; i < 30; i++) {
                                    int v = base + i;
                                    Object ok = Timeout.withTimeoutOrNull(Duration.ofMillis(pr.nextInt(3)), () -> {
                                        s.send(v);
                                        return "sent";
                                    });
                                    if (ok != null) sent.add(v);
                                }
                            }
                            return null;
                        });
                    }
                    for (int c = 0; c < 3; c++) {
                        ReceiveChannel<Integer> r = r0.clone();
                        long seedC = rnd.nextLong();
                        g.spawn("consumer", () -> {
                            java.util.Random cr = new java.util.Random(seedC);
                            try (r) {
                                while (true) {
                                    Integer v = Timeout.withTimeoutOrNull(Duration.ofMillis(cr.nextInt(3)), r::receiveOrNull);
                                    if (v != null) received.add(v);
                                    else if (r.statistics().openSenders() == 0 && r.statistics().buffered() == 0) return null;
                                    Xiio.sleep(Duration.ofMillis(cr.nextInt(2)));
                                }
                            }
                        });
                    }
                }
                return null;
            }));
            assertEquals(sent.stream().sorted().toList(), received.stream().sorted().toList(), "seed " + seed);
            totalSent += sent.size();
        }
        assertTrue(totalSent > rounds * 10 && totalSent < rounds * 120, "both outcomes happen: sent " + totalSent);
    }
}
