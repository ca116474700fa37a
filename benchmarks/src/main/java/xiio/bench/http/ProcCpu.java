package xiio.bench.http;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * CPU time (user + system, all threads) a process has used, from {@code /proc/PID/stat}.
 * The kernel counts it in clock ticks ({@code getconf CLK_TCK}, 100 a second on
 * Linux), so a window needs to be seconds long for the figure to mean something.
 */
final class ProcCpu {
    private static final long NANOS_PER_TICK = TimeUnit.SECONDS.toNanos(1) / clockTicksPerSecond();

    private ProcCpu() {}

    /** CPU time used so far by process {@code pid}, in nanoseconds. */
    static long nanos(long pid) throws IOException {
        String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
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
