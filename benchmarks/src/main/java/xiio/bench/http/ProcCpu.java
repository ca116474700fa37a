package xiio.bench.http;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * CPU time (user + system, all threads) a process has used, from {@code /proc/PID/stat}.
 * The kernel counts it in clock ticks ({@code getconf CLK_TCK}, 100 a second on
 * Linux), so a window needs to be seconds long for the figure to mean something.
 */
final class ProcCpu {
    static final long NANOS_PER_TICK = TimeUnit.SECONDS.toNanos(1) / clockTicksPerSecond();

    private ProcCpu() {}

    /** CPU time used so far by process {@code pid}, in nanoseconds. */
    static long nanos(long pid) throws IOException {
        return fromStat(Path.of("/proc", Long.toString(pid), "stat"));
    }

    /** CPU time used so far by each thread of process {@code pid}: thread id to nanoseconds. */
    static Map<Long, Long> threadNanos(long pid) throws IOException {
        Map<Long, Long> threads = new HashMap<>();
        try (Stream<Path> tasks = Files.list(Path.of("/proc", Long.toString(pid), "task"))) {
            for (Path task : (Iterable<Path>) tasks::iterator) {
                try {
                    threads.put(Long.parseLong(task.getFileName().toString()), fromStat(task.resolve("stat")));
                } catch (NoSuchFileException ended) {
                    // the thread ended while we listed
                }
            }
        }
        return threads;
    }

    /**
     * The most CPU any one thread used between two {@link #threadNanos} readings: the
     * event loop's, without the JIT compiler and GC threads that whole-process time includes.
     */
    static long busiestThreadNanos(Map<Long, Long> before, Map<Long, Long> after) {
        long max = 0;
        for (Map.Entry<Long, Long> t : after.entrySet()) max = Math.max(max, t.getValue() - before.getOrDefault(t.getKey(), 0L));
        return max;
    }

    private static long fromStat(Path file) throws IOException {
        String stat = Files.readString(file);
        // The command name (field 2) is in parentheses and may hold spaces: count fields after the last ')'.
        String[] f = stat.substring(stat.lastIndexOf(')') + 2).trim().split(" +");
        long utime = Long.parseLong(f[14 - 3]), stime = Long.parseLong(f[15 - 3]); // fields 14 and 15 of proc(5)
        return (utime + stime) * NANOS_PER_TICK;
    }

    private static long clockTicksPerSecond() {
        try {
            Process p = new ProcessBuilder("getconf", "CLK_TCK").redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes()).trim();
            if (p.waitFor() == 0) return Long.parseLong(out);
        } catch (IOException | NumberFormatException e) {
            // fall back to the value of every Linux this runs on
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return 100;
    }
}
