package xiio.bench.core;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import xiio.bench.MachineInfo;

/** Renders the core bounds' markdown fragment: each row with its target and PASS or FAIL, then the machine. */
final class CoreBoundsReport {
    static final String TITLE = "## Core bounds: fairness, shared waits, cold cancellation";

    private static final Map<String, String> SHARED_LABELS = Map.of(
            "event", "one `Event`, each in its own `withTimeoutOrNull`",
            "fd", "one pipe's readability (nobody writes), each in its own `withTimeoutOrNull`",
            "sleep", "control: plain sleeps, nothing shared");
    private static final Map<String, String> COLD_LABELS = Map.of(
            "cancel", "xiio: tasks asleep in one group, the group cancelled",
            "timeout", "xiio: tasks asleep, each in `withTimeoutOrNull` with the same deadline, which passes",
            "fdclose", "xiio: tasks awaiting one pipe's readability, the fd closed through the library",
            "vthreads", "JDK virtual threads in `Thread.sleep`, interrupted and joined (comparison)");

    private CoreBoundsReport() {}

    static String render(CoreBounds.Figures f, CoreBounds.Plan plan, MachineInfo machine, String command) {
        StringBuilder md = new StringBuilder(TITLE).append("\n\n");
        md.append("""
                Three promises of the engine, each measured in fresh JVMs (the backend is chosen \
                once per JVM, and a cold path is cold only in a JVM that never ran it), each row \
                against its target: a PASS is the promise kept on this machine, a FAIL a defect \
                of the engine, not of the benchmark.

                """);
        starvation(md, f.starvation(), plan);
        scaling(md, f.scaling(), plan);
        cold(md, f.cold());
        md.append("### Machine and command\n\n");
        md.append("- date: ").append(machine.date()).append("\n");
        md.append("- CPU: ").append(machine.cpu()).append("\n");
        md.append("- kernel: ").append(machine.kernel()).append("\n");
        md.append("- JDK: ").append(machine.jdk()).append("\n");
        md.append("- JVMs: `").append(String.join(" ", CoreBench.JVM_FLAGS)).append("`; shared waits `")
                .append(String.join(" ", CoreBounds.SHARED_HEAP)).append("`, cold rows `")
                .append(CoreBounds.COLD_HEAP).append("`").append(plan.smoke() ? " (smoke mode: tiny counts, the figures and verdicts mean nothing)" : "")
                .append("\n");
        md.append("- command: `").append(command).append("`\n");
        return md.toString();
    }

    private static void starvation(StringBuilder md, List<CoreBounds.Starvation> rows, CoreBounds.Plan plan) {
        md.append("### Starvation: a 10 ms sleep beside an always-ready task\n\n");
        md.append(String.format(Locale.ROOT, """
                One task loops on `Xiio.yieldNow()` (always ready) while another, beside it in the \
                innermost of 1, 2 or 3 nested task groups, sleeps 10 ms on the real clock, %d times \
                after %d unmeasured, in each of %d fresh JVMs; "worst" is the longest of those sleeps \
                in the best run (the least worst: a loaded machine only ever makes a sleep later), \
                "extra" what it took beyond 10 ms. The idle control is the same sleeps in the same \
                nesting with nothing busy beside them, in the same JVMs: the lateness the machine \
                adds to a sleeping JVM. A busy JVM on a loaded machine is descheduled for longer \
                (it has used its time slice), which no control captures; the figure machine load \
                cannot change is "most yields after a deadline", the most resumes of the busy \
                task, over all runs, between a sleep's deadline and its end: how long the engine \
                itself took to see the timer due. A starved sleep is given up after %s (the busy task then stops) and \
                shown as "> %s". The target follows from the bound the engine states (the poller \
                is consulted at least every 256 resumes and every 1 ms, whatever the nesting): a due \
                timer is seen within a few ms, the same at every depth.

                """, plan.repetitions(), plan.warmups(), plan.starvationRuns(), seconds(plan.giveUpMillis()),
                seconds(plan.giveUpMillis())));
        md.append("| backend | nested groups | worst sleep, each run | worst sleep | median sleep | worst extra delay | idle control: worst extra | yields meanwhile | most yields after a deadline | target | result |\n");
        md.append("|---|---:|---:|---:|---:|---:|---:|---:|---:|---|---|\n");
        for (CoreBounds.Starvation r : rows) {
            String over = "> " + seconds(plan.giveUpMillis());
            md.append("| ").append(r.backend()).append(" | ").append(r.depth())
                    .append(" | ").append(String.join(" / ", r.worstPerRun().stream().map(w -> w == Long.MAX_VALUE ? over : millis(w)).toList()))
                    .append(" | ").append(r.gaveUp() ? over : millis(r.worstNanos()))
                    .append(" | ").append(r.gaveUp() ? "-" : millis(r.medianNanos()))
                    .append(" | ").append(r.gaveUp() ? over : millis(r.worstExtraNanos()))
                    .append(" | ").append(millis(r.idleWorstExtraNanos()))
                    .append(" | ").append(String.format(Locale.ROOT, "%,d", r.yields()))
                    .append(" | ").append(String.format(Locale.ROOT, "%,d", r.worstYieldsLate()))
                    .append(" | extra <= ").append(CoreBounds.STARVATION_TARGET.toMillis()).append(" ms at every depth")
                    .append(" | ").append(r.pass() ? "PASS" : "FAIL").append(" |\n");
        }
        md.append("\n");
    }

    private static void scaling(StringBuilder md, List<CoreBounds.Scaling> rows, CoreBounds.Plan plan) {
        md.append("### Shared-wait scaling: N waiters on one thing, each with its own timeout\n\n");
        md.append(String.format(Locale.ROOT, """
                On the virtual clock (`VirtualClock.run`), continuation backend: N tasks each wait \
                for the same thing inside its own `Timeout.withTimeoutOrNull`, the deadlines 1 µs \
                apart in spawn order, so they expire oldest first and each expiry takes one waiter \
                out of many. One run is the whole group: spawning, waiting, every expiry; the table \
                shows the best of %d runs per N (after %d unmeasured runs at the smallest N). \
                Target: O(N log N), that is time(largest N) / time(smallest N) at most %.1f times \
                (N log N)'s growth over the range; the bound is on the whole range, because a \
                single doubling can jump when the tasks outgrow a cache level. The doubling \
                ratios time(2N) / time(N) are shown for reading (N log N alone gives about 2.1).

                """, plan.repeats(), SharedWaitProbe.WARMUPS, CoreBounds.SCALING_SLACK));
        List<Integer> ns = plan.waiters();
        md.append("| N tasks wait on |");
        for (int n : ns) md.append(" N = ").append(count(n)).append(" |");
        String range = "time(" + shortCount(ns.getLast()) + ") / time(" + shortCount(ns.getFirst()) + ")";
        md.append(" time(2N) / time(N) | ").append(range).append(" | target | result |\n|---|");
        md.append("---:|".repeat(ns.size())).append("---|---:|---|---|\n");
        for (CoreBounds.Scaling r : rows) {
            md.append("| ").append(SHARED_LABELS.getOrDefault(r.kind(), r.kind())).append(" |");
            for (long t : r.bestNanos()) md.append(" ").append(millis(t)).append(" |");
            md.append(" ").append(String.join(" / ", r.ratios().stream().map(x -> String.format(Locale.ROOT, "%.2f", x)).toList()))
                    .append(String.format(Locale.ROOT, " | %.1f | <= %.1f | ", r.growth(), r.bound()))
                    .append(r.pass() ? "PASS" : "FAIL").append(" |\n");
        }
        md.append("\n");
    }

    private static void cold(StringBuilder md, List<CoreBounds.Cold> rows) {
        md.append("### Cold cancellation: the first mass wake-up of a fresh JVM\n\n");
        md.append(String.format(Locale.ROOT, """
                Each row in a JVM of its own that has never run the path: N suspended tasks, all \
                woken by one act, timed from that act until the last has ended and the group's \
                scope has returned (a shutdown is usually the first and only time this runs, so it \
                must not wait for the JIT to learn it). "setup" is spawning until all wait, not \
                part of the figure. Target: %,d ns per task, so 1,000,000 tasks within 1 s.

                """, CoreBounds.COLD_TARGET_PER_TASK.toNanos()));
        md.append("| what | tasks | setup | first wake-up of all | per task | target | result |\n");
        md.append("|---|---:|---:|---:|---:|---|---|\n");
        for (CoreBounds.Cold r : rows) {
            md.append("| ").append(COLD_LABELS.getOrDefault(r.kind(), r.kind()))
                    .append(" | ").append(count(r.tasks()))
                    .append(" | ").append(millis(r.setupNanos()))
                    .append(" | ").append(millis(r.nanos()))
                    .append(" | ").append(micros((double) r.nanos() / r.tasks()))
                    .append(" | ").append(r.hasTarget() ? "<= " + millis(r.targetNanos()) : "none: the peer")
                    .append(" | ").append(r.hasTarget() ? (r.pass() ? "PASS" : "FAIL") : "-").append(" |\n");
        }
        md.append("\n");
    }

    /** 160000 as "160k". */
    private static String shortCount(int n) {
        return n % 1000 == 0 ? n / 1000 + "k" : String.valueOf(n);
    }

    private static String count(int n) {
        return String.format(Locale.ROOT, "%,d", n);
    }

    private static String seconds(long millis) {
        return millis % 1000 == 0 ? (millis / 1000) + " s" : millis + " ms";
    }

    /** Three significant digits are all a shared machine can tell apart. */
    static String millis(long nanos) {
        double ms = nanos / 1e6;
        if (ms >= 10_000) return String.format(Locale.ROOT, "%,.1f s", ms / 1000);
        if (ms >= 100) return String.format(Locale.ROOT, "%,.0f ms", ms);
        if (ms >= 10) return String.format(Locale.ROOT, "%.1f ms", ms);
        return String.format(Locale.ROOT, "%.2f ms", ms);
    }

    private static String micros(double nanos) {
        double us = nanos / 1e3;
        if (us >= 100) return String.format(Locale.ROOT, "%,.0f µs", us);
        if (us >= 10) return String.format(Locale.ROOT, "%.1f µs", us);
        return String.format(Locale.ROOT, "%.2f µs", us);
    }
}
