package xiio.bench.http;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Pins a command to one CPU with {@code taskset -c N}: the server on CPU 0, the load
 * generator on CPU 1, so they never compete for a core. Without taskset, or with
 * fewer than two CPUs, commands run unpinned and the report says so.
 */
final class CpuPinning {
    static final int SERVER_CPU = 0;
    static final int LOAD_CPU = 1;

    private final String taskset;

    private CpuPinning(String taskset) {
        this.taskset = taskset;
    }

    /** Pinning with taskset if it is on the PATH and this machine has two CPUs. */
    static CpuPinning detect() {
        if (Runtime.getRuntime().availableProcessors() < 2) return new CpuPinning(null);
        for (String dir : System.getenv().getOrDefault("PATH", "/usr/bin:/bin").split(":")) {
            Path p = Path.of(dir.isEmpty() ? "." : dir, "taskset");
            if (Files.isExecutable(p)) return new CpuPinning(p.toString());
        }
        return new CpuPinning(null);
    }

    boolean active() {
        return taskset != null;
    }

    /** {@code command}, run on {@code cpu} when pinning is active. taskset execs it, so the pid stays the command's. */
    List<String> pin(int cpu, List<String> command) {
        if (taskset == null) return command;
        List<String> pinned = new ArrayList<>(List.of(taskset, "-c", Integer.toString(cpu)));
        pinned.addAll(command);
        return pinned;
    }
}
