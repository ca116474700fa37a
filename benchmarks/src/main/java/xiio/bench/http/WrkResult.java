package xiio.bench.http;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What one {@code wrk --latency} run reports: requests, requests per second, the
 * latency median and 99th percentile (in microseconds), socket errors, and responses
 * whose status was not 2xx or 3xx.
 *
 * @param requests completed requests
 * @param requestsPerSecond wrk's own "Requests/sec"
 * @param p50Micros median latency
 * @param p99Micros 99th percentile latency
 * @param socketErrors connect + read + write + timeout errors
 * @param non2xx3xx responses with another status
 */
record WrkResult(long requests, double requestsPerSecond, double p50Micros, double p99Micros,
        long socketErrors, long non2xx3xx) {
    private static final Pattern REQUESTS = Pattern.compile("(?m)^\\s*(\\d+) requests in ");
    private static final Pattern RATE = Pattern.compile("(?m)^Requests/sec:\\s*([0-9.]+)");
    private static final Pattern SOCKET_ERRORS = Pattern.compile(
            "Socket errors: connect (\\d+), read (\\d+), write (\\d+), timeout (\\d+)");
    private static final Pattern NON_2XX = Pattern.compile("Non-2xx or 3xx responses: (\\d+)");

    /** Parses wrk's output; the error and non-2xx lines appear only when their counts are not zero. */
    static WrkResult parse(String out) {
        long requests = Long.parseLong(find(REQUESTS, out, "the requests line"));
        double rate = Double.parseDouble(find(RATE, out, "Requests/sec"));
        long errors = 0;
        Matcher e = SOCKET_ERRORS.matcher(out);
        if (e.find()) {
            for (int g = 1; g <= 4; g++) errors += Long.parseLong(e.group(g));
        }
        Matcher n = NON_2XX.matcher(out);
        long non2xx = n.find() ? Long.parseLong(n.group(1)) : 0;
        return new WrkResult(requests, rate, percentile(out, "50%"), percentile(out, "99%"), errors, non2xx);
    }

    /**
     * This result without its latencies (NaN), for pipelined runs: wrk records one
     * latency per pipelined batch but ranks the percentiles by responses, so in
     * pipeline mode its distribution is wrong, up to a 99th percentile of 0 (wg/wrk#236).
     */
    WrkResult withoutLatency() {
        return new WrkResult(requests, requestsPerSecond, Double.NaN, Double.NaN, socketErrors, non2xx3xx);
    }

    /** Whether every request got a 2xx/3xx answer without socket errors. */
    boolean clean() {
        return socketErrors == 0 && non2xx3xx == 0;
    }

    /** A line of the "Latency Distribution" block, such as {@code "     99%    1.21ms"}. */
    private static double percentile(String out, String label) {
        Pattern p = Pattern.compile("(?m)^\\s*" + Pattern.quote(label) + "\\s+([0-9.]+)(us|ms|s|m|h)\\s*$");
        Matcher m = p.matcher(out);
        if (!m.find()) throw new IllegalArgumentException("no " + label + " latency in wrk's output (was --latency given?):\n" + out);
        double v = Double.parseDouble(m.group(1));
        return switch (m.group(2)) {
            case "us" -> v;
            case "ms" -> v * 1e3;
            case "s" -> v * 1e6;
            case "m" -> v * 60e6;
            default -> v * 3600e6;
        };
    }

    private static String find(Pattern p, String out, String what) {
        Matcher m = p.matcher(out);
        if (!m.find()) throw new IllegalArgumentException("no " + what + " in wrk's output:\n" + out);
        return m.group(1);
    }
}
