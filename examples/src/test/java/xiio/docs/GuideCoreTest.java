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
import xiio.concurrent.Channel;
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
}
