package xiio.bench.core;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import xiio.bench.MachineInfo;

/** Renders the core section's markdown fragment: what each row measures, the table, the machine. */
final class CoreReport {
    /** A row of the table: a benchmark class with its {@code xiio} and {@code virtualThreads} methods. */
    record Topic(String benchClass, String label, String op) {}

    static final List<Topic> TOPICS = List.of(
            new Topic("PingPongBench", "ping-pong", "one hand-off: xiio Channel(1) between two tasks / SynchronousQueue between two virtual threads, "
                    + count(PingPongBench.ROUND_TRIPS) + " round trips per run"),
            new Topic("YieldBench", "yield", "one yield: two tasks each calling Xiio.yieldNow() / two virtual threads each calling Thread.yield(), "
                    + count(YieldBench.YIELDS_EACH) + " times each"),
            new Topic("SpawnBench", "spawn + join", "one task that returns at once: " + count(SpawnBench.TASKS)
                    + " in a TaskGroup / " + count(SpawnBench.TASKS) + " virtual threads started, then joined"),
            new Topic("SleepCancelBench", "sleep + cancel", "one task: " + count(SleepCancelBench.TASKS)
                    + " tasks asleep for an hour, the group cancelled and ended / " + count(SleepCancelBench.TASKS)
                    + " virtual threads in Thread.sleep, interrupted and joined"));

    private CoreReport() {}

    static String render(Map<String, CoreBench.Score> scores, CoreBench.Plan plan, MachineInfo machine, String command) {
        StringBuilder md = new StringBuilder("## Core primitives (JMH)\n\n");
        md.append("""
                The runtime's primitives against the same work done by JDK virtual threads, each in a \
                fresh JMH fork. xiio runs the continuation backend, all its tasks on the one thread of \
                an `Xiio.run` (whose setup, a new epoll instance, is inside every run and spread over \
                its ops); virtual threads run on the JDK's default scheduler, one carrier per CPU. \
                "ns/op" is JMH's average time per op with its 99.9% error; "B/op" is the heap \
                allocated per op (JMH's GC profiler, gc.alloc.rate.norm). The ratio is virtual \
                threads' time over xiio's: above 1.00x, xiio is faster.

                Virtual threads use every CPU, so their wake-ups differ from run to run: the \
                scheduler may keep a woken thread on the waker's carrier (cheap) or hand it to \
                another carrier (a cross-CPU wake-up, dearer still when other processes load that \
                CPU). Which one it settles on varies between forks, so the virtual threads' \
                ping-pong and yield figures can differ several times between two runs of this \
                section; xiio's, all on one thread, move by a few percent.

                """);
        md.append("| benchmark | xiio ns/op | virtual threads ns/op | virtual threads / xiio | xiio B/op | virtual threads B/op |\n");
        md.append("|---|---:|---:|---:|---:|---:|\n");
        for (Topic t : TOPICS) {
            CoreBench.Score x = scores.get(t.benchClass() + ".xiio");
            CoreBench.Score v = scores.get(t.benchClass() + ".virtualThreads");
            md.append("| ").append(t.label())
                    .append(" | ").append(time(x)).append(" | ").append(time(v))
                    .append(" | ").append(x == null || v == null ? "-" : String.format(Locale.ROOT, "%.2fx", v.nsPerOp() / x.nsPerOp()))
                    .append(" | ").append(bytes(x)).append(" | ").append(bytes(v)).append(" |\n");
        }
        md.append("\nWhat one op is:\n\n");
        for (Topic t : TOPICS) md.append("- ").append(t.label()).append(" (`").append(t.benchClass()).append("`): ").append(t.op()).append("\n");
        md.append("\n### Machine and command\n\n");
        md.append("- date: ").append(machine.date()).append("\n");
        md.append("- CPU: ").append(machine.cpu()).append("\n");
        md.append("- kernel: ").append(machine.kernel()).append("\n");
        md.append("- JDK: ").append(machine.jdk()).append("\n");
        md.append(String.format(Locale.ROOT, "- JMH 1.37: 1 fork per benchmark with `%s`; mode AverageTime; %d warm-up and %d measured iteration(s) of %d ms; GC profiler%s%n",
                String.join(" ", CoreBench.JVM_FLAGS), plan.warmups(), plan.measurements(), plan.iterationMillis(),
                plan.smoke() ? " (smoke mode: the figures mean nothing)" : ""));
        md.append("- command: `").append(command).append("`\n");
        return md.toString();
    }

    private static String time(CoreBench.Score s) {
        if (s == null) return "-";
        if (Double.isNaN(s.error())) return number(s.nsPerOp());
        return number(s.nsPerOp()) + " ± " + number(s.error());
    }

    private static String bytes(CoreBench.Score s) {
        return s == null || Double.isNaN(s.bytesPerOp()) ? "-" : number(s.bytesPerOp());
    }

    private static String count(int n) {
        return String.format(Locale.ROOT, "%,d", n);
    }

    /** Three significant digits are all a shared machine can tell apart. */
    private static String number(double v) {
        if (v >= 1000) return String.format(Locale.ROOT, "%,.0f", v);
        if (v >= 100) return String.format(Locale.ROOT, "%.0f", v);
        if (v >= 10) return String.format(Locale.ROOT, "%.1f", v);
        return String.format(Locale.ROOT, "%.2f", v);
    }
}
