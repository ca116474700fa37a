package xiio.concurrent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import xiio.core.CancelledError;
import xiio.core.Promise;
import xiio.core.Xiio;
import xiio.support.TestPipe;
import xiio.testing.VirtualClock;

/** {@link Select}: exactly one case runs; the others consume nothing, also under cancellation. */
class SelectTest {
    private static Duration ms(long n) {
        return Duration.ofMillis(n);
    }

    private static long nowMs() {
        return Xiio.nanoTime() / 1_000_000;
    }

    private static void settle() {
        Xiio.sleep(ms(1));
    }

    @Test
    void theFirstReadyCaseInOrderWinsAndTheOthersStayInTheirChannels() throws Exception {
        VirtualClock.run(() -> {
            MemoryChannel<String> a = MemoryChannel.open(4), b = MemoryChannel.open(4);
            a.sender().send("a1");
            b.sender().send("b1");
            Select<String> sel = new Select<String>()
                    .onReceive(b.receiver(), v -> "b:" + v)
                    .onReceive(a.receiver(), v -> "a:" + v);
            assertEquals("b:b1", sel.select());
            assertEquals(1, a.receiver().statistics().buffered(), "a1 was not selected and stays");
            assertEquals("a:a1", sel.select(), "the select is reusable");
            return null;
        });
    }

    @Test
    void waitsForWhicheverComesFirst() throws Exception {
        List<String> got = VirtualClock.run(() -> TaskGroup.scope(g -> {
            MemoryChannel<String> a = MemoryChannel.open(0), b = MemoryChannel.open(0);
            g.spawn("late a", () -> { Xiio.sleep(ms(20)); a.sender().send("a"); return null; });
            g.spawn("early b", () -> { Xiio.sleep(ms(10)); b.sender().send("b"); return null; });
            List<String> out = new ArrayList<>();
            Select<String> sel = new Select<String>()
                    .onReceive(a.receiver(), v -> v + " at " + nowMs())
                    .onReceive(b.receiver(), v -> v + " at " + nowMs());
            out.add(sel.select());
            out.add(sel.select());
            return out;
        }));
        assertEquals(List.of("b at 10", "a at 20"), got);
    }

    @Test
    void timeoutCaseAndPromiseCase() throws Exception {
        VirtualClock.run(() -> TaskGroup.scope(g -> {
            MemoryChannel<String> ch = MemoryChannel.open(1);
            Promise<Integer> p = new Promise<>();
            assertEquals("idle at 50", new Select<String>()
                    .onReceive(ch.receiver(), v -> v)
                    .onDone(p, v -> "promise " + v)
                    .onTimeout(ms(50), () -> "idle at " + nowMs())
                    .select());
            g.spawn("completer", () -> { Xiio.sleep(ms(5)); p.complete(7); return null; });
            assertEquals("promise 7 at 55", new Select<String>()
                    .onReceive(ch.receiver(), v -> v)
                    .onDone(p, v -> "promise " + v + " at " + nowMs())
                    .onTimeout(ms(50), () -> "idle")
                    .select());
            Promise<Integer> failed = new Promise<>();
            failed.fail(new IOException("no"));
            assertEquals("no", assertThrows(IOException.class,
                    () -> new Select<String>().onDone(failed, v -> "x").select()).getMessage());
            return null;
        }));
    }

    @Test
    void sendCaseSendsOnlyIfChosen() throws Exception {
        VirtualClock.run(() -> TaskGroup.scope(g -> {
            MemoryChannel<String> out = MemoryChannel.open(0);
            MemoryChannel<String> in = MemoryChannel.open(0);
            g.spawn("sender on in", () -> { Xiio.sleep(ms(10)); in.sender().send("request"); return null; });
            String r = new Select<String>()
                    .onSend(out.sender(), "pushed", () -> "sent")
                    .onReceive(in.receiver(), v -> "got " + v)
                    .select();
            assertEquals("got request", r);
            assertNull(out.receiver().tryReceive(), "the unchosen send sent nothing");
            // and now a receiver comes for out: the send case is chosen
            g.spawn("receiver on out", () -> out.receiver().receive());
            assertEquals("sent", new Select<String>()
                    .onSend(out.sender(), "pushed", () -> "sent")
                    .onReceive(in.receiver(), v -> "got " + v)
                    .select());
            return null;
        }));
    }

    /** Two selects on opposite ends of an unbuffered channel meet. */
    @Test
    void selectMeetsSelect() throws Exception {
        List<String> got = VirtualClock.run(() -> TaskGroup.scope(g -> {
            MemoryChannel<Integer> ch = MemoryChannel.open(0);
            MemoryChannel<Integer> never = MemoryChannel.open(0);
            List<String> out = new ArrayList<>();
            g.spawn("selecting sender", () -> new Select<String>()
                    .onSend(ch.sender(), 42, () -> out.add("sent") ? "s" : "s")
                    .onReceive(never.receiver(), v -> "never")
                    .select());
            settle();
            out.add(new Select<String>()
                    .onReceive(never.receiver(), v -> "never")
                    .onReceive(ch.receiver(), v -> "received " + v)
                    .select());
            return out;
        }));
        assertEquals(java.util.Set.of("received 42", "sent"), java.util.Set.copyOf(got));
        assertEquals(2, got.size());
    }

    /** The case: a cancelled select consumes nothing; the items go to the next receiver. */
    @Test
    void cancelledSelectConsumesNothing() throws Exception {
        VirtualClock.run(() -> TaskGroup.scope(g -> {
            MemoryChannel<String> a = MemoryChannel.open(0), b = MemoryChannel.open(0);
            Task<String> selector = g.spawn("selector", () -> new Select<String>()
                    .onReceive(a.receiver(), v -> v)
                    .onReceive(b.receiver(), v -> v)
                    .select());
            settle();
            selector.cancel();
            settle();
            assertTrue(selector.isCancelled());
            assertEquals(0, a.receiver().statistics().waitingReceivers(), "its offers left the channels");
            g.spawn("sender", () -> { a.sender().send("item"); return null; });
            assertEquals("item", a.receiver().receive(), "the item went to a plain receiver");
            // a timeout around a select: nothing consumed either
            b.sender().trySend("x");   // unbuffered and nobody waits: not sent
            assertNull(Timeout.withTimeoutOrNull(ms(5), () -> new Select<String>().onReceive(b.receiver(), v -> v).select()));
            return null;
        }));
    }

    /** Chosen by a sender just as it is cancelled: the hand-off wins, the action runs, the cancellation comes after. */
    @Test
    void chosenThenCancelledRunsTheActionAndIsCancelledAfter() throws Exception {
        List<String> events = new ArrayList<>();
        VirtualClock.run(() -> TaskGroup.scope(g -> {
            MemoryChannel<String> ch = MemoryChannel.open(0);
            Task<String> selector = g.spawn("selector", () -> new Select<String>()
                    .onReceive(ch.receiver(), v -> {
                        events.add("action got " + v);
                        try {
                            Xiio.yieldNow();
                        } catch (CancelledError e) {
                            events.add("cancelled after");
                            throw e;
                        }
                        return v;
                    })
                    .onTimeout(Duration.ofDays(1), () -> "never")
                    .select());
            settle();
            ch.sender().send("precious");     // hands it to the select...
            selector.cancel();                // ...which is cancelled before it runs
            return null;
        }));
        assertEquals(List.of("action got precious", "cancelled after"), events);
    }

    @Test
    void fdCase() throws Exception {
        try (TestPipe p1 = new TestPipe(); TestPipe p2 = new TestPipe()) {
            String r = Xiio.run(() -> TaskGroup.scope(g -> {
                g.spawn("writer", () -> { Xiio.sleep(ms(20)); p2.put("x"); return null; });
                return new Select<String>()
                        .onReadable(p1.readFd, () -> "pipe 1")
                        .onReadable(p2.readFd, () -> "pipe 2")
                        .onTimeout(Duration.ofSeconds(10), () -> "timeout")
                        .select();
            }));
            assertEquals("pipe 2", r, "poll(2) tells which fd woke it");
        }
    }

    @Test
    void closedEndsAndMisuse() throws Exception {
        VirtualClock.run(() -> TaskGroup.scope(g -> {
            assertTrue(assertThrows(IllegalStateException.class, () -> new Select<String>().select()).getMessage()
                    .contains("without cases"));
            MemoryChannel<String> ch = MemoryChannel.open(1);
            ch.sender().close();
            assertEquals("ended", new Select<String>().onReceive(ch.receiver(), v -> v == null ? "ended" : v).select());
            ch.receiver().close();
            assertThrows(ChannelClosedException.class, () -> new Select<String>().onReceive(ch.receiver(), v -> v).select());
            MemoryChannel<String> broken = MemoryChannel.open(0);
            broken.receiver().close();
            assertTrue(assertThrows(ChannelClosedException.class,
                    () -> new Select<String>().onSend(broken.sender(), "x", () -> "s").select()).getMessage()
                    .contains("receive ends are all closed"));
            // a send end closed while a select waits on it
            MemoryChannel<String> c2 = MemoryChannel.open(0);
            Task<ChannelClosedException> waiting = g.spawn("w", () -> assertThrows(ChannelClosedException.class,
                    () -> new Select<String>().onSend(c2.sender(), "x", () -> "s").select()));
            settle();
            c2.sender().close();
            assertTrue(waiting.join().getMessage().contains("closed channel end"));
            assertThrows(IllegalArgumentException.class, () -> new Select<String>().onTimeout(ms(-1), () -> "x"));
            assertThrows(NullPointerException.class, () -> new Select<String>().onSend(c2.sender(), null, () -> "x"));
            return null;
        }));
    }

    /**
     * An oracle run: producers send to two channels, some through a select of both, with
     * random timeouts; consumers select over both with random timeouts. Every item sent
     * is received exactly once, and no timed-out send or select consumed anything.
     */
    @Test
    void randomizedExactlyOnceThroughSelects() throws Exception {
        int rounds = Integer.getInteger("xiio.selectRounds", 20);
        int totalSent = 0;
        for (int seed = 0; seed < rounds; seed++) {
            java.util.Random rnd = new java.util.Random(seed);
            int capA = rnd.nextInt(2), capB = rnd.nextInt(3);
            List<Integer> sent = new ArrayList<>(), received = new ArrayList<>();
            VirtualClock.run(() -> TaskGroup.scope(g -> {
                MemoryChannel<Integer> a = MemoryChannel.open(capA), b = MemoryChannel.open(capB);
                try (SendChannel<Integer> sa = a.sender(); SendChannel<Integer> sb = b.sender();
                     ReceiveChannel<Integer> ra = a.receiver(); ReceiveChannel<Integer> rb = b.receiver()) {
                    for (int p = 0; p < 3; p++) {
                        SendChannel<Integer> toA = sa.clone(), toB = sb.clone();
                        int base = p * 1000;
                        long seedP = rnd.nextLong();
                        g.spawn("producer", () -> {
                            java.util.Random pr = new java.util.Random(seedP);
                            try (toA; toB) {
                                for (int i = 0; i < 25; i++) {
                                    int v = base + i;
                                    Duration limit = ms(pr.nextInt(3));
                                    Object ok = pr.nextBoolean()
                                            ? Timeout.withTimeoutOrNull(limit, () -> new Select<String>()
                                                    .onSend(toA, v, () -> "a").onSend(toB, v, () -> "b").select())
                                            : Timeout.withTimeoutOrNull(limit, () -> {
                                                toB.send(v);
                                                return "b";
                                            });
                                    if (ok != null) sent.add(v);
                                }
                            }
                            return null;
                        });
                    }
                    for (int c = 0; c < 2; c++) {
                        ReceiveChannel<Integer> fromA = ra.clone(), fromB = rb.clone();
                        long seedC = rnd.nextLong();
                        g.spawn("consumer", () -> {
                            java.util.Random cr = new java.util.Random(seedC);
                            boolean aEnded = false, bEnded = false;
                            try (fromA; fromB) {
                                while (!(aEnded && bEnded)) {
                                    Select<Integer> sel = new Select<>();
                                    if (!aEnded) sel.onReceive(fromA, v -> v == null ? -1 : v);
                                    if (!bEnded) sel.onReceive(fromB, v -> v == null ? -2 : v);
                                    sel.onTimeout(ms(cr.nextInt(3)), () -> -3);
                                    int v = sel.select();
                                    if (v == -1) aEnded = true;
                                    else if (v == -2) bEnded = true;
                                    else if (v >= 0) received.add(v);
                                    Xiio.sleep(ms(cr.nextInt(4)));       // a slow consumer, so sends time out too
                                }
                            }
                            return null;
                        });
                    }
                }
                return null;
            }));
            assertEquals(sent.stream().sorted().toList(), received.stream().sorted().toList(), "seed " + seed);
            totalSent += sent.size();
        }
        assertTrue(totalSent > rounds * 10 && totalSent < rounds * 75, "both outcomes happen: sent " + totalSent);
    }
}
