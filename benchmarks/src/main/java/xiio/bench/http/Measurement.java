package xiio.bench.http;

import xiio.bench.PollerProbe;

/**
 * One fresh server process under one scenario: its cold start (the first wrk run
 * the JVM ever served) and the measured, warm run after the warm-up.
 *
 * @param server the server loaded
 * @param scenario what wrk sent
 * @param run 1 for the first measurement of this server and scenario, 2 for the second...
 * @param wrk what wrk reported for the measured (warm) run
 * @param serverCpuNanos CPU time the server used while wrk ran (all its threads)
 * @param loopThreadCpuNanos CPU time of its busiest thread in that window: the event loop
 * @param serverExitStatus how the server exited when stopped with SIGTERM (0 expected)
 * @param cold what wrk reported for the first seconds of the fresh JVM, or null if not measured
 * @param coldCpuNanos the server's CPU time in that cold window (JIT compiler threads included)
 * @param poller the kernel poller its fds showed after the load
 */
record Measurement(BenchServer server, HttpScenario scenario, int run, WrkResult wrk, long serverCpuNanos,
        long loopThreadCpuNanos, int serverExitStatus, WrkResult cold, long coldCpuNanos, PollerProbe poller) {
    /** Server CPU time per request, in microseconds: comparable even when wrk is the bottleneck. */
    double cpuMicrosPerRequest() {
        return wrk.requests() == 0 ? Double.NaN : serverCpuNanos / 1000.0 / wrk.requests();
    }

    /** The event loop thread's CPU time per request, in microseconds: no JIT compiler or GC threads in it. */
    double loopMicrosPerRequest() {
        return wrk.requests() == 0 ? Double.NaN : loopThreadCpuNanos / 1000.0 / wrk.requests();
    }

    /** Server CPU time per request in the cold window, in microseconds. */
    double coldCpuMicrosPerRequest() {
        return cold == null || cold.requests() == 0 ? Double.NaN : coldCpuNanos / 1000.0 / cold.requests();
    }

    /** Whether every request, cold and warm, got a 2xx answer without socket errors, and the server stopped cleanly. */
    boolean clean() {
        return wrk.clean() && (cold == null || cold.clean()) && serverExitStatus == 0;
    }

    /** Whether a row meant to run on io_uring held no ring. */
    boolean missedItsPoller() {
        return server.poller.equals("io_uring") && !poller.usesIoUring();
    }
}
