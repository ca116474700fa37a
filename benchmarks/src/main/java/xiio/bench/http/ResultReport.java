package xiio.bench.http;

import java.util.List;
import xiio.bench.CpuPinning;

/** The markdown fragment for BENCHMARKS.md: what was measured, the tables, the targets, the machine, the commands. */
final class ResultReport {
    private ResultReport() {}

    static String render(List<Measurement> all, BenchPlan plan, RunConditions conditions, CpuPinning pinning,
            String commandLine, BenchRunner runner) throws java.io.IOException {
        StringBuilder md = new StringBuilder();
        md.append("## HTTP (wrk)\n\n");
        md.append("The xiio http server against Netty 4.2's HTTP codec, Helidon SE 4.5's web server and the JDK's")
                .append(" `com.sun.net.httpserver` (both on virtual threads), every server answering the same routes with")
                .append(" the same bodies: `GET /` the hello page (").append(HelloPage.BODY.length)
                .append("-byte body), pipelined ").append(HttpScenario.PIPELINE_DEPTH).append(" deep as in TechEmpower's plaintext")
                .append(" test, and `POST /echo` of a ").append(String.format("%,d", HttpScenario.ECHO_BYTES))
                .append("-byte body, answered with it, each server in its best way (Netty gathers the body's pooled")
                .append(" off-heap buffers into one composite without a copy; xiio streams it back as it arrives, `POST /echo/stream`;")
                .append(" Helidon and the JDK read it whole); keep-alive throughout. Netty sends the example's bytes exactly; Helidon")
                .append(" and the JDK send the same header fields in their own order (the JDK spells them `Content-type`).")
                .append(" Each server is a fresh JVM per measurement")
                .append(pinning.enabled() ? ", pinned to CPU 0, loaded by wrk (one thread, pinned to CPU 1)" : " (unpinned: no taskset or one CPU)")
                .append(". Its first ").append(plan.cold().toSeconds()).append(" s of traffic are measured on their own as")
                .append(" the cold start (\"cold\": the JVM's first requests, interpreter and JIT compiler at work); then ")
                .append(plan.warmup().toSeconds()).append(" s of warm-up, then ").append(plan.duration().toSeconds())
                .append(" s measured (\"warm\"); ").append(plan.runs())
                .append(plan.runs() == 1 ? " run" : " runs, each against a fresh server, shown as \"first / second\"")
                .append(". Server CPU is user + system time of the whole JVM over the window (/proc/PID/stat), per request,")
                .append(" JIT compiler and GC threads included; \"loop thread\" is the busiest thread alone, the event loop")
                .append(" (for the virtual-thread servers, the busiest carrier). Ratios compare the runs' means. Netty")
                .append(" and Helidon format their Date header once a second, the example and the JDK per response.")
                .append(" Latencies of the pipelined scenario are \"n/a\": wrk records one latency per batch of ")
                .append(HttpScenario.PIPELINE_DEPTH).append(" but ranks its percentiles by responses, which makes them wrong in")
                .append(" pipeline mode (wg/wrk#236: a 99th percentile of 0 µs); its requests/s are right.\n\n");
        md.append(ResultTable.render(all, plan.scenarios()));
        List<Measurement> unclean = all.stream().filter(m -> !m.clean()).toList();
        for (Measurement m : unclean) {
            md.append("- **").append(m.server().id).append(" ").append(m.scenario().name()).append(" run ").append(m.run())
                    .append("**: ").append(m.wrk().socketErrors()).append(" socket errors, ").append(m.wrk().non2xx3xx())
                    .append(" non-2xx/3xx responses").append(m.cold() == null ? "" : " (cold: " + m.cold().socketErrors()
                            + " socket errors, " + m.cold().non2xx3xx() + " non-2xx/3xx)")
                    .append(", server exit status ").append(m.serverExitStatus()).append('\n');
        }
        if (!unclean.isEmpty()) md.append('\n');

        md.append("### Targets on one core (issue 14)\n\n");
        md.append(HttpTargets.render(all, plan.scenarios())).append('\n');

        md.append("### Multi-core: `--loops 2` against 1 loop\n\n");
        md.append("The xiio server on both CPUs (taskset -c 0,1), once with one loop and once with two (`--loops 2`: one")
                .append(" loop per core, SO_REUSEPORT), loaded by wrk with two threads on the same two CPUs. This machine has")
                .append(" only two cores, so wrk takes CPU from the server in both rows: the ratio shows whether a second loop")
                .append(" helps when the load generator needs a core of its own, and what two loops cost per request; it cannot")
                .append(" show how the server scales, since one loop already has about one core to itself and a second can only")
                .append(" take CPU from wrk.\n\n");
        if (all.stream().anyMatch(m -> m.server().multiCore())) md.append(ResultTable.renderMultiCore(all, plan.scenarios())).append('\n');
        else md.append("Not measured in this run.\n\n");
        md.append("On a bigger machine it would be measured like this: the server pinned to N cores with `--loops N`")
                .append(" (N = 1, 2, 4, 8), the load generator on cores of its own (or a second machine over a real NIC)")
                .append(" with enough wrk threads that it is never the limit (its CPU below ~70%); requests/s at N loops over N")
                .append(" times requests/s at one loop is the scaling efficiency, with CPU per request and p99 beside it, and")
                .append(" the same N for Netty (N event loops) and Helidon (N carriers); the requests each loop served show")
                .append(" whether SO_REUSEPORT spread the connections evenly.\n\n");

        md.append("### Pollers\n\n");
        md.append("The kernel poller each server held after its load, read from its open fds (`anon_inode:[io_uring]`,")
                .append(" `anon_inode:[eventpoll]`); xiio's rows ask for theirs with `-Dxiio.poller`.\n\n");
        for (BenchServer s : plan.servers()) {
            var seen = all.stream().filter(m -> m.server() == s).map(m -> m.poller().toString()).distinct().toList();
            if (seen.isEmpty()) continue;
            md.append("- `").append(s.id).append("`: asked for ").append(s.poller).append(", held ").append(String.join("; ", seen)).append('\n');
        }
        md.append('\n');

        md.append("Servers: ");
        md.append(String.join("; ", plan.servers().stream().map(s -> "`" + s.id + "` " + s.description).toList())).append(".\n\n");
        if (!runner.skipped.isEmpty()) md.append("Left out: ").append(String.join("; ", runner.skipped)).append(".\n\n");
        var machine = conditions.machine();
        md.append("Machine: ").append(machine.date()).append(", ").append(machine.cpu()).append(", Linux ").append(machine.kernel())
                .append(", JDK ").append(machine.jdk()).append(", ").append(conditions.wrk())
                .append(", load average ").append(conditions.loadBefore()).append(" at the start and ").append(RunConditions.loadAverage())
                .append(" at the end (1 minute; above 2 other work shared these CPUs and blurs every figure).\n\n");
        md.append("Command: `").append(commandLine).append("`; each measurement: `").append(runner.wrkCommandTemplate())
                .append("` (the multi-core rows: `").append(runner.multiCoreWrkCommandTemplate())
                .append("`), with the scenario's Lua script for the pipelined and the POST scenarios.\n");
        return md.toString();
    }
}
