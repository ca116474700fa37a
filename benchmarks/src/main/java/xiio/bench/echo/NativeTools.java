package xiio.bench.echo;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.concurrent.TimeUnit;
import xiio.bench.BenchDir;
import xiio.bench.Executables;

/** Compiles the benchmark's C programs with {@code gcc -O2} into target/, only when a source is newer. */
final class NativeTools {
    private NativeTools() {}

    /** The executable built from {@code src/main/c/NAME.c}, compiled first if missing or stale. */
    static Path build(BenchDir dir, String name) throws IOException, InterruptedException {
        Path source = dir.cSource(name);
        Path binary = dir.target().resolve(name);
        if (Files.isExecutable(binary)
                && Files.getLastModifiedTime(binary).compareTo(Files.getLastModifiedTime(source)) >= 0) {
            return binary;
        }
        if (!Executables.onPath("gcc")) {
            throw new IOException("gcc is needed to build " + source + ": install the gcc package"
                    + " (./xiio bench installs what .ci/packages lists)");
        }
        Files.createDirectories(dir.target());
        // build beside it and rename: a runner starting at the same time never runs half a file
        Path partial = Files.createTempFile(dir.target(), name, ".partial");
        Process gcc = new ProcessBuilder(List.of("gcc", "-O2", "-Wall", "-o", partial.toString(), source.toString()))
                .redirectErrorStream(true).redirectInput(Executables.NO_INPUT).start();
        String output;
        try (var in = gcc.getInputStream()) {
            output = new String(in.readAllBytes());
        }
        if (!gcc.waitFor(60, TimeUnit.SECONDS) || gcc.exitValue() != 0) {
            Files.deleteIfExists(partial);
            throw new IOException("gcc failed on " + source + ":\n" + output);
        }
        Files.move(partial, binary, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        return binary;
    }
}
