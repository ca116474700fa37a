package xiio.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * BENCHMARKS.md at the project root: a short header, then each section's latest
 * fragments from benchmarks/results/ (SECTION.md, then its parts SECTION-*.md), in
 * the order {@code ./xiio bench} runs them. A
 * section re-run alone replaces only its own fragment, so the file always holds the
 * latest figures of every section, each with its own date, machine and command.
 */
final class BenchmarksFile {
    private BenchmarksFile() {}

    static final String HEADER = """
            # Benchmarks

            Every figure here was produced by `./xiio bench` (or one of its sections,
            `./xiio bench echo`, `./xiio bench http`, `./xiio bench core`) on the machine each
            section names, and the file is regenerated from `benchmarks/results/*.md` by that
            command: never edited by hand. The machine is a shared 2-core VM: compare ratios
            measured side by side in one run, not absolute figures across sections or days. In
            echo and http each server runs in a fresh process pinned to CPU 0, the load
            generator on CPU 1; core runs JMH microbenchmarks and the engine's bounds, each in
            a fresh JVM.

            """;

    /** A section's fragments: SECTION.md, then its parts SECTION-*.md by name (core-bounds.md after core.md). */
    private static List<Path> fragments(BenchDir dir, String section) throws IOException {
        List<Path> found = new ArrayList<>();
        Path main = dir.results().resolve(section + ".md");
        if (Files.isRegularFile(main)) found.add(main);
        if (Files.isDirectory(dir.results())) {
            try (Stream<Path> files = Files.list(dir.results())) {
                files.filter(f -> f.getFileName().toString().startsWith(section + "-") && f.getFileName().toString().endsWith(".md"))
                        .sorted().forEach(found::add);
            }
        }
        return found;
    }

    /** Rewrites {@code projectRoot/BENCHMARKS.md} from the fragments of {@code sections} that exist. */
    static Path assemble(BenchDir dir, List<String> sections) throws IOException {
        StringBuilder text = new StringBuilder(HEADER);
        for (String section : sections) {
            for (Path fragment : fragments(dir, section)) text.append(Files.readString(fragment).strip()).append("\n\n");
        }
        Path file = dir.root().getParent().resolve("BENCHMARKS.md");
        Files.writeString(file, text.toString().strip() + "\n");
        return file;
    }
}
