package xiio.bench;

import java.util.List;

/**
 * The figures of one (server, scenario) cell: round trips per second of every run as
 * measured, and the mean over runs of everything else.
 */
record EchoSummary(List<Double> rtPerSecRuns, double rtPerSec, double p50Us, double p99Us, double p999Us,
                   double serverCpuUsPerRt, double serverCpuShare, double clientCpuShare, long errors) {

    static EchoSummary of(List<LoadResult> runs) {
        List<LoadResult> measured = runs.stream().filter(r -> r.rtPerSec() > 0).toList();
        if (measured.isEmpty()) return null;
        return new EchoSummary(
                runs.stream().map(LoadResult::rtPerSec).toList(),
                mean(measured, LoadResult::rtPerSec),
                mean(measured, LoadResult::p50Us),
                mean(measured, LoadResult::p99Us),
                mean(measured, LoadResult::p999Us),
                mean(measured, LoadResult::serverCpuUsPerRt),
                mean(measured, r -> r.serverCpuSec() < 0 ? Double.NaN : r.serverCpuSec() / r.windowSec()),
                mean(measured, r -> r.clientCpuSec() / r.windowSec()),
                runs.stream().mapToLong(LoadResult::errors).sum());
    }

    private static double mean(List<LoadResult> runs, java.util.function.ToDoubleFunction<LoadResult> f) {
        return runs.stream().mapToDouble(f).average().orElse(Double.NaN);
    }
}
