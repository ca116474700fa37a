package xiio.bench.http;

import java.util.List;
import java.util.Locale;

/**
 * Issue 14's targets for the xiio server on one core, checked per scenario as ratios
 * of the runs' means in this run: requests/s at least 1.0x Netty epoll's and at least
 * 1.3x Helidon's, p99 no worse than Netty epoll's. A cell whose peer was not measured
 * says "n/a" instead of passing (so does p99 when pipelining, where wrk's percentiles
 * are wrong); a row meant for io_uring that held no ring fails.
 */
final class HttpTargets {
    static final double VS_NETTY = 1.0, VS_HELIDON = 1.3, P99_VS_NETTY = 1.0;

    private HttpTargets() {}

    static String render(List<Measurement> all, List<HttpScenario> scenarios) {
        StringBuilder t = new StringBuilder();
        t.append("| server | scenario | req/s vs Netty epoll (>= 1.00x) | req/s vs Helidon (>= 1.30x) | p99 vs Netty epoll (<= 1.00x) |\n");
        t.append("|---|---|---|---|---|\n");
        int pass = 0, checked = 0;
        for (BenchServer server : List.of(BenchServer.XIIO_CONTINUATION, BenchServer.XIIO_VTHREAD, BenchServer.XIIO_URING)) {
            for (HttpScenario scenario : scenarios) {
                List<Measurement> row = ResultTable.of(all, server, scenario);
                if (row.isEmpty()) continue;
                boolean noRing = row.stream().anyMatch(Measurement::missedItsPoller);
                List<Measurement> netty = ResultTable.of(all, BenchServer.NETTY_EPOLL, scenario);
                List<Measurement> helidon = ResultTable.of(all, BenchServer.HELIDON, scenario);
                String[] cells = {
                    cell(ResultTable.meanRatio(row, netty, m -> m.wrk().requestsPerSecond()), VS_NETTY, true, noRing),
                    cell(ResultTable.meanRatio(row, helidon, m -> m.wrk().requestsPerSecond()), VS_HELIDON, true, noRing),
                    cell(ResultTable.meanRatio(row, netty, m -> m.wrk().p99Micros()), P99_VS_NETTY, false, noRing)};
                for (String c : cells) {
                    if (c.endsWith("PASS")) pass++;
                    if (c.endsWith("PASS") || c.contains("FAIL")) checked++;
                }
                t.append("| ").append(ResultTable.label(row)).append(" | ").append(scenario.name()).append(" | ")
                        .append(String.join(" | ", cells)).append(" |\n");
            }
        }
        t.append('\n').append(String.format(Locale.ROOT, "%d of %d checks pass.%n", pass, checked));
        return t.toString();
    }

    private static String cell(double ratio, double bound, boolean atLeast, boolean noRing) {
        if (Double.isNaN(ratio)) return "n/a";
        boolean ok = atLeast ? ratio >= bound : ratio <= bound;
        return String.format(Locale.ROOT, "%.2fx %s", ratio, noRing ? "FAIL (no ring)" : ok ? "PASS" : "FAIL");
    }
}
