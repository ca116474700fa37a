package xiio.bench.http;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.DoubleFunction;
import java.util.function.ToDoubleFunction;

/**
 * The markdown tables: per scenario, one row per one-core server with every run's
 * figure in each cell ("first / second"), ratios of the runs' means to Netty epoll's
 * and Helidon's in the same scenario, and the cold start beside the warm figures; then
 * the multi-core pair, one loop against two, per scenario.
 */
final class ResultTable {
    private ResultTable() {}

    /** One table per scenario of the one-core servers. */
    static String render(List<Measurement> all, List<HttpScenario> scenarios) {
        StringBuilder t = new StringBuilder();
        for (HttpScenario scenario : scenarios) {
            List<List<Measurement>> rows = rows(all, scenario, false);
            if (rows.isEmpty()) continue;
            t.append("### ").append(scenario.label()).append(" (").append(scenario.name()).append(")\n\n");
            t.append("| server | req/s | p50 | p99 | server CPU µs/req | loop thread µs/req | req/s vs Netty epoll | req/s vs Helidon"
                    + " | p99 vs Netty epoll | CPU/req vs Netty epoll | cold req/s | cold p99 | cold CPU µs/req | cold req/s vs Netty epoll |\n");
            t.append("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n");
            List<Measurement> netty = of(all, BenchServer.NETTY_EPOLL, scenario);
            List<Measurement> helidon = of(all, BenchServer.HELIDON, scenario);
            for (List<Measurement> row : rows) {
                Measurement first = row.getFirst();
                t.append("| ").append(label(row))
                        .append(" | ").append(cells(row, m -> m.wrk().requestsPerSecond(), ResultTable::rate))
                        .append(" | ").append(cells(row, m -> m.wrk().p50Micros(), ResultTable::latency))
                        .append(" | ").append(cells(row, m -> m.wrk().p99Micros(), ResultTable::latency))
                        .append(" | ").append(cells(row, Measurement::cpuMicrosPerRequest, ResultTable::micros))
                        .append(" | ").append(cells(row, Measurement::loopMicrosPerRequest, ResultTable::micros))
                        .append(" | ").append(ratio(row, netty, m -> m.wrk().requestsPerSecond()))
                        .append(" | ").append(ratio(row, helidon, m -> m.wrk().requestsPerSecond()))
                        .append(" | ").append(ratio(row, netty, m -> m.wrk().p99Micros()))
                        .append(" | ").append(ratio(row, netty, Measurement::cpuMicrosPerRequest))
                        .append(" | ").append(first.cold() == null ? "–" : cells(row, m -> m.cold().requestsPerSecond(), ResultTable::rate))
                        .append(" | ").append(first.cold() == null ? "–" : cells(row, m -> m.cold().p99Micros(), ResultTable::latency))
                        .append(" | ").append(first.cold() == null ? "–" : cells(row, Measurement::coldCpuMicrosPerRequest, ResultTable::micros))
                        .append(" | ").append(first.cold() == null ? "–" : ratio(row, netty, m -> m.cold().requestsPerSecond()))
                        .append(" |\n");
            }
            t.append('\n');
        }
        return t.toString();
    }

    /** The multi-core pair: the xiio server on both CPUs with one loop and with two, wrk on the same CPUs. */
    static String renderMultiCore(List<Measurement> all, List<HttpScenario> scenarios) {
        StringBuilder t = new StringBuilder();
        t.append("| scenario | 1 loop req/s | 2 loops req/s | 2 loops / 1 loop | 1 loop p99 | 2 loops p99 | 1 loop CPU µs/req"
                + " | 2 loops CPU µs/req | 1 loop cold req/s | 2 loops cold req/s |\n");
        t.append("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n");
        for (HttpScenario scenario : scenarios) {
            List<Measurement> one = of(all, BenchServer.XIIO_2CPU_1LOOP, scenario);
            List<Measurement> two = of(all, BenchServer.XIIO_2CPU_2LOOPS, scenario);
            if (one.isEmpty() && two.isEmpty()) continue;
            t.append("| ").append(scenario.name())
                    .append(" | ").append(cellsOrDash(one, m -> m.wrk().requestsPerSecond(), ResultTable::rate))
                    .append(" | ").append(cellsOrDash(two, m -> m.wrk().requestsPerSecond(), ResultTable::rate))
                    .append(" | ").append(two.isEmpty() ? "–" : ratio(two, one, m -> m.wrk().requestsPerSecond()))
                    .append(" | ").append(cellsOrDash(one, m -> m.wrk().p99Micros(), ResultTable::latency))
                    .append(" | ").append(cellsOrDash(two, m -> m.wrk().p99Micros(), ResultTable::latency))
                    .append(" | ").append(cellsOrDash(one, Measurement::cpuMicrosPerRequest, ResultTable::micros))
                    .append(" | ").append(cellsOrDash(two, Measurement::cpuMicrosPerRequest, ResultTable::micros))
                    .append(" | ").append(one.isEmpty() || one.getFirst().cold() == null ? "–" : cells(one, m -> m.cold().requestsPerSecond(), ResultTable::rate))
                    .append(" | ").append(two.isEmpty() || two.getFirst().cold() == null ? "–" : cells(two, m -> m.cold().requestsPerSecond(), ResultTable::rate))
                    .append(" |\n");
        }
        return t.toString();
    }

    /** The measurements of one server in one scenario, in run order. */
    static List<Measurement> of(List<Measurement> all, BenchServer server, HttpScenario scenario) {
        return all.stream().filter(m -> m.server() == server && m.scenario().equals(scenario)).toList();
    }

    /** Mean of {@code f} over {@code row}, over its mean over {@code reference}; NaN when either is empty. */
    static double meanRatio(List<Measurement> row, List<Measurement> reference, ToDoubleFunction<Measurement> f) {
        if (row.isEmpty() || reference.isEmpty()) return Double.NaN;
        double r = row.stream().mapToDouble(f).average().orElseThrow() / reference.stream().mapToDouble(f).average().orElseThrow();
        return Double.isFinite(r) ? r : Double.NaN;
    }

    /** The server's id, marked when a row meant for io_uring held no ring. */
    static String label(List<Measurement> row) {
        Measurement first = row.getFirst();
        boolean missed = row.stream().anyMatch(Measurement::missedItsPoller);
        return first.server().id + (missed ? " (held no ring: ran on " + first.poller().seen() + ")" : "");
    }

    private static List<List<Measurement>> rows(List<Measurement> all, HttpScenario scenario, boolean multiCore) {
        List<List<Measurement>> rows = new ArrayList<>();
        for (BenchServer server : BenchServer.values()) {
            if (server.multiCore() != multiCore) continue;
            List<Measurement> row = of(all, server, scenario);
            if (!row.isEmpty()) rows.add(row);
        }
        return rows;
    }

    /** Microseconds below a millisecond, milliseconds above. */
    static String latency(double micros) {
        if (Double.isNaN(micros)) return "n/a";
        return micros < 1000 ? String.format(Locale.ROOT, "%.0f µs", micros) : String.format(Locale.ROOT, "%.2f ms", micros / 1000);
    }

    private static String rate(double v) {
        return String.format(Locale.ROOT, "%,.0f", v);
    }

    private static String micros(double v) {
        return String.format(Locale.ROOT, v < 10 ? "%.2f" : "%.1f", v);
    }

    private static String cells(List<Measurement> row, ToDoubleFunction<Measurement> f, DoubleFunction<String> format) {
        return String.join(" / ", row.stream().map(m -> format.apply(f.applyAsDouble(m))).toList());
    }

    private static String cellsOrDash(List<Measurement> row, ToDoubleFunction<Measurement> f, DoubleFunction<String> format) {
        return row.isEmpty() ? "–" : cells(row, f, format);
    }

    private static String ratio(List<Measurement> row, List<Measurement> reference, ToDoubleFunction<Measurement> f) {
        double r = meanRatio(row, reference, f);
        return Double.isNaN(r) ? "–" : String.format(Locale.ROOT, "%.2fx", r);
    }
}
