package xiio.bench.http;

import java.util.List;
import xiio.bench.CpuPinning;

/** The markdown fragment for BENCHMARKS.md: what was measured, the table, the machine, the commands. */
final class ResultReport {
    private ResultReport() {}

    static String render(List<Measurement> all, BenchPlan plan, RunConditions conditions, CpuPinning pinning,
            String commandLine, String wrkCommand) throws java.io.IOException {
        StringBuilder md = new StringBuilder();
        md.append("## HTTP hello (wrk)\n\n");
        md.append("`GET /` of the http example's hello page (").append(HelloPage.BODY.length)
                .append("-byte body, keep-alive) against a Netty HTTP/1.1 server sending the same bytes. Each server is a fresh JVM")
                .append(pinning.enabled() ? " pinned to CPU 0" : " (unpinned: no taskset or one CPU)")
                .append(", loaded by wrk (one thread").append(pinning.enabled() ? ", pinned to CPU 1" : "")
                .append(") for ").append(plan.warmup().toSeconds()).append(" s of warm-up, then ")
                .append(plan.duration().toSeconds()).append(" s measured; ").append(plan.runs())
                .append(plan.runs() == 1 ? " run" : " runs, each against a fresh server, shown as \"first / second\"")
                .append(". Server CPU is user + system time of the whole JVM over the measured window")
                .append(" (/proc/PID/stat), per request, JIT compiler and GC threads included; \"loop thread\" is the busiest")
                .append(" thread alone (/proc/PID/task/*/stat), the event loop. Ratios compare the runs' means to Netty epoll's.")
                .append(" The Netty server formats its Date header once a second; the example formats it per response.\n\n");
        md.append(ResultTable.render(all)).append('\n');
        List<Measurement> unclean = all.stream().filter(m -> !m.wrk().clean() || m.serverExitStatus() != 0).toList();
        for (Measurement m : unclean) {
            md.append("- **").append(m.server().id).append(" c=").append(m.connections()).append(" run ").append(m.run())
                    .append("**: ").append(m.wrk().socketErrors()).append(" socket errors, ").append(m.wrk().non2xx3xx())
                    .append(" non-2xx/3xx responses, server exit status ").append(m.serverExitStatus()).append('\n');
        }
        if (!unclean.isEmpty()) md.append('\n');
        md.append("Servers: ");
        md.append(String.join("; ", plan.servers().stream().map(s -> "`" + s.id + "` " + s.description).toList())).append(".\n\n");
        var machine = conditions.machine();
        md.append("Machine: ").append(machine.date()).append(", ").append(machine.cpu()).append(", Linux ").append(machine.kernel())
                .append(", JDK ").append(machine.jdk()).append(", ").append(conditions.wrk())
                .append(", load average ").append(conditions.loadBefore()).append(" at the start and ").append(RunConditions.loadAverage())
                .append(" at the end (1 minute; above 2 other work shared these CPUs and blurs every figure).\n\n");
        md.append("Command: `").append(commandLine).append("`; each measurement: `").append(wrkCommand).append("`.\n");
        return md.toString();
    }
}
