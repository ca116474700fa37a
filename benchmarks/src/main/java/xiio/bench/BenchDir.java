package xiio.bench;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Where the benchmarks module lives: its C sources, its target/ for built tools and
 * smoke output, its results/ for the committed figures. {@code ./xiio bench} says so
 * with {@code -Dxiio.bench.dir}; otherwise the working directory is the module (as in
 * its tests) or the project root.
 */
public record BenchDir(Path root) {
    /** From {@code -Dxiio.bench.dir}, or the working directory (the module or the project root). */
    public static BenchDir locate() {
        String given = System.getProperty("xiio.bench.dir");
        if (given != null) return new BenchDir(Path.of(given).toAbsolutePath());
        Path here = Path.of("").toAbsolutePath();
        for (Path candidate : new Path[] {here, here.resolve("benchmarks")}) {
            if (Files.isRegularFile(candidate.resolve("src/main/c/echo_server.c"))) return new BenchDir(candidate);
        }
        throw new IllegalStateException("cannot find the benchmarks module from " + here
                + ": run from the project root or set -Dxiio.bench.dir");
    }

    public Path cSource(String name) {
        return root.resolve("src/main/c").resolve(name + ".c");
    }

    /** The module's build directory, where smoke output goes. */
    public Path target() {
        return root.resolve("target");
    }

    /** The committed fragments of BENCHMARKS.md. */
    public Path results() {
        return root.resolve("results");
    }
}
