package xiio.docs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.SocketException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.Test;
import xiio.concurrent.Channel;
import xiio.concurrent.Event;
import xiio.concurrent.TaskGroup;
import xiio.concurrent.Timeout;
import xiio.core.Suspendable;
import xiio.core.Xiio;
import xiio.io.ByteStream;
import xiio.io.ForwardingStream;
import xiio.io.Pipe;
import xiio.io.StreamReader;
import xiio.testing.Link;
import xiio.testing.MemoryListener;
import xiio.testing.MemoryNetwork;
import xiio.testing.MemoryStream;
import xiio.testing.StreamChecks;
import xiio.testing.Testing;
import xiio.testing.VirtualClock;
import xiio.thread.ThreadPool;

/** The examples of docs/guide-testing.md: code with sleeps and timeouts, tested in virtual time. */
class GuideTestingTest {

    // region retry
    /** Your code: tries {@code attempt} up to 5 times, waiting 1 s, 2 s, 4 s, 8 s in between. */
    static <T> T withRetries(Suspendable<T> attempt) throws Exception {
        Duration pause = Duration.ofSeconds(1);
        for (int i = 1; ; i++) {
            try {
                return attempt.call();
            } catch (IOException e) {
                if (i == 5) throw e;
                Xiio.sleep(pause);
                pause = pause.multipliedBy(2);
            }
        }
    }
    // endregion

    @Test
    void retriesBackOffExactly() throws Exception {
        long realStart = System.nanoTime();
        // region retry-test
        List<Long> attemptsAt = new ArrayList<>();
        IOException e = assertThrows(IOException.class, () -> VirtualClock.run(() -> {
            long t0 = Xiio.nanoTime();
            return withRetries(() -> {
                attemptsAt.add((Xiio.nanoTime() - t0) / 1_000_000_000);   // seconds of virtual time
                throw new IOException("service unavailable");
            });
        }));
        assertEquals(List.of(0L, 1L, 3L, 7L, 15L), attemptsAt);          // 15 virtual seconds ...
        // endregion
        assertEquals("service unavailable", e.getMessage());
        assertTrue(System.nanoTime() - realStart < Duration.ofSeconds(5).toNanos(), "... in far less real time");
    }

    @Test
    void timeoutsAreExact() throws Exception {
        // region timeout
        VirtualClock.run(() -> {
            long t0 = Xiio.nanoTime();
            assertThrows(TimeoutException.class, () -> Timeout.withTimeout(Duration.ofHours(1), () -> {
                Xiio.sleep(Duration.ofDays(1));
                return null;
            }));
            assertEquals(Duration.ofHours(1).toNanos(), Xiio.nanoTime() - t0);   // exactly
            return null;
        });
        // endregion
    }

    @Test
    void realFdsStillWork() throws Exception {
        String got = VirtualClock.run(() -> {
            // region real-fds
            try (Pipe pipe = Pipe.open()) {
                byte[] data = "real".getBytes();
                pipe.writer().writeAll(data, 0, data.length);
                byte[] buf = new byte[8];
                // the fd is ready, so it wins over the virtual hour
                int n = Timeout.withTimeout(Duration.ofHours(1), () -> pipe.reader().read(buf, 0, buf.length));
                return new String(buf, 0, n);
            }
            // endregion
        });
        assertEquals("real", got);
    }

    @Test
    void workOnAThreadTakesNoVirtualTime() throws Exception {
        try (ThreadPool pool = new ThreadPool("guide", 1)) {
            String got = VirtualClock.run(() -> {
                // region thread-work
                // real work on a real thread, under a virtual timeout: the clock waits for it
                String answer = Timeout.withTimeout(Duration.ofSeconds(1), () -> pool.call(() -> {
                    Thread.sleep(200);                        // 200 ms of real time ...
                    return "computed";
                }));
                // ... and no virtual time at all: the timeout did not fire
                // endregion
                return answer;
            });
            assertEquals("computed", got);
        }
    }

    // region nothing-happens
    /** Your code: forwards messages, but only once it was told to start. */
    static void forwardAfterStart(Event start, Channel<String> in, List<String> out) throws Exception {
        start.await();
        for (String m : in) out.add(m);
    }
    // endregion

    @Test
    void nothingHappensBeforeTheStart() throws Exception {
        VirtualClock.run(() -> {
            // region nothing-happens-test
            TaskGroup.scope(g -> {
                Event start = new Event();
                Channel<String> in = new Channel<>(10);
                List<String> out = new ArrayList<>();
                g.spawn(() -> {
                    forwardAfterStart(start, in, out);
                    return null;
                });
                in.send("early");
                Testing.waitAllTasksBlocked();        // the forwarder ran as far as it could ...
                assertEquals(List.of(), out);         // ... and forwarded nothing
                start.set();
                Testing.waitAllTasksBlocked();
                assertEquals(List.of("early"), out);
                in.close();
                return null;
            });
            // endregion
            return null;
        });
    }

    // region memory-server
    /** Your server's connection handler: answers each line with its length, written against ByteStream. */
    static void serveLengths(ByteStream conn) throws IOException {
        StreamReader reader = new StreamReader(conn);
        for (String line; (line = reader.readLine(1024)) != null; ) {
            byte[] reply = (line.length() + "\n").getBytes();
            conn.writeAll(reply, 0, reply.length);
        }
    }
    // endregion

    @Test
    void aServerTestedOverTheMemoryNetwork() throws Exception {
        long took = VirtualClock.run(() -> {
            // region memory-network
            // a network whose packets take 30 ms and whose reader takes 3 bytes at a time
            MemoryNetwork net = new MemoryNetwork(Link.PERFECT.withLatency(Duration.ofMillis(30)).withMaxRead(3));
            long t0 = Xiio.nanoTime();
            try (MemoryListener listener = net.bind(8080)) {
                TaskGroup.scope(g -> {
                    g.spawn(() -> {
                        try (MemoryStream conn = listener.accept()) {
                            serveLengths(conn);
                        }
                        return null;
                    });
                    try (MemoryStream client = net.connect(8080)) {
                        byte[] request = "hello\nworld!\n".getBytes();
                        client.writeAll(request, 0, request.length);
                        client.shutdownOutput();
                        StreamReader replies = new StreamReader(client);
                        assertEquals("5", replies.readLine(1024));
                        assertEquals("6", replies.readLine(1024));
                    }
                    return null;
                });
            }
            assertEquals(Duration.ofMillis(60).toNanos(), Xiio.nanoTime() - t0);   // there and back, exactly
            // endregion
            return Xiio.nanoTime() - t0;
        });
        assertEquals(Duration.ofMillis(60).toNanos(), took);
    }

    @Test
    void aResetInTheMiddleReachesTheClient() throws Exception {
        VirtualClock.run(() -> {
            // region memory-reset
            // the client-to-server direction resets after 8 bytes: does the client cope?
            MemoryNetwork net = new MemoryNetwork(Link.PERFECT.withResetAfter(8), Link.PERFECT);
            try (MemoryListener listener = net.bind(8080)) {
                TaskGroup.scope(g -> {
                    g.spawn(() -> {
                        try (MemoryStream conn = listener.accept()) {
                            serveLengths(conn);
                        } catch (SocketException reset) {
                            // what a server sees of a peer's RST
                        }
                        return null;
                    });
                    try (MemoryStream client = net.connect(8080)) {
                        byte[] request = "a long first line\n".getBytes();
                        assertThrows(SocketException.class, () -> client.writeAll(request, 0, request.length));
                    }
                    return null;
                });
            }
            // endregion
            return null;
        });
    }

    @Test
    void yourStreamAgainstTheChecks() throws Exception {
        VirtualClock.run(() -> {
            // region stream-checks
            // any ByteStream of yours: here a decorator over memory streams
            StreamChecks.checkTwoWayStream(() -> {
                MemoryStream[] p = MemoryStream.pair();
                return new StreamChecks.Pair(new ForwardingStream(p[0]) {}, p[1]);
            });
            // endregion
            return null;
        });
    }
}
