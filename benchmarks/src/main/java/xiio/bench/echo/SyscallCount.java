package xiio.bench.echo;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * System calls a server made while {@code roundTrips} round trips went through it, in
 * total and per call name (as {@code strace -c} counts them), or why there is no count.
 */
record SyscallCount(long total, double roundTrips, Map<String, Long> byName, String failure) {
    static SyscallCount failed(String why) {
        return new SyscallCount(0, 0, Map.of(), why);
    }

    /** Reads the summary table {@code strace -c} prints when it detaches. */
    static SyscallCount parseStrace(String summary, double roundTrips) {
        Map<String, Long> byName = new LinkedHashMap<>();
        long total = -1;
        for (String line : summary.split("\n")) {
            String[] f = line.trim().split("\\s+");
            // % time, seconds, usecs/call, calls, [errors,] syscall
            if (f.length < 5 || !f[0].matches("[0-9.]+") || !f[3].matches("\\d+")) continue;
            String name = f[f.length - 1];
            long calls = Long.parseLong(f[3]);
            if (name.equals("total")) total = calls;
            else byName.put(name, calls);
        }
        if (total < 0) return failed("no strace summary in: " + summary.strip().replace('\n', ' '));
        return new SyscallCount(total, roundTrips, byName, null);
    }

    double perRoundTrip() {
        return roundTrips > 0 ? total / roundTrips : Double.NaN;
    }
}
