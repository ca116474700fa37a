package xiio.concurrent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeoutException;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.Test;
import xiio.core.Xiio;
import xiio.io.StreamReader;
import xiio.net.TcpListener;
import xiio.net.TcpStream;
import xiio.testing.VirtualClock;

/** Supervisor groups: a task's failure goes to the handler and cancels nothing; the rest is strict. */
class SupervisorTest {
    private static long nowMs() {
        return Xiio.nanoTime() / 1_000_000;
    }

    private static Duration ms(long n) {
        return Duration.ofMillis(n);
    }

    @Test
    void aFailingTaskLeavesItsSiblingsRunning() throws Exception {
        List<String> events = new ArrayList<>();
        String r = VirtualClock.run(() -> TaskGroup.supervisor((task, failure) -> events.add(task.name() + " failed: " + failure.getMessage()), g -> {
            Task<String> bad = g.spawn("bad", () -> {
                Xiio.sleep(ms(10));
                throw new IOException("peer reset");
            });
            Task<String> good = g.spawn("good", () -> {
                Xiio.sleep(ms(100));
                return "good done at " + nowMs();
            });
            IOException e = assertThrows(IOException.class, bad::join);     // the handle still has it
            assertSame(e, bad.exception());
            events.add(good.join());
            return "body";
        }));
        assertEquals("body", r);
        assertEquals(List.of("bad failed: peer reset", "good done at 100"), events);
    }

    @Test
    void theBodysFailureIsStrict() throws Exception {
        List<String> events = new ArrayList<>();
        IOException e = assertThrows(IOException.class, () -> VirtualClock.run(() ->
                TaskGroup.supervisor((task, failure) -> events.add("handler saw " + task.name()), g -> {
                    g.spawn("sibling", () -> {
                        try {
                            Xiio.sleep(Duration.ofDays(1));
                        } finally {
                            events.add("sibling cleaned up at " + nowMs());
                        }
                        return null;
                    });
                    Xiio.sleep(ms(5));
                    throw new IOException("body failed");
                })));
        assertEquals("body failed", e.getMessage());
        assertEquals(List.of("sibling cleaned up at 5"), events);
    }

    @Test
    void aHandlerThatThrowsFailsTheGroupWithTheTaskFailureSuppressed() throws Exception {
        List<String> events = new ArrayList<>();
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> VirtualClock.run(() ->
                TaskGroup.supervisor((task, failure) -> {
                    throw new IllegalStateException("too many failures");
                }, g -> {
                    g.spawn("bad", () -> {
                        throw new IOException("first");
                    });
                    g.spawn("sibling", () -> {
                        try {
                            Xiio.sleep(Duration.ofDays(1));
                        } finally {
                            events.add("sibling cancelled");
                        }
                        return null;
                    });
                    Xiio.sleep(Duration.ofDays(1));
                    return null;
                })));
        assertEquals("too many failures", e.getMessage());
        assertInstanceOf(IOException.class, e.getSuppressed()[0]);
        assertEquals(List.of("sibling cancelled"), events);
    }

    @Test
    void anOuterTimeoutStillCancelsEverything() throws Exception {
        List<String> events = new ArrayList<>();
        assertThrows(TimeoutException.class, () -> VirtualClock.run(() -> Timeout.withTimeout(ms(50), () ->
                TaskGroup.supervisor(g -> {
                    for (int i = 0; i < 3; i++) {
                        int n = i;
                        g.spawn("t" + n, () -> {
                            try {
                                Xiio.sleep(Duration.ofDays(1));
                            } finally {
                                events.add("t" + n + " cancelled at " + nowMs());
                            }
                            return null;
                        });
                    }
                    return null;
                }))));
        assertEquals(3, events.size());
        assertTrue(events.stream().allMatch(s -> s.endsWith("at 50")), events.toString());
    }

    @Test
    void cleanupFailuresDuringAnOuterCancellationGoToTheHandlerToo() throws Exception {
        List<String> seen = new ArrayList<>();
        assertThrows(TimeoutException.class, () -> VirtualClock.run(() -> Timeout.withTimeout(ms(10), () ->
                TaskGroup.supervisor((t, f) -> seen.add(f.getMessage()), g -> {
                    g.spawn("x", () -> {
                        try {
                            Xiio.sleep(Duration.ofDays(1));
                        } finally {
                            throw new IOException("cleanup failed");
                        }
                    });
                    return null;
                }))));
        assertEquals(List.of("cleanup failed"), seen, "reported, never lost");
    }

    @Test
    void theDefaultHandlerLogsAWarning() throws Exception {
        Logger jul = Logger.getLogger(TaskGroup.class.getName());
        List<LogRecord> records = new ArrayList<>();
        Handler h = new Handler() {
            @Override
            public void publish(LogRecord record) {
                records.add(record);
            }

            @Override
            public void flush() {}

            @Override
            public void close() {}
        };
        jul.addHandler(h);
        boolean parents = jul.getUseParentHandlers();
        jul.setUseParentHandlers(false);
        try {
            VirtualClock.run(() -> TaskGroup.supervisor(g -> {
                g.spawn("conn 7", () -> {
                    throw new IOException("boom");
                });
                return null;
            }));
        } finally {
            jul.removeHandler(h);
            jul.setUseParentHandlers(parents);
        }
        assertEquals(1, records.size());
        assertTrue(records.get(0).getMessage().contains("task 'conn 7' failed in a supervisor group"), records.get(0).getMessage());
        assertEquals("boom", records.get(0).getThrown().getMessage());
    }

    /** A server whose connections must not take each other down: one handler throws, the others are served. */
    @Test
    void serverConnectionsDoNotTakeEachOtherDown() throws Exception {
        List<String> failures = new ArrayList<>();
        List<String> replies = Xiio.run(() -> TaskGroup.scope(outer -> {
            int port = outer.start("server", status -> {
                try (TcpListener listener = TcpListener.bind(new InetSocketAddress("127.0.0.1", 0))) {
                    status.started(listener.localAddress().getPort());
                    TaskGroup.supervisor((t, f) -> failures.add(f.getMessage()), conns -> {
                        while (true) {
                            TcpStream conn = listener.accept();
                            conns.spawn("conn", () -> {
                                try (conn) {
                                    String line = new StreamReader(conn).readLine(100);
                                    if (line.equals("bad")) throw new IOException("bad request");
                                    byte[] b = ("ok " + line + "\n").getBytes(StandardCharsets.UTF_8);
                                    conn.writeAll(b, 0, b.length);
                                }
                                return null;
                            });
                        }
                    });
                }
            });
            List<String> out = TaskGroup.gather(() -> ask(port, "a"), () -> ask(port, "bad"), () -> ask(port, "c"));
            outer.cancel();
            return out;
        }));
        assertEquals(List.of("ok a", "<closed>", "ok c"), replies);
        assertEquals(List.of("bad request"), failures);
    }

    private static String ask(int port, String line) throws IOException {
        try (TcpStream c = TcpStream.connect("127.0.0.1", port)) {
            byte[] b = (line + "\n").getBytes(StandardCharsets.UTF_8);
            c.writeAll(b, 0, b.length);
            String reply = new StreamReader(c).readLine(100);
            return reply == null ? "<closed>" : reply;
        }
    }

    @Test
    void nullsAreRejectedByName() throws Exception {
        VirtualClock.run(() -> {
            assertTrue(assertThrows(NullPointerException.class, () -> TaskGroup.supervisor(null, g -> null)).getMessage().contains("onFailure"));
            assertTrue(assertThrows(NullPointerException.class, () -> TaskGroup.supervisor((TaskGroup.Body<Object>) null)).getMessage().contains("body"));
            return null;
        });
    }
}
