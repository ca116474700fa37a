package xiio.examples;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/** Entry point of {@code ./xiio}: dispatches to an example by name. */
public final class Main {
    private Main() {}

    /** An example program. */
    interface Example {
        int run(String[] args) throws Exception;
    }

    private record Entry(String summary, Example example) {}

    private static final Map<String, Entry> EXAMPLES = new LinkedHashMap<>();

    static {
        EXAMPLES.put("demo", new Entry("the demo: same as greet", Greet::main));
        EXAMPLES.put("greet", new Entry("read two names, greet both concurrently (10 s timeout)", Greet::main));
    }

    public static void main(String[] args) throws Exception {
        String name = args.length == 0 ? "demo" : args[0];
        Entry entry = EXAMPLES.get(name);
        if (entry == null) {
            if (!name.equals("help") && !name.equals("--help")) System.err.println("xiio: unknown command '" + name + "'");
            System.err.println("usage: ./xiio <command> [args]\n\ncommands:");
            System.err.printf("  %-12s %s%n", "test", "build and run every test on both coroutine backends");
            EXAMPLES.forEach((n, e) -> System.err.printf("  %-12s %s%n", n, e.summary()));
            System.exit(name.equals("help") || name.equals("--help") ? 0 : 2);
        }
        System.exit(entry.example().run(Arrays.copyOfRange(args, 1, args.length)));
    }
}
