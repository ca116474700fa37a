package xiio.consumer;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import xiio.examples.support.ExampleProcess;
import xiio.examples.support.TreeRepository;

/**
 * {@code examples/src/test/consumer}, a user's project with a {@code module-info} that
 * requires {@code xiio}, built offline against this tree's installed jar
 * ({@link TreeRepository}) into {@code examples/target/consumer}, once per test JVM; and
 * its program run in a JVM of its own.
 */
final class ConsumerProject {
    private static Path classes;

    private ConsumerProject() {}

    /** The project's compiled classes, built on first use. */
    static synchronized Path classes() throws Exception {
        if (classes != null) return classes;
        Path project = Path.of("target/consumer").toAbsolutePath();
        deleteTree(project);
        copyTree(Path.of("src/test/consumer"), project);
        try (ExampleProcess mvn = ExampleProcess.startCommand(
                TreeRepository.mvn("-Dxiio.version=" + TreeRepository.version(), "compile"), project.toFile())) {
            mvn.stdin().close();
            assertEquals(0, mvn.waitFor(Duration.ofSeconds(240)), mvn.describe());
        }
        classes = project.resolve("target/classes");
        return classes;
    }

    /** {@code java args...} run to its end (a minute at most), with what it printed. */
    static ExampleProcess.Result java(String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
        cmd.addAll(List.of(args));
        try (ExampleProcess p = ExampleProcess.startCommand(cmd, null)) {
            p.stdin().close();
            int status = p.waitFor(Duration.ofSeconds(60));
            return new ExampleProcess.Result(status, p.stdoutBytes(), p.stderr());
        }
    }

    private static void copyTree(Path from, Path to) throws IOException {
        try (Stream<Path> files = Files.walk(from)) {
            for (Path f : files.toList()) {
                Path target = to.resolve(from.relativize(f).toString());
                if (Files.isDirectory(f)) Files.createDirectories(target);
                else Files.copy(f, target);
            }
        }
    }

    private static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) return;
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(f -> {
                try {
                    Files.delete(f);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        }
    }
}
