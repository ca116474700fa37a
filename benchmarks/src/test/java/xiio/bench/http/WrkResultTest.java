package xiio.bench.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** Reading wrk's report: the samples are wrk 4.1's own output (the error line is its format, filled in). */
class WrkResultTest {
    private static final String NOT_FOUND_RUN = """
            Running 1s test @ http://127.0.0.1:32911/nope
              1 threads and 4 connections
              Thread Stats   Avg      Stdev     Max   +/- Stdev
                Latency    10.87ms   33.69ms 183.46ms   91.16%
                Req/Sec    27.45k    19.79k   47.71k    50.00%
              Latency Distribution
                 50%   94.00us
                 75%  600.00us
                 90%   26.97ms
                 99%  163.35ms
              27236 requests in 1.10s, 4.16MB read
              Non-2xx or 3xx responses: 27236
            Requests/sec:  24769.55
            Transfer/sec:      3.78MB
            """;

    @Test
    void readsRateRequestsAndPercentilesInTheirUnits() {
        WrkResult r = WrkResult.parse(NOT_FOUND_RUN);
        assertEquals(27236, r.requests());
        assertEquals(24769.55, r.requestsPerSecond(), 1e-9);
        assertEquals(94.0, r.p50Micros(), 1e-9);
        assertEquals(163_350.0, r.p99Micros(), 1e-6);
        assertEquals(27236, r.non2xx3xx());
        assertEquals(0, r.socketErrors());
        assertFalse(r.clean());
    }

    @Test
    void addsUpSocketErrorsAndReadsSeconds() {
        String out = NOT_FOUND_RUN.replace("  Non-2xx or 3xx responses: 27236\n",
                "  Socket errors: connect 1, read 2, write 3, timeout 4\n").replace("163.35ms", "2.00s");
        WrkResult r = WrkResult.parse(out);
        assertEquals(10, r.socketErrors());
        assertEquals(0, r.non2xx3xx());
        assertEquals(2_000_000.0, r.p99Micros(), 1e-6);
        assertFalse(r.clean());
    }

    @Test
    void aRunWithoutLatencyFlagIsRefusedByName() {
        String out = NOT_FOUND_RUN.replaceAll("(?s)  Latency Distribution.*?99%[^\n]*\n", "");
        var e = assertThrows(IllegalArgumentException.class, () -> WrkResult.parse(out));
        assertTrue(e.getMessage().contains("--latency"), e.getMessage());
    }
}
