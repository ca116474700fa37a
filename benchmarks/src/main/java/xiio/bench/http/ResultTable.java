package xiio.bench.http;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.ToDoubleFunction;

/**
 * The markdown table: one row per connection count and server, every run's figure
 * in each cell ("first / second"), and the ratio of the runs' mean to Netty epoll's
 * at the same connection count.
 */
final class ResultTable {
    private ResultTable() {}

    static String render(List<Measurement> all) {
        Map<String, List<Measurement>> rows = new LinkedHashMap<>();
        for (Measurement m : all.stream()
                .sorted((a, b) -> a.connections() != b.connections() ? Integer.compare(a.connections(), b.connections())
                        : a.server().compareTo(b.server()))
                .toList()) {
            rows.computeIfAbsent(m.connections() + " " + m.server(), k -> new ArrayList<>()).add(m);
        }
        StringBuilder t = new StringBuilder();
        t.append("| server | conns | req/s | p50 | p99 | server CPU µs/req | loop thread µs/req | req/s vs Netty epoll | CPU/req vs Netty epoll | loop/req vs Netty epoll |\n");
        t.append("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n");
        for (List<Measurement> row : rows.values()) {
            Measurement first = row.getFirst();
            List<Measurement> netty = all.stream()
                    .filter(m -> m.server() == BenchServer.NETTY_EPOLL && m.connections() == first.connections()).toList();
            t.append("| ").append(first.server().id)
                    .append(" | ").append(first.connections())
                    .append(" | ").append(cells(row, m -> m.wrk().requestsPerSecond(), v -> String.format(Locale.ROOT, "%,.0f", v)))
                    .append(" | ").append(cells(row, m -> m.wrk().p50Micros(), ResultTable::latency))
                    .append(" | ").append(cells(row, m -> m.wrk().p99Micros(), ResultTable::latency))
                    .append(" | ").append(cells(row, Measurement::cpuMicrosPerRequest, v -> String.format(Locale.ROOT, "%.1f", v)))
                    .append(" | ").append(cells(row, Measurement::loopMicrosPerRequest, v -> String.format(Locale.ROOT, "%.1f", v)))
                    .append(" | ").append(ratio(row, netty, m -> m.wrk().requestsPerSecond()))
                    .append(" | ").append(ratio(row, netty, Measurement::cpuMicrosPerRequest))
                    .append(" | ").append(ratio(row, netty, Measurement::loopMicrosPerRequest))
                    .append(" |\n");
        }
        return t.toString();
    }

    /** Microseconds below a millisecond, milliseconds above. */
    static String latency(double micros) {
        return micros < 1000 ? String.format(Locale.ROOT, "%.0f µs", micros) : String.format(Locale.ROOT, "%.2f ms", micros / 1000);
    }

    private static String cells(List<Measurement> row, ToDoubleFunction<Measurement> f, java.util.function.DoubleFunction<String> format) {
        return String.join(" / ", row.stream().map(m -> format.apply(f.applyAsDouble(m))).toList());
    }

    private static String ratio(List<Measurement> row, List<Measurement> netty, ToDoubleFunction<Measurement> f) {
        if (netty.isEmpty()) return "–";
        double mine = row.stream().mapToDouble(f).average().orElseThrow();
        double theirs = netty.stream().mapToDouble(f).average().orElseThrow();
        return String.format(Locale.ROOT, "%.2fx", mine / theirs);
    }
}
