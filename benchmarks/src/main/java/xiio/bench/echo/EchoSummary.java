package xiio.bench.echo;

import java.util.Comparator;
import java.util.List;

/**
 * The figures of one (server, scenario) cell: round trips per second of every run as
 * measured, and everything else from the best run, the one with the most round trips.
 * On a shared machine noise only ever slows a run down, so the best run is the least
 * disturbed one; a mean would mix a neighbour's burst into the comparison, and showing
 * every run's rate keeps the spread visible.
 */
record EchoSummary(List<Double> rtPerSecRuns, double rtPerSec, double p50Us, double p99Us, double p999Us,
                   double serverCpuUsPerRt, double serverCpuShare, double clientCpuShare, long errors) {

    static EchoSummary of(List<LoadResult> runs) {
        LoadResult best = runs.stream().filter(r -> r.rtPerSec() > 0)
                .max(Comparator.comparingDouble(LoadResult::rtPerSec)).orElse(null);
        if (best == null) return null;
        return new EchoSummary(
                runs.stream().map(LoadResult::rtPerSec).toList(),
                best.rtPerSec(),
                best.p50Us(),
                best.p99Us(),
                best.p999Us(),
                best.serverCpuUsPerRt(),
                best.serverCpuSec() < 0 ? Double.NaN : best.serverCpuSec() / best.windowSec(),
                best.clientCpuSec() / best.windowSec(),
                runs.stream().mapToLong(LoadResult::errors).sum());
    }
}
