package xiio.examples;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import xiio.concurrent.Channel;
import xiio.concurrent.TaskGroup;
import xiio.io.FdStream;
import xiio.io.Stdio;
import xiio.io.StreamReader;
import xiio.signal.SignalExitException;
import xiio.signal.Signals;

/**
 * Runs shell commands, one per line, at most {@code -j} at a time. Usage:
 * {@code ./xiio parallel -j 4 jobs.txt}, or {@code generate-commands | ./xiio parallel}.
 *
 * <p>Commands are read as they come (a reader task feeds a bounded {@link Channel};
 * {@code -j} worker tasks take from it), so jobs start before the input ends. Each
 * job's stdout and stderr lines are passed on as they arrive, prefixed with the
 * job's number ({@code [3] line}); see {@link ParallelJob}. At the end, a summary
 * on stderr: each job's status and time. Exit status 0 if every job succeeded, 1 if
 * any failed; {@code --fail-fast} stops everything at the first failure. Ctrl-C (or
 * SIGTERM) stops every job (SIGTERM to its process group, SIGKILL 2 s later), prints
 * the summary, and exits with 130 (143).
 */
@Command(name = "parallel", mixinStandardHelpOptions = true,
        description = {"Run shell commands (one per line, from FILE or stdin), at most -j at a time, with each output line"
            + " prefixed by its job number; a summary on stderr at the end.",
            "Exit status 1 if any job failed. --fail-fast stops all jobs at the first failure; so does Ctrl-C."})
final class Parallel implements Callable<Integer> {
    @Parameters(arity = "0..1", paramLabel = "FILE", description = "Commands, one per line ('-' or none: stdin).")
    Path file;

    @Option(names = {"-j", "--jobs"}, defaultValue = "4", description = "Jobs at a time (default: ${DEFAULT-VALUE}).")
    int jobs;

    @Option(names = "--fail-fast", description = "At the first failing job, stop the others and start no more.")
    boolean failFast;

    private final List<ParallelJob> all = new ArrayList<>();
    private boolean stopping;

    @Override
    public Integer call() throws Exception {
        if (jobs < 1) throw new IllegalArgumentException("-j must be at least 1, got " + jobs);
        // a file is read up front (plain blocking I/O, before the loop runs); stdin as it comes
        List<String> fromFile = file == null || file.toString().equals("-") ? null : Files.readAllLines(file);
        long t0 = System.nanoTime();
        int status;
        try {
            status = Signals.runCancellable(() -> runAll(fromFile));
        } catch (SignalExitException stopped) {
            status = stopped.exitStatus();
        }
        summary(Duration.ofNanos(System.nanoTime() - t0));
        return status;
    }

    private int runAll(List<String> fromFile) throws Exception {
        try (FdStream stdout = Stdio.stdout(); FdStream stderr = Stdio.stderr()) {
            LinePrinter out = new LinePrinter(stdout, 1024, null), err = new LinePrinter(stderr, 1024, null);
            TaskGroup.scope(group -> {
                group.spawn("stdout", out::run);
                group.spawn("stderr", err::run);
                Channel<ParallelJob> queue = new Channel<>(jobs);
                TaskGroup.scope(running -> {
                    running.spawn("reader", () -> {
                        try (queue) {
                            read(fromFile, queue);
                        }
                        return null;
                    });
                    for (int w = 1; w <= jobs; w++) {
                        running.spawn("worker " + w, () -> {
                            for (ParallelJob job : queue) {
                                if (stopping) break; // taking a queued job needs no wait, so no cancellation would stop us
                                job.run(out, err);
                                if (failFast && !job.succeeded()) {
                                    stopping = true;
                                    running.cancel(); // the other jobs, the reader, and this worker
                                }
                            }
                            return null;
                        });
                    }
                    return null;
                });
                out.close();
                err.close();
                return null;
            });
        }
        return all.stream().allMatch(ParallelJob::succeeded) ? 0 : 1;
    }

    /** Feeds the queue; {@code send} waits while {@code -j} jobs are already queued. */
    private void read(List<String> fromFile, Channel<ParallelJob> queue) throws IOException {
        if (fromFile != null) {
            for (String line : fromFile) add(line, queue);
            return;
        }
        try (FdStream stdin = Stdio.stdin()) {
            StreamReader in = new StreamReader(stdin);
            for (String line; (line = in.readLine(64 * 1024)) != null; ) add(line, queue);
        }
    }

    private void add(String line, Channel<ParallelJob> queue) {
        if (line.isBlank() || line.strip().startsWith("#")) return;
        ParallelJob job = new ParallelJob(all.size() + 1, line.strip());
        all.add(job);
        queue.send(job);
    }

    /** The table at the end, on stderr; written after the loop has ended, so plain blocking output is fine. */
    private void summary(Duration wall) {
        long ok = all.stream().filter(ParallelJob::succeeded).count();
        long cancelled = all.stream().filter(j -> j.state() == ParallelJob.State.CANCELLED).count();
        long notRun = all.stream().filter(j -> j.state() == ParallelJob.State.NOT_RUN).count();
        long failed = all.size() - ok - cancelled - notRun;
        StringBuilder b = new StringBuilder(String.format(Locale.ROOT,
                "parallel: %d jobs, %d at a time: %d ok, %d failed, %d cancelled, %d not run in %.2f s%n",
                all.size(), jobs, ok, failed, cancelled, notRun, wall.toNanos() / 1e9));
        for (ParallelJob j : all) {
            b.append(String.format(Locale.ROOT, "  [%d] %-18s %7s  %s%n", j.number(), j.outcome(),
                    j.state() == ParallelJob.State.NOT_RUN ? "" : String.format(Locale.ROOT, "%.2f s", j.seconds()), j.command()));
        }
        System.err.print(b);
        System.err.flush();
    }
}
