package xiio.bench;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;

/** The tools the benchmarks run (gcc, taskset, strace): whether one is installed, and what a child reads. */
public final class Executables {
    private Executables() {}

    /** A child's stdin: nothing, so that none waits for the terminal. */
    public static final ProcessBuilder.Redirect NO_INPUT = ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile());

    /** Whether {@code name} is an executable file in a directory of {@code PATH}. */
    public static boolean onPath(String name) {
        String path = System.getenv().getOrDefault("PATH", "/usr/bin:/bin");
        for (String dir : path.split(File.pathSeparator)) {
            if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, name))) return true;
        }
        return false;
    }
}
