package xiio.bench.http;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * What one benchmark run measures: every server, at every connection count, {@code runs}
 * times, each time against a fresh server process warmed up by a wrk run of
 * {@code warmup} before the measured one of {@code duration}.
 *
 * @param servers the servers to load, in table order
 * @param connections wrk connection counts
 * @param runs measurements per server and connection count
 * @param warmup the warm-up wrk run's length
 * @param duration the measured wrk run's length
 * @param output the markdown fragment to write
 * @param logDir where the servers' output goes
 */
record BenchPlan(List<BenchServer> servers, List<Integer> connections, int runs, Duration warmup, Duration duration,
        Path output, Path logDir) {
    BenchPlan {
        if (servers.isEmpty() || connections.isEmpty()) throw new IllegalArgumentException("no servers or no connection counts");
        if (runs < 1) throw new IllegalArgumentException("--runs must be at least 1");
        // wrk counts whole seconds, and a CPU window shorter than that is mostly clock-tick rounding
        if (duration.toSeconds() < 1 || warmup.toSeconds() < 1) throw new IllegalArgumentException("durations are whole seconds, at least 1");
        for (int c : connections) {
            if (c < 1) throw new IllegalArgumentException("connection counts must be at least 1");
        }
    }
}
