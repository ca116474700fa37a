package xiio.bench.http;

/**
 * One measured wrk run against one fresh server process.
 *
 * @param server the server loaded
 * @param connections wrk's connection count
 * @param run 1 for the first measurement of this server and count, 2 for the second...
 * @param wrk what wrk reported
 * @param serverCpuNanos CPU time the server used while wrk ran (all its threads)
 * @param loopThreadCpuNanos CPU time of its busiest thread in that window: the event loop
 * @param serverExitStatus how the server exited when stopped with SIGTERM (0 expected)
 */
record Measurement(BenchServer server, int connections, int run, WrkResult wrk, long serverCpuNanos, long loopThreadCpuNanos,
        int serverExitStatus) {
    /** Server CPU time per request, in microseconds: comparable even when wrk is the bottleneck. */
    double cpuMicrosPerRequest() {
        return wrk.requests() == 0 ? Double.NaN : serverCpuNanos / 1000.0 / wrk.requests();
    }

    /** The event loop thread's CPU time per request, in microseconds: no JIT compiler or GC threads in it. */
    double loopMicrosPerRequest() {
        return wrk.requests() == 0 ? Double.NaN : loopThreadCpuNanos / 1000.0 / wrk.requests();
    }
}
