package xiio.docs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static xiio.core.Xiio.*;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.Test;
import xiio.concurrent.CapacityLimiter;
import xiio.concurrent.Channel;
import xiio.concurrent.MemoryChannel;
import xiio.concurrent.ReceiveChannel;
import xiio.concurrent.Select;
import xiio.concurrent.SendChannel;
import xiio.concurrent.Semaphore;
import xiio.concurrent.Task;
import xiio.concurrent.TaskGroup;
import xiio.concurrent.Timeout;
import xiio.core.CancelScope;
import xiio.core.CancelledError;
import xiio.core.Condition;
import xiio.core.Suspendable;
import xiio.io.Pipe;
import xiio.io.StreamReader;
import xiio.net.TcpListener;
import xiio.net.TcpStream;

/**
 * The examples of docs/guide-core.md, run for real. Each {@code // region NAME} is
 * shown in the guide line for line (GuideSnippetsTest checks that).
 */
class GuideCoreTest {

    private int inFlight, peakInFlight;

    /** Stands in for real work that waits: a page "fetched" after a short sleep. */
    String fetch(String name) {
        peakInFlight = Math.max(peakInFlight, ++inFlight);
        try {
            sleep(Duration.ofMillis(20));
            return "page " + name;
        } finally {
            inFlight--;
        }
    }

    @Test
    void suspensionPoints() throws Exception {
        long t0 = System.nanoTime();
        // region sleep
        String answer = run(() -> {
            sleep(Duration.ofMillis(100));     // suspends; other coroutines run meanwhile
            return "42";
        });
        // endregion
        assertEquals("42", answer);
        assertTrue(System.nanoTime() - t0 >= Duration.ofMillis(100).toNanos());
    }

    @Test
    void cleanupRunsWhenCancelledMidRead() throws Exception {
        String result = run(() -> {
            try (TcpListener listener = TcpListener.bind(new InetSocketAddress("127.0.0.1", 0))) {
                int port = listener.localAddress().getPort();
                byte[] request = "hello?\n".getBytes(StandardCharsets.UTF_8);
                return TaskGroup.scope(group -> {
                    // a server that accepts, reads, and never answers
                    group.spawn("silent server", () -> {
                        try (TcpStream peer = listener.accept()) {
                            byte[] buf = new byte[64];
                            while (peer.read(buf, 0, buf.length) > 0) { /* read and ignore */ }
                        }
                        return null;
                    });
                    // region cleanup
                    String reply = Timeout.withTimeoutOrNull(Duration.ofMillis(200), () -> {
                        try (TcpStream conn = TcpStream.connect("127.0.0.1", port)) {
                            conn.writeAll(request, 0, request.length);
                            return new StreamReader(conn).readLine(1024);   // the server never answers
                        }                                   // closed when the timeout cancels the read
                    });
                    // endregion
                    return reply;
                });
            }
        });
        assertNull(result); // and LeakGuard checks that the client socket was closed
    }

    @Test
    void oneConditionForEverything() throws Exception {
        long waited = run(() -> {
            try (Pipe pipe = Pipe.open()) {
                long t0 = nanoTime();
                // region condition
                int fd = pipe.reader().fd();
                await(Condition.readable(fd).or(Condition.after(Duration.ofMillis(50))));
                // endregion
                return nanoTime() - t0;
            }
        });
        assertTrue(waited >= Duration.ofMillis(50).toNanos(), "nothing was written: the deadline ends the wait");
    }

    @Test
    void taskGroupJoinsItsTasks() throws Exception {
        List<String> result = run(() -> {
            // region group
            List<String> pages = TaskGroup.scope(group -> {
                Task<String> a = group.spawn("fetch a", () -> fetch("a"));
                Task<String> b = group.spawn("fetch b", () -> fetch("b"));
                return List.of(a.join(), b.join());
            });
            // endregion
            return pages;
        });
        assertEquals(List.of("page a", "page b"), result);
    }

    @Test
    void gatherKeepsArgumentOrder() throws Exception {
        List<Integer> result = run(() -> {
            // region gather
            List<Integer> sizes = TaskGroup.gather(() -> fetch("a").length(), () -> fetch("bbb").length());
            // endregion
            return sizes;
        });
        assertEquals(List.of(6, 8), result);
    }

    @Test
    void firstFailureCancelsTheRest() throws Exception {
        long t0 = System.nanoTime();
        String result = run(() -> {
            // region failure
            String outcome;
            try {
                TaskGroup.scope(group -> {
                    group.spawn("slow", () -> { sleep(Duration.ofDays(1)); return null; });   // cancelled
                    group.spawn("bad", () -> { throw new IOException("disk full"); });
                    return null;
                });
                outcome = "finished";
            } catch (IOException e) {
                outcome = "failed: " + e.getMessage();   // the first failure, as itself
            }
            // endregion
            return outcome;
        });
        assertEquals("failed: disk full", result);
        assertTrue(System.nanoTime() - t0 < Duration.ofSeconds(10).toNanos());
    }

    @Test
    void cleanupMayWaitAfterCancellation() throws Exception {
        List<String> log = run(() -> {
            List<String> events = new ArrayList<>();
            TaskGroup.scope(group -> {
                // region cancel
                Task<Void> worker = group.spawn("worker", () -> {
                    try {
                        sleep(Duration.ofDays(1));
                    } finally {
                        sleep(Duration.ofMillis(10));    // cleanup may suspend: cancellation is delivered once
                        events.add("worker cleaned up");
                    }
                    return null;
                });
                sleep(Duration.ofMillis(10));
                worker.cancel();                         // CancelledError at its sleep
                // endregion
                return null;
            });
            return events;
        });
        assertEquals(List.of("worker cleaned up"), log);
    }

    @Test
    void cancelScopeEndsARegion() throws Exception {
        String result = run(() -> {
            // region scope
            String reply = CancelScope.open(scope -> {
                TaskGroup.scope(group -> {
                    group.spawn("stopper", () -> { sleep(Duration.ofMillis(10)); scope.cancel(); return null; });
                    return null;
                });
                sleep(Duration.ofDays(1));
                return "never";
            });                                      // null: the scope's own cancellation ended it
            // endregion
            return reply;
        });
        assertNull(result);
    }

    @Test
    void catchingCancellationAndRethrowing() throws Exception {
        List<String> log = run(() -> {
            List<String> events = new ArrayList<>();
            TaskGroup.scope(group -> {
                Task<Void> t = group.spawn("saver", () -> {
                    // region rethrow
                    try {
                        sleep(Duration.ofDays(1));
                    } catch (CancelledError e) {
                        events.add("cancelled: " + e.getMessage());
                        throw e;                         // clean up, then rethrow it
                    }
                    // endregion
                    return null;
                });
                yieldNow();
                t.cancel();
                return null;
            });
            return events;
        });
        assertEquals(List.of("cancelled: coroutine 'saver' cancelled"), log);
    }

    @Test
    void timeouts() throws Exception {
        List<Object> results = run(() -> {
            try (Pipe pipe = Pipe.open()) {
                StreamReader in = new StreamReader(pipe.reader());   // nothing is ever written
                Throwable thrown = null;
                try {
                    // region timeout
                    String line = Timeout.withTimeout(Duration.ofMillis(100), () -> in.readLine(1024));
                    // endregion
                    thrown = new AssertionError("read " + line);
                } catch (TimeoutException e) {
                    thrown = e;
                }
                // region timeout-null
                String maybe = Timeout.withTimeoutOrNull(Duration.ofMillis(100), () -> in.readLine(1024));  // null
                // endregion
                List<Object> out = new ArrayList<>();
                out.add(thrown);
                out.add(maybe);
                return out;
            }
        });
        assertTrue(results.get(0) instanceof TimeoutException, String.valueOf(results.get(0)));
        assertNull(results.get(1));
    }

    @Test
    void outerCancellationPassesThroughATimeout() throws Exception {
        assertThrows(TimeoutException.class, () -> run(() -> {
            // region nested
            return Timeout.withTimeout(Duration.ofMillis(50), () ->
                    Timeout.withTimeoutOrNull(Duration.ofSeconds(10), () -> {   // the inner, longer limit
                        sleep(Duration.ofDays(1));
                        return "never";
                    }));                // the outer limit wins: TimeoutException, not a quiet null
            // endregion
        }));
    }

    @Test
    void channelBetweenTasks() throws Exception {
        List<String> result = run(() -> {
            // region channel
            Channel<String> jobs = new Channel<>(16);
            List<String> done = new ArrayList<>();
            TaskGroup.scope(group -> {
                group.spawn("producer", () -> {
                    try (jobs) {                         // closing ends the workers' loops
                        for (int i = 1; i <= 5; i++) jobs.send("job " + i);   // waits while 16 are queued
                    }
                    return null;
                });
                for (int w = 1; w <= 2; w++) {
                    String worker = "worker " + w;
                    group.spawn(worker, () -> {
                        for (String job : jobs) {        // hasNext() suspends until an item or the close
                            sleep(Duration.ofMillis(5));
                            done.add(job);
                        }
                        return null;
                    });
                }
                return null;
            });
            // endregion
            return done;
        });
        assertEquals(5, result.size());
        assertEquals(List.of("job 1", "job 2", "job 3", "job 4", "job 5"), result.stream().sorted().toList());
    }

    @Test
    void semaphoreLimitsConcurrency() throws Exception {
        List<String> result = run(() -> {
            // region semaphore
            Semaphore connections = new Semaphore(2);          // at most 2 fetches at once
            List<Suspendable<String>> jobs = new ArrayList<>();
            for (String name : List.of("a", "b", "c", "d")) jobs.add(() -> connections.withPermit(() -> fetch(name)));
            List<String> pages = TaskGroup.gather(jobs);
            // endregion
            return pages;
        });
        assertEquals(List.of("page a", "page b", "page c", "page d"), result);
        assertEquals(2, peakInFlight);
    }

    /** A one-line echo: reads a line from {@code conn}, writes it back. */
    static void echoOnce(TcpStream conn) throws IOException {
        String line = new StreamReader(conn).readLine(1024);
        byte[] b = (line + "\n").getBytes(StandardCharsets.UTF_8);
        conn.writeAll(b, 0, b.length);
    }

    static String ask(int port, String line) throws IOException {
        try (TcpStream conn = TcpStream.connect("127.0.0.1", port)) {
            byte[] b = (line + "\n").getBytes(StandardCharsets.UTF_8);
            conn.writeAll(b, 0, b.length);
            String reply = new StreamReader(conn).readLine(1024);
            return reply == null ? "(closed)" : reply;
        }
    }

    @Test
    void startWaitsUntilTheServerListens() throws Exception {
        String reply = run(() -> {
            // region start
            return TaskGroup.scope(group -> {
                int port = group.start("echo server", status -> {
                    try (TcpListener listener = TcpListener.bind(new InetSocketAddress("127.0.0.1", 0))) {
                        status.started(listener.localAddress().getPort());   // start() returns the port
                        while (true) {
                            TcpStream conn = listener.accept();
                            group.spawn("connection", () -> { try (conn) { echoOnce(conn); } return null; });
                        }
                    }
                });
                String answer = ask(port, "hello");     // the server listens already: no polling, no sleep
                group.cancel();                         // stops the server
                return answer;
            });
            // endregion
        });
        assertEquals("hello", reply);
    }

    @Test
    void supervisorKeepsSiblingsRunning() throws Exception {
        List<String> failed = new ArrayList<>();
        List<String> replies = run(() -> TaskGroup.scope(outer -> {
            int port = outer.start("server", status -> {
                try (TcpListener listener = TcpListener.bind(new InetSocketAddress("127.0.0.1", 0))) {
                    status.started(listener.localAddress().getPort());
                    // region supervisor
                    TaskGroup.supervisor((task, failure) -> failed.add(task.name() + ": " + failure.getMessage()), conns -> {
                        while (true) {
                            TcpStream conn = listener.accept();
                            conns.spawn("connection", () -> {
                                try (conn) {
                                    String line = new StreamReader(conn).readLine(1024);
                                    if (line.isEmpty()) throw new IOException("empty request");  // fails this one only
                                    byte[] b = (line + "\n").getBytes(StandardCharsets.UTF_8);
                                    conn.writeAll(b, 0, b.length);
                                }
                                return null;
                            });
                        }
                    });
                    // endregion
                }
            });
            List<String> out = TaskGroup.gather(() -> ask(port, "a"), () -> ask(port, ""), () -> ask(port, "c"));
            outer.cancel();
            return out;
        }));
        assertEquals(List.of("a", "(closed)", "c"), replies);
        assertEquals(List.of("connection: empty request"), failed);
    }

    @Test
    void shieldLetsAGoodbyeFinish() throws Exception {
        List<String> events = new ArrayList<>();
        run(() -> TaskGroup.scope(group -> {
            Task<Void> session = group.spawn("session", () -> {
                // region shield
                try {
                    sleep(Duration.ofDays(1));                       // serving, until cancelled
                } finally {
                    CancelScope.shielded(Duration.ofSeconds(2), s -> {  // a shield always gets a limit
                        sleep(Duration.ofMillis(20));                // say goodbye: not cut short
                        events.add("goodbye sent");
                        return null;
                    });
                }
                // endregion
                return null;
            });
            sleep(Duration.ofMillis(10));
            session.cancel();
            return null;
        }));
        assertEquals(List.of("goodbye sent"), events);
    }

    @Test
    void selectTakesTheFirst() throws Exception {
        List<String> got = run(() -> TaskGroup.scope(group -> {
            MemoryChannel<String> ordersChannel = MemoryChannel.open(8);
            MemoryChannel<String> cancelsChannel = MemoryChannel.open(8);
            ReceiveChannel<String> orders = ordersChannel.receiver();
            ReceiveChannel<String> cancels = cancelsChannel.receiver();
            group.spawn("client", () -> {
                sleep(Duration.ofMillis(10));
                cancelsChannel.sender().send("order 7");
                return null;
            });
            List<String> out = new ArrayList<>();
            // region select
            Select<String> next = new Select<String>()
                    .onReceive(orders, order -> "new " + order)
                    .onReceive(cancels, id -> "cancel " + id)
                    .onTimeout(Duration.ofMillis(100), () -> "idle");
            out.add(next.select());    // "cancel order 7": the first that came; orders keeps its items
            out.add(next.select());    // "idle" after 100 ms with nothing in either
            // endregion
            return out;
        }));
        assertEquals(List.of("cancel order 7", "idle"), got);
    }

    @Test
    void memoryChannelsFanInAndOut() throws Exception {
        List<String> done = new ArrayList<>();
        run(() -> {
            // region memory-channel
            MemoryChannel<String> jobs = MemoryChannel.open(0);       // unbuffered: a send waits for a worker
            TaskGroup.scope(group -> {
                try (SendChannel<String> out = jobs.sender(); ReceiveChannel<String> in = jobs.receiver()) {
                    for (int p = 1; p <= 2; p++) {
                        SendChannel<String> mine = out.clone();       // an end per producer
                        String producer = "producer " + p;
                        group.spawn(producer, () -> {
                            try (mine) {
                                for (int i = 1; i <= 3; i++) mine.send(producer + " job " + i);
                            }
                            return null;
                        });
                    }
                    for (int w = 1; w <= 2; w++) {
                        ReceiveChannel<String> mine = in.clone();     // an end per worker
                        group.spawn("worker " + w, () -> {
                            try (mine) {
                                for (String job : mine) done.add(job);    // ends once both producers closed theirs
                            }
                            return null;
                        });
                    }
                }                                      // the original ends close here; the clones live on
                return null;
            });
            // endregion
            return null;
        });
        assertEquals(6, done.size());
    }

    @Test
    void capacityLimiterLendsTokens() throws Exception {
        List<String> result = run(() -> {
            // region limiter
            CapacityLimiter downloads = new CapacityLimiter(2);       // at most 2 at once
            List<Suspendable<String>> jobs = new ArrayList<>();
            for (String name : List.of("a", "b", "c", "d")) jobs.add(() -> downloads.withToken(() -> fetch(name)));
            List<String> pages = TaskGroup.gather(jobs);
            // endregion
            return pages;
        });
        assertEquals(List.of("page a", "page b", "page c", "page d"), result);
        assertEquals(2, peakInFlight);
    }
}
