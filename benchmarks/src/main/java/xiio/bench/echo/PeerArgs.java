package xiio.bench.echo;

import java.util.HashMap;
import java.util.Map;
import java.util.Set;

/** The {@code --name value} options of a peer server's command line, checked against the names it knows. */
record PeerArgs(Map<String, String> values) {
    static PeerArgs parse(String[] args, String usage, Set<String> known) {
        Map<String, String> values = new HashMap<>();
        for (int i = 0; i < args.length; i++) {
            String name = args[i];
            if (!known.contains(name) || i + 1 == args.length) {
                System.err.println("usage: " + usage);
                System.exit(2);
            }
            values.put(name, args[++i]);
        }
        return new PeerArgs(values);
    }

    String get(String name, String fallback) {
        return values.getOrDefault(name, fallback);
    }

    int port() {
        return Integer.parseInt(get("--port", "0"));
    }
}
