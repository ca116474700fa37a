package xiio.bench.echo;

import java.util.HashMap;
import java.util.Map;

/**
 * What one measured window gave, as the load generator printed it, or why there is no
 * figure ({@code failure} non-null). Server CPU is -1 when it could not be read.
 */
record LoadResult(double rtPerSec, double p50Us, double p99Us, double p999Us, double serverCpuSec,
                  double clientCpuSec, double windowSec, long errors, String failure) {

    static LoadResult failed(String why) {
        return new LoadResult(0, 0, 0, 0, -1, 0, 0, 0, why);
    }

    /** Parses the load generator's one line ({@code rt_per_s=... errors=N}); failed if it is not there. */
    static LoadResult parse(String output) {
        for (String line : output.split("\n")) {
            if (!line.startsWith("rt_per_s=")) continue;
            Map<String, String> kv = new HashMap<>();
            for (String field : line.trim().split("\\s+")) {
                int eq = field.indexOf('=');
                if (eq > 0) kv.put(field.substring(0, eq), field.substring(eq + 1));
            }
            try {
                return new LoadResult(num(kv, "rt_per_s"), num(kv, "p50_us"), num(kv, "p99_us"), num(kv, "p999_us"),
                        num(kv, "server_cpu_s"), num(kv, "client_cpu_s"), num(kv, "window_s"),
                        Long.parseLong(kv.getOrDefault("errors", "-1")), null);
            } catch (IllegalArgumentException e) {
                return failed("unreadable load generator line: " + line);
            }
        }
        return failed("the load generator printed no result line");
    }

    private static double num(Map<String, String> kv, String key) {
        String v = kv.get(key);
        if (v == null) throw new IllegalArgumentException("missing " + key);
        return Double.parseDouble(v);
    }

    /** A copy that also reports {@code why} (a non-zero exit, a server that did not stop cleanly). */
    LoadResult withFailure(String why) {
        String all = failure == null ? why : failure + "; " + why;
        return new LoadResult(rtPerSec, p50Us, p99Us, p999Us, serverCpuSec, clientCpuSec, windowSec, errors, all);
    }

    boolean ok() {
        return failure == null && errors == 0 && rtPerSec > 0;
    }

    double roundTrips() {
        return rtPerSec * windowSec;
    }

    /** Server CPU time per round trip in µs, NaN when unknown. */
    double serverCpuUsPerRt() {
        return serverCpuSec < 0 || roundTrips() == 0 ? Double.NaN : serverCpuSec * 1e6 / roundTrips();
    }
}
