package xiio.bench;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import xiio.bench.echo.EchoBench;

/**
 * {@code ./xiio bench [SECTION] [options]}: runs one benchmark section, or every one
 * when none is named (the options then go to each). Each section writes its markdown
 * fragment to benchmarks/results/SECTION.md; BENCHMARKS.md is then assembled from all
 * of them ({@link BenchmarksFile}).
 */
public final class Bench {
    /** A benchmark section: runs with its options and returns an exit status. */
    @FunctionalInterface
    interface Section {
        int run(String[] args) throws Exception;
    }

    private static final Map<String, Section> SECTIONS = new LinkedHashMap<>();

    static {
        SECTIONS.put("echo", EchoBench::run);
        SECTIONS.put("http", xiio.bench.http.HttpBench::run);
        SECTIONS.put("core", xiio.bench.core.CoreBench::run);
        SECTIONS.put("files", xiio.bench.files.FileBench::run);
    }

    private Bench() {}

    public static void main(String[] args) throws Exception {
        if (args.length > 0 && (args[0].equals("--help") || args[0].equals("-h") || args[0].equals("help"))) {
            System.out.println("usage: ./xiio bench [" + String.join("|", SECTIONS.keySet()) + "] [options]\n"
                    + "  no section runs them all; ./xiio bench SECTION --help lists its options");
            return;
        }
        if (args.length > 0 && SECTIONS.containsKey(args[0])) {
            int status = SECTIONS.get(args[0]).run(Arrays.copyOfRange(args, 1, args.length));
            System.exit(Math.max(status, assemble()));
        }
        if (args.length > 0 && !args[0].startsWith("-")) {
            System.err.println("xiio bench: unknown benchmark " + args[0] + "; known: " + SECTIONS.keySet());
            System.exit(2);
        }
        int status = 0;
        for (Section section : SECTIONS.values()) status = Math.max(status, section.run(args));
        System.exit(Math.max(status, assemble()));
    }

    /** Regenerates BENCHMARKS.md from the latest fragment of every section; 0, or 1 if it could not. */
    private static int assemble() {
        try {
            System.err.println("xiio bench: wrote " + BenchmarksFile.assemble(BenchDir.locate(), List.copyOf(SECTIONS.keySet())));
            return 0;
        } catch (Exception e) {
            System.err.println("xiio bench: could not write BENCHMARKS.md: " + e);
            return 1;
        }
    }
}
