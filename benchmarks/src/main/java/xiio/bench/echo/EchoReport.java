package xiio.bench.echo;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import xiio.bench.CpuPinning;
import xiio.bench.MachineInfo;
import xiio.bench.PollerProbe;

/** Renders an echo benchmark run as the markdown section {@code ## TCP echo}. */
final class EchoReport {
    private EchoReport() {}

    static String render(EchoOptions o, EchoResults results, MachineInfo machine, CpuPinning pinning,
                         String syscallNote, String loadAtStart) {
        StringBuilder md = new StringBuilder();
        md.append("## TCP echo\n\n");
        md.append("""
                Ping-pong round trips through one echo server process on one core; a single-threaded C load \
                generator on the other core sends a message on each active connection, waits until all of it \
                came back, checks every byte and repeats. Each server is measured against a fresh process per \
                run: "rt/s" shows every run; the other columns, ratios included, come from each server's best run \
                (the most round trips): noise on a shared machine only ever slows a run down, so the best run is \
                the least disturbed one. "server CPU µs/rt" is \
                the server's user+system CPU time (all its threads, from /proc/PID/stat) over the measured \
                window divided by the round trips in it: it stays comparable when the load generator, not the \
                server, is the limit (load gen CPU near 100%). Ratios are to Netty epoll and to the C server in \
                the same run: above 1.00x is more round trips, or more CPU per round trip.
                
                """);
        List<Scenario> counted = o.syscallScenarios();
        for (Scenario s : o.scenarios()) table(md, s, o, results, counted.contains(s) ? syscallNote : null);
        Scenario breakdown = o.syscallBreakdownScenario();
        if (breakdown != null) syscallTable(md, o, results, breakdown, syscallNote);
        pollerList(md, o, results);
        EchoTargets.render(md, results);
        List<String> problems = results.problems();
        if (!problems.isEmpty()) {
            md.append("### Problems\n\n");
            for (String p : problems) md.append("- ").append(p).append('\n');
            md.append('\n');
        }
        md.append("### Machine and command\n\n");
        md.append("- date: ").append(machine.date()).append('\n');
        md.append("- CPU: ").append(machine.cpu()).append('\n');
        md.append("- kernel: ").append(machine.kernel()).append('\n');
        md.append("- JDK: ").append(machine.jdk()).append('\n');
        md.append("- ").append(pinning.note()).append('\n');
        md.append("- load average (1 minute): ").append(loadAtStart).append(" at the start, ").append(loadAverage())
                .append(" at the end; above 2, other work shared these CPUs and blurs every figure\n");
        md.append(fmt("- each run: %s s warm-up, then %s s measured; %d run(s) per server and scenario%s%n",
                num(o.warmup()), num(o.duration()), o.runs(), o.smoke() ? " (smoke mode, Java servers on C1 only: the figures mean nothing)" : ""));
        md.append("- command: `").append(o.commandLine()).append("`\n");
        return md.toString();
    }

    private static void table(StringBuilder md, Scenario s, EchoOptions o, EchoResults results, String syscallNote) {
        boolean syscalls = syscallNote != null;
        md.append("### ").append(s.label()).append(" (").append(s.name()).append(")\n\n");
        md.append("| server | rt/s | rt/s vs Netty epoll | rt/s vs C | p50 µs | p99 µs | p99.9 µs | server CPU µs/rt"
                + " | CPU/rt vs Netty epoll | CPU/rt vs C | server CPU | load gen CPU |" + (syscalls ? " syscalls/rt |" : "") + "\n");
        md.append("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|" + (syscalls ? "---:|" : "") + "\n");
        EchoSummary netty = results.summary(s, EchoServerKind.NETTY_EPOLL);
        EchoSummary c = results.summary(s, EchoServerKind.C_EPOLL);
        for (EchoServerKind server : o.servers()) {
            EchoSummary m = results.summary(s, server);
            List<String> cells = new ArrayList<>();
            cells.add(results.label(server));
            if (m == null) {
                cells.add("failed");
                for (int i = 0; i < 10; i++) cells.add("—");
            } else {
                List<String> rts = new ArrayList<>();
                for (double rt : m.rtPerSecRuns()) rts.add(rt > 0 ? fmt("%,.0f", rt) : "failed");
                cells.add(String.join(" / ", rts) + (m.errors() > 0 ? " (" + m.errors() + " errors)" : ""));
                cells.add(ratio(m.rtPerSec(), netty == null ? Double.NaN : netty.rtPerSec()));
                cells.add(ratio(m.rtPerSec(), c == null ? Double.NaN : c.rtPerSec()));
                cells.add(micros(m.p50Us()));
                cells.add(micros(m.p99Us()));
                cells.add(micros(m.p999Us()));
                cells.add(Double.isNaN(m.serverCpuUsPerRt()) ? "—" : fmt("%.2f", m.serverCpuUsPerRt()));
                cells.add(ratio(m.serverCpuUsPerRt(), netty == null ? Double.NaN : netty.serverCpuUsPerRt()));
                cells.add(ratio(m.serverCpuUsPerRt(), c == null ? Double.NaN : c.serverCpuUsPerRt()));
                cells.add(share(m.serverCpuShare()));
                cells.add(share(m.clientCpuShare()));
            }
            if (syscalls) cells.add(syscallCell(results.syscalls(s, server), syscallNote));
            md.append("| ").append(String.join(" | ", cells)).append(" |\n");
        }
        md.append('\n');
    }

    /** Which calls make up the count: the reader optimising a hot path wants to know. */
    private static void syscallTable(StringBuilder md, EchoOptions o, EchoResults results, Scenario s, String note) {
        md.append("### System calls per round trip (").append(s.name()).append(")\n\n");
        md.append(fmt("Counted by `strace -c -f -p PID` attached to a fresh server during a separate window of"
                + " at least %s s and %,d round trips (after a %s s warm-up), divided by the round trips in that"
                + " window; all threads, so a JVM's background threads count too. The same count, in a window of"
                + " its own per scenario, is the syscalls/rt column of every table. Work a server hands to an"
                + " io_uring ring is no system call: only its io_uring_enter calls count.%s%n%n", num(o.syscallDuration()),
                o.syscallMinRoundTrips(), num(o.syscallWarmup()),
                note.isEmpty() ? "" : " " + note));
        md.append("| server | syscalls/rt | most frequent, per rt |\n|---|---:|---|\n");
        for (EchoServerKind server : o.servers()) {
            SyscallCount c = results.syscalls(s, server);
            String top = "—";
            if (c != null && c.failure() == null) {
                List<String> parts = new ArrayList<>();
                c.byName().entrySet().stream().sorted(Map.Entry.<String, Long>comparingByValue(Comparator.reverseOrder()))
                        .limit(5).forEach(e -> parts.add(e.getKey() + " " + fmt("%.2f", e.getValue() / c.roundTrips())));
                top = String.join(", ", parts);
            }
            md.append("| ").append(results.label(server)).append(" | ").append(syscallCell(c, note)).append(" | ").append(top).append(" |\n");
        }
        md.append('\n');
    }

    /** What each server's fds showed: the check that an io_uring row really ran on a ring. */
    private static void pollerList(StringBuilder md, EchoOptions o, EchoResults results) {
        md.append("### Pollers\n\n");
        md.append("The kernel poller each server held, read from its open fds (/proc/PID/fd: `anon_inode:[io_uring]`,"
                + " `anon_inode:[eventpoll]`) after its load, before it was stopped; xiio's rows ask for theirs with `-Dxiio.poller`. A row"
                + " that asked for io_uring and held no ring is named so in every table.\n\n");
        for (EchoServerKind server : o.servers()) {
            PollerProbe p = results.poller(server);
            md.append("- ").append(server.label).append(": asked for ").append(server.poller).append(", held ")
                    .append(p == null ? "(not seen)" : p.toString()).append('\n');
        }
        md.append('\n');
    }

    static String syscallCell(SyscallCount c, String note) {
        if (c == null) return note.isEmpty() ? "—" : "n/a";
        if (c.failure() != null) return "failed";
        return fmt("%.2f", c.perRoundTrip());
    }

    /** The 1-minute load average from /proc/loadavg, or "unknown". */
    static String loadAverage() {
        try {
            return java.nio.file.Files.readString(java.nio.file.Path.of("/proc/loadavg")).split(" ")[0];
        } catch (java.io.IOException e) {
            return "unknown";
        }
    }

    static String ratio(double value, double reference) {
        if (Double.isNaN(value) || Double.isNaN(reference) || reference == 0) return "—";
        return fmt("%.2fx", value / reference);
    }

    private static String micros(double us) {
        return us >= 100 ? fmt("%,.0f", us) : fmt("%.1f", us);
    }

    private static String share(double fraction) {
        return Double.isNaN(fraction) ? "—" : fmt("%.0f%%", fraction * 100);
    }

    private static String num(double seconds) {
        return seconds == Math.rint(seconds) ? Long.toString((long) seconds) : Double.toString(seconds);
    }

    static String fmt(String format, Object... args) {
        return String.format(Locale.ROOT, format, args);
    }
}
