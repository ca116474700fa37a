package xiio.bench.echo;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import xiio.bench.ChildSignals;
import xiio.bench.Executables;
import xiio.bench.ServerProcess;
import xiio.signal.Signal;
import xiio.support.OutputCollector;

/**
 * Counts a server's system calls per round trip: {@code strace -c -f -p PID} attached
 * while the load generator, paused after its warm-up, runs one short window. strace
 * stops the server at every call, so this run is separate from the timed ones and its
 * speed means nothing; the count per round trip is what it is for. Idle background
 * threads (GC, JIT) of a JVM add their few calls too, as they do in real life.
 */
final class SyscallCounter {
    private static final Pattern ATTACHED = Pattern.compile("attached");
    /** strace says "attached with N threads" once it holds them all; a moment more, for safety. */
    private static final long SETTLE_MILLIS = 100;

    private SyscallCounter() {}

    static boolean available() {
        return Executables.onPath("strace");
    }

    static SyscallCount measure(ServerProcess server, LoadGen loadGen, Scenario s, double warmup, double duration,
                                long minRoundTrips) throws IOException, InterruptedException {
        try (LoadGen.Synced run = loadGen.startSynced(server, s, warmup, duration, minRoundTrips)) {
            if (!run.awaitWarm()) return SyscallCount.failed("the load generator failed before its window: " + run.stderr().strip());
            Process strace = new ProcessBuilder(List.of("strace", "-c", "-f", "-p", Long.toString(server.pid())))
                    .redirectInput(Executables.NO_INPUT).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            OutputCollector err = new OutputCollector(strace.getErrorStream(), "strace stderr");
            try {
                if (err.await(ATTACHED, Duration.ofSeconds(10)) == null) {
                    return SyscallCount.failed("strace did not attach: " + err.text().strip());
                }
                Thread.sleep(SETTLE_MILLIS);
                run.go();
                LoadResult window = run.awaitResult();
                // SIGINT: strace detaches and prints its summary (destroy() would close the pipe first)
                ChildSignals.kill(strace, Signal.SIGINT);
                if (!strace.waitFor(20, TimeUnit.SECONDS)) return SyscallCount.failed("strace did not stop");
                err.join(Duration.ofSeconds(5));
                if (window.failure() != null) return SyscallCount.failed(window.failure());
                if (window.roundTrips() < 1) return SyscallCount.failed("no round trip went through under strace");
                return SyscallCount.parseStrace(err.text(), window.roundTrips());
            } finally {
                if (strace.isAlive()) strace.destroyForcibly();
                strace.waitFor();
            }
        }
    }
}
