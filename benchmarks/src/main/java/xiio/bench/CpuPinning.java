package xiio.bench;

import java.util.ArrayList;
import java.util.List;

/**
 * Server on CPU 0, load generator on CPU 1, each through {@code taskset -c}, so the
 * two never steal each other's core. Without taskset (or with one CPU) everything
 * runs unpinned, and the report says so. Every benchmark section pins this way.
 *
 * @param enabled whether commands are pinned
 * @param note how they run, for reports
 */
public record CpuPinning(boolean enabled, String note) {
    /** The CPU of the server under test. */
    public static final int SERVER_CPU = 0;
    /** The CPU of the load generator. */
    public static final int LOADGEN_CPU = 1;

    /** Pinning with taskset when it is installed and there are two CPUs; otherwise none. */
    public static CpuPinning detect() {
        if (!Executables.onPath("taskset")) {
            return new CpuPinning(false, "unpinned: taskset is not installed (package util-linux)");
        }
        if (Runtime.getRuntime().availableProcessors() < 2) {
            return new CpuPinning(false, "unpinned: fewer than 2 CPUs available");
        }
        return new CpuPinning(true, "server pinned to CPU " + SERVER_CPU + ", load generator to CPU " + LOADGEN_CPU
                + " (taskset -c)");
    }

    /** The words to put before a command to run it on {@code cpu}; none when unpinned. */
    public List<String> prefix(int cpu) {
        return enabled ? List.of("taskset", "-c", Integer.toString(cpu)) : List.of();
    }

    /** {@code command}, run on {@code cpu} when pinning is enabled; taskset execs it, so the pid stays the command's. */
    public List<String> pin(int cpu, List<String> command) {
        List<String> pinned = new ArrayList<>(prefix(cpu));
        pinned.addAll(command);
        return pinned;
    }
}
