package xiio.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.ConnectException;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import xiio.examples.support.ExampleProcess;
import xiio.examples.support.RawHttp;
import xiio.signal.Signal;

/**
 * The HTTP server's graceful shutdown. A request is known to be in flight, without
 * guessing at timing, once the server has answered its {@code Expect: 100-continue}:
 * by then it has read the head and waits for the body.
 */
class HttpShutdownExampleTest {
    private static int portOf(ExampleProcess server) throws InterruptedException {
        return Integer.parseInt(server.awaitLine("http listening on http://127.0.0.1:(\\d+)/").group(1));
    }

    private static RawHttp inFlightUpload(int port) throws IOException {
        RawHttp c = new RawHttp(port);
        c.send("POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: 10\r\nExpect: 100-continue\r\n\r\n");
        assertEquals(100, c.read().status());
        return c;
    }

    @Test
    void firstSignalClosesIdleConnectionsRefusesNewOnesAndFinishesRequestsInFlight() throws Exception {
        try (ExampleProcess server = ExampleProcess.start("http", "--port", "0", "--grace", "20s")) {
            int port = portOf(server);
            try (RawHttp idle = new RawHttp(port); RawHttp busy = inFlightUpload(port)) {
                assertEquals(200, idle.send("GET / HTTP/1.1\r\nHost: x\r\n\r\n").read().status()); // now idle, kept alive
                server.signal(Signal.SIGINT);
                server.awaitLine("http: SIGINT: finishing 2 connection\\(s\\) within 20 s; no new ones");

                assertTrue(idle.closedByServer(), "the idle keep-alive connection is closed at once");
                assertTrue(refusesConnections(port), "the listener is closed");
                assertTrue(server.isAlive(), "still finishing the upload");

                RawHttp.Response r = busy.send("0123456789").read();
                assertEquals(200, r.status());
                assertEquals("0123456789", r.text());
                assertEquals("close", r.header("Connection"), "no keep-alive while shutting down");
                assertTrue(busy.closedByServer());
            }
            assertEquals(130, server.waitFor(Duration.ofSeconds(10)), server.describe());
            assertTrue(server.stdout().contains("http stopped"), server.describe());
        }
    }

    @Test
    void requestsStillRunningWhenTheGracePeriodEndsAreCancelled() throws Exception {
        try (ExampleProcess server = ExampleProcess.start("http", "--port", "0", "--grace", "500ms")) {
            try (RawHttp stuck = inFlightUpload(portOf(server))) {
                long t0 = System.nanoTime();
                server.signal(Signal.SIGTERM);
                assertEquals(143, server.waitFor(Duration.ofSeconds(10)), server.describe());
                long millis = (System.nanoTime() - t0) / 1_000_000;
                assertTrue(millis >= 400 && millis < 8000, "stopped " + millis + " ms after SIGTERM, grace 500 ms");
                assertTrue(server.stdout().contains("http: grace period over; cancelling 1 request(s)"), server.describe());
                assertTrue(stuck.closedByServer(), "the unfinished upload got no answer, just the end");
            }
        }
    }

    @Test
    void aSecondSignalEndsTheProcessAtOnce() throws Exception {
        try (ExampleProcess server = ExampleProcess.start("http", "--port", "0", "--grace", "60s")) {
            try (RawHttp stuck = inFlightUpload(portOf(server))) {
                server.signal(Signal.SIGINT);
                server.awaitLine("http: SIGINT: finishing");
                long t0 = System.nanoTime();
                server.signal(Signal.SIGINT);
                assertEquals(130, server.waitFor(Duration.ofSeconds(10)), server.describe());
                assertTrue(System.nanoTime() - t0 < 5_000_000_000L);
                assertTrue(stuck.closedByServer());
            }
        }
    }

    @Test
    void withNothingInFlightItStopsRightAway() throws Exception {
        try (ExampleProcess server = ExampleProcess.start("http", "--port", "0")) {
            portOf(server);
            server.signal(Signal.SIGINT);
            assertEquals(130, server.waitFor(Duration.ofSeconds(10)), server.describe());
            assertTrue(server.stdout().contains("finishing 0 connection(s)") && server.stdout().contains("http stopped"),
                    server.describe());
        }
    }

    /** Whether connecting fails with "refused", trying for up to 5 s (the listener closes a moment after the signal). */
    private static boolean refusesConnections(int port) throws Exception {
        long deadline = System.nanoTime() + 5_000_000_000L;
        while (System.nanoTime() < deadline) {
            try (RawHttp probe = new RawHttp(port)) {
                Thread.sleep(50);
            } catch (ConnectException refused) {
                return true;
            }
        }
        return false;
    }
}
