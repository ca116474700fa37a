package xiio.bench.echo;

import java.util.List;
import java.util.function.ToDoubleFunction;

/**
 * The targets the echo figures are held to, each checked as a ratio of two rows of
 * the same run (or against a fixed bound), with a PASS or FAIL: issue 15's for xiio
 * on io_uring, the brief's for xiio on epoll. A target whose rows were not measured
 * in this run says so instead of passing. A PASS is the target met on this machine in
 * this run; at 1 connection the machine's noise (a few percent between runs) is as
 * large as the margins, so one run's verdict there is weak evidence either way.
 */
final class EchoTargets {
    private EchoTargets() {}

    private static final Scenario C1 = Scenario.parse("c1-64");
    private static final Scenario C100 = Scenario.SYSCALLS_FULL;
    private static final Scenario IDLE = Scenario.parse("c100i10k-64");

    /** What a target measures of one row: rt/s, CPU per round trip, or syscalls per round trip. */
    enum Figure {
        RT_PER_SEC("rt/s"), CPU_PER_RT("server CPU/rt"), SYSCALLS_PER_RT("syscalls/rt");

        final String name;

        Figure(String name) {
            this.name = name;
        }
    }

    /**
     * One target: {@code figure} of {@code server} in {@code scenario}, over the same
     * figure of {@code reference} in {@code referenceScenario} (or over 1 when the
     * reference is null), at least or at most {@code bound}.
     */
    record Target(String source, Figure figure, Scenario scenario, EchoServerKind server,
                  Scenario referenceScenario, EchoServerKind reference, boolean atLeast, double bound) {}

    static final List<Target> TARGETS = List.of(
            new Target("issue 15", Figure.CPU_PER_RT, C100, EchoServerKind.XIIO_URING, C100, EchoServerKind.C_EPOLL, false, 0.90),
            new Target("issue 15", Figure.RT_PER_SEC, C100, EchoServerKind.XIIO_URING, C100, EchoServerKind.NETTY_URING, true, 1.05),
            new Target("issue 15", Figure.RT_PER_SEC, C100, EchoServerKind.XIIO_URING, C100, EchoServerKind.C_EPOLL, true, 1.00),
            new Target("issue 15", Figure.SYSCALLS_PER_RT, C100, EchoServerKind.XIIO_URING, null, null, false, 0.5),
            new Target("issue 15", Figure.RT_PER_SEC, C1, EchoServerKind.XIIO_URING, C1, EchoServerKind.XIIO_CONTINUATION, true, 1.00),
            new Target("issue 15", Figure.RT_PER_SEC, IDLE, EchoServerKind.XIIO_URING, C100, EchoServerKind.XIIO_URING, true, 0.90),
            new Target("brief", Figure.RT_PER_SEC, C100, EchoServerKind.XIIO_CONTINUATION, C100, EchoServerKind.NETTY_EPOLL, true, 1.00),
            new Target("brief", Figure.CPU_PER_RT, C100, EchoServerKind.XIIO_CONTINUATION, C100, EchoServerKind.C_EPOLL, false, 1.10),
            new Target("brief", Figure.RT_PER_SEC, IDLE, EchoServerKind.XIIO_CONTINUATION, C100, EchoServerKind.XIIO_CONTINUATION, true, 0.90));

    static void render(StringBuilder md, EchoResults results) {
        md.append("### Targets\n\n");
        md.append("Each target is a ratio of two rows of this run (from each row's best run, as in the tables), or a"
                + " bound on one figure. Issue 15's are for xiio on io_uring, the brief's for xiio on epoll, both on the"
                + " continuation backend. A target with a row not measured in this run is shown as such, not passed;"
                + " an io_uring row that held no ring fails.\n\n");
        md.append("| source | target | measured | result |\n|---|---|---:|---|\n");
        for (Target t : TARGETS) {
            double mine = value(t.figure, t.scenario, t.server, results);
            double ref = t.reference == null ? 1 : value(t.figure, t.referenceScenario, t.reference, results);
            double ratio = mine / ref;
            String result;
            if (Double.isNaN(ratio) || Double.isInfinite(ratio)) result = "not measured";
            else if (!ranOnItsPoller(t.server, results) || (t.reference != null && !ranOnItsPoller(t.reference, results))) result = "FAIL (no ring)";
            else result = (t.atLeast ? ratio >= t.bound : ratio <= t.bound) ? "PASS" : "FAIL";
            String measured = Double.isNaN(ratio) || Double.isInfinite(ratio) ? "—"
                    : t.reference == null ? EchoReport.fmt("%.2f", ratio) : EchoReport.fmt("%.2fx", ratio);
            md.append("| ").append(t.source).append(" | ").append(describe(t)).append(" | ").append(measured)
                    .append(" | ").append(result).append(" |\n");
        }
        md.append('\n');
    }

    /** "xiio io_uring (continuation) server CPU/rt in c100-64 <= 0.90x C epoll's (c100-64)". */
    static String describe(Target t) {
        String what = t.server.label + " " + t.figure.name + " in " + t.scenario.name();
        String op = t.atLeast ? " >= " : " <= ";
        if (t.reference == null) return what + op + EchoReport.fmt("%.2f", t.bound);
        String ref = t.reference == t.server ? "its own in " + t.referenceScenario.name()
                : t.reference.label + "'s" + (t.referenceScenario.equals(t.scenario) ? "" : " in " + t.referenceScenario.name());
        return what + op + EchoReport.fmt("%.2fx", t.bound) + " " + ref;
    }

    private static boolean ranOnItsPoller(EchoServerKind server, EchoResults results) {
        var p = results.poller(server);
        return !server.poller.equals("io_uring") || (p != null && p.usesIoUring());
    }

    private static double value(Figure f, Scenario s, EchoServerKind server, EchoResults results) {
        if (f == Figure.SYSCALLS_PER_RT) {
            SyscallCount c = results.syscalls(s, server);
            return c == null || c.failure() != null ? Double.NaN : c.perRoundTrip();
        }
        EchoSummary m = results.summary(s, server);
        if (m == null) return Double.NaN;
        ToDoubleFunction<EchoSummary> get = f == Figure.RT_PER_SEC ? EchoSummary::rtPerSec : EchoSummary::serverCpuUsPerRt;
        return get.applyAsDouble(m);
    }
}
