package xiio.bench.core;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import xiio.bench.MachineInfo;

/**
 * {@code ./xiio bench core --threads-only [--output FILE]}: what waiting for another
 * thread costs the loop ({@link ThreadWakeupProbe}, a fresh JVM per backend): a
 * {@code ThreadPool.call} warm, cold (one per run, beside an empty run) and 64 at once,
 * a {@code Futures.await}, a {@code LoopGroup.Loop.call} round trip, and the control
 * row, an eventfd opened, registered, read and closed per call (the mechanism before
 * one eventfd per run). CPU per operation, not wall time: the machine is shared.
 */
final class ThreadWakeupBench {
    static final List<String> BACKENDS = List.of("continuation", "vthread");

    /** One case on one backend, per operation. */
    record Row(String backend, String kind, long loopCpuNanos, long processCpuNanos, long wallNanos) {}

    private ThreadWakeupBench() {}

    static List<Row> measure(boolean smoke, Path logs, PrintStream progress) throws IOException, InterruptedException {
        int n = smoke ? 200 : 20_000;
        List<Row> rows = new ArrayList<>();
        for (String backend : BACKENDS) {
            progress.printf("core threads: %s backend, %,d operations per case, fresh JVM%n", backend, n);
            // a LoopGroup on the virtual-thread backend needs a carrier per loop and one to spare
            List<String> jvm = backend.equals("vthread")
                    ? List.of("-Dxiio.backend=vthread", "-Djdk.virtualThreadScheduler.parallelism=4")
                    : List.of("-Dxiio.backend=" + backend);
            for (var r : ChildJvm.run(ThreadWakeupProbe.class, jvm,
                    List.of(String.valueOf(n), String.valueOf(n)), Duration.ofMinutes(20),
                    logs.resolve("thread-wakeups-" + backend + ".log"))) {
                // the loop runs on the probe's thread only on the continuation backend
                long loop = backend.equals("continuation") ? r.getLong("loop_cpu_ns") : -1;
                rows.add(new Row(backend, r.get("case"), loop, r.getLong("process_cpu_ns"), r.getLong("wall_ns")));
            }
        }
        return rows;
    }

    static String render(List<Row> rows, boolean smoke, MachineInfo machine, String command) {
        StringBuilder md = new StringBuilder();
        md.append("## Waiting for another thread\n\n");
        if (smoke) md.append("**Smoke run: tiny counts, figures that mean nothing.**\n\n");
        md.append("`").append(command).append("`; ").append(machine.date()).append(", ").append(machine.cpu())
                .append(", kernel ").append(machine.kernel()).append(", ").append(machine.jdk()).append(".\n\n");
        md.append("""
                Per operation: the loop thread's CPU (continuation backend only, where the loop \
                runs on the probe's thread), the whole process's CPU (workers and GC included) and \
                the wall time, which on a shared machine is noise. `eventfd-per-call` is the control: \
                an eventfd opened, awaited, read and closed per call, as every call did before a run \
                shared one.

                | backend | case | loop CPU (us) | process CPU (us) | wall (us) |
                |---|---|---:|---:|---:|
                """);
        for (Row r : rows) {
            md.append("| ").append(r.backend()).append(" | ").append(r.kind()).append(" | ")
                    .append(r.loopCpuNanos() < 0 ? "-" : micros(r.loopCpuNanos())).append(" | ")
                    .append(micros(r.processCpuNanos())).append(" | ").append(micros(r.wallNanos())).append(" |\n");
        }
        return md.toString();
    }

    private static String micros(long nanos) {
        return String.format("%.1f", nanos / 1000.0);
    }
}
