package xiio.bench;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * {@code ./xiio bench [SECTION] [options]}: runs one benchmark section, or every one
 * when none is named (the options then go to each). Each section writes its markdown
 * fragment to benchmarks/results/SECTION.md, from which BENCHMARKS.md is assembled.
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
    }

    private Bench() {}

    public static void main(String[] args) throws Exception {
        if (args.length > 0 && (args[0].equals("--help") || args[0].equals("-h") || args[0].equals("help"))) {
            System.out.println("usage: ./xiio bench [" + String.join("|", SECTIONS.keySet()) + "] [options]\n"
                    + "  no section runs them all; ./xiio bench SECTION --help lists its options");
            return;
        }
        if (args.length > 0 && SECTIONS.containsKey(args[0])) {
            System.exit(SECTIONS.get(args[0]).run(Arrays.copyOfRange(args, 1, args.length)));
        }
        if (args.length > 0 && !args[0].startsWith("-")) {
            System.err.println("xiio bench: unknown benchmark " + args[0] + "; known: " + SECTIONS.keySet());
            System.exit(2);
        }
        int status = 0;
        for (Section section : SECTIONS.values()) status = Math.max(status, section.run(args));
        System.exit(status);
    }
}
