package xiio.bench.core;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A probe's main class in a fresh JVM of this class path, with the project's flags:
 * the coroutine backend is chosen once per JVM, and a cold path is cold only in a
 * JVM that never ran it. The probe prints its figures as {@code result key=value ...}
 * lines on stdout; its whole output goes to a log file, named in errors.
 */
final class ChildJvm {
    private ChildJvm() {}

    /** One {@code result} line of a probe: its key=value pairs, in order. */
    record Result(Map<String, String> values) {
        String get(String key) {
            String v = values.get(key);
            if (v == null) throw new IllegalStateException("the probe's result has no " + key + ": " + values);
            return v;
        }

        long getLong(String key) {
            return Long.parseLong(get(key));
        }

        boolean getBoolean(String key) {
            return Boolean.parseBoolean(get(key));
        }
    }

    /**
     * Runs {@code main} with {@code jvmOptions} (besides the project's flags) and
     * {@code args}, within {@code limit}; returns its result lines.
     *
     * @throws IOException if it fails, prints no result or outlives {@code limit}
     */
    static List<Result> run(Class<?> main, List<String> jvmOptions, List<String> args, Duration limit, Path log)
            throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(List.of(CoreBench.JVM_FLAGS));
        command.addAll(jvmOptions);
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(main.getName());
        command.addAll(args);
        Files.createDirectories(log.getParent());
        Process p = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile())
                .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile())).start();
        try {
            if (!p.waitFor(limit.toMillis(), TimeUnit.MILLISECONDS)) {
                throw new IOException(main.getSimpleName() + " " + String.join(" ", args) + " took over " + limit.toSeconds() + " s; see " + log);
            }
            if (p.exitValue() != 0) {
                throw new IOException(main.getSimpleName() + " " + String.join(" ", args) + " exited with status " + p.exitValue() + "; see " + log);
            }
        } finally {
            p.destroyForcibly();
            p.waitFor(10, TimeUnit.SECONDS);
        }
        List<Result> results = new ArrayList<>();
        for (String line : Files.readAllLines(log)) {
            if (!line.startsWith("result ")) continue;
            Map<String, String> values = new LinkedHashMap<>();
            for (String pair : line.substring("result ".length()).trim().split("\\s+")) {
                int eq = pair.indexOf('=');
                values.put(pair.substring(0, eq), pair.substring(eq + 1));
            }
            results.add(new Result(values));
        }
        if (results.isEmpty()) throw new IOException(main.getSimpleName() + " printed no result line; see " + log);
        return results;
    }
}
