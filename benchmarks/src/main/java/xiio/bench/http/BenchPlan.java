package xiio.bench.http;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * What one benchmark run measures: every server in every scenario, {@code runs}
 * times, each time against a fresh server process: first a {@code cold} wrk run (the
 * JVM's first seconds of traffic, reported on its own), then an unmeasured warm-up
 * of {@code warmup}, then the measured run of {@code duration}.
 *
 * @param servers the servers to load, in table order
 * @param scenarios what wrk sends, in table order
 * @param runs measurements per server and scenario
 * @param cold the cold wrk run's length; zero for none
 * @param warmup the warm-up wrk run's length; zero for none
 * @param duration the measured wrk run's length
 * @param output the markdown fragment to write
 * @param logDir where the servers' output and the wrk scripts go
 * @param serverJvmFlags extra flags for every server JVM (smoke runs: C1 only, to start fast)
 */
record BenchPlan(List<BenchServer> servers, List<HttpScenario> scenarios, int runs, Duration cold, Duration warmup,
        Duration duration, Path output, Path logDir, List<String> serverJvmFlags) {
    BenchPlan {
        if (servers.isEmpty() || scenarios.isEmpty()) throw new IllegalArgumentException("no servers or no scenarios");
        if (runs < 1) throw new IllegalArgumentException("--runs must be at least 1");
        // wrk counts whole seconds, and a CPU window shorter than that is mostly clock-tick rounding
        if (duration.toSeconds() < 1 || warmup.isNegative() || cold.isNegative()) {
            throw new IllegalArgumentException("durations are whole seconds: --duration at least 1, --warmup and --cold at least 0");
        }
    }
}
