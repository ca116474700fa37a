package xiio.bench;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;

/** Whether a tool the benchmark can use (gcc, taskset, strace) is installed. */
final class Executables {
    private Executables() {}

    static boolean onPath(String name) {
        String path = System.getenv().getOrDefault("PATH", "/usr/bin:/bin");
        for (String dir : path.split(File.pathSeparator)) {
            if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, name))) return true;
        }
        return false;
    }
}
