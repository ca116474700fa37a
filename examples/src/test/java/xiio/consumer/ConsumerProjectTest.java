package xiio.consumer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import xiio.examples.support.ExampleProcess;
import xiio.examples.support.TreeRepository;

/**
 * The library as a user consumes it: {@code examples/src/test/consumer}, a project of
 * its own with a {@code module-info} that requires {@code xiio}, is built offline
 * against the installed artifact (this tree's, see {@link TreeRepository}) and run on
 * the module path and on the class path with the flags the README gives. Neither run
 * may print a warning; a run without the flags shows that the check would see one.
 */
@Timeout(300) // one Maven build on a busy two-core machine
class ConsumerProjectTest {
    private static final String HEARD_FAST = "heard hello on continuation\n";

    @TempDir
    static Path project;

    @BeforeAll
    static void build() throws Exception {
        copyTree(Path.of("src/test/consumer"), project);
        try (ExampleProcess mvn = ExampleProcess.startCommand(
                TreeRepository.mvn("-Dxiio.version=" + TreeRepository.version(), "compile"), project.toFile())) {
            mvn.stdin().close();
            assertEquals(0, mvn.waitFor(Duration.ofSeconds(240)), mvn.describe());
        }
    }

    @Test
    void onTheModulePathWithTheReadmesFlagsItRunsFastAndSilently() throws Exception {
        String modulePath = project.resolve("target/classes") + File.pathSeparator + TreeRepository.jar();
        ExampleProcess.Result r = java("--enable-native-access=xiio", "--add-exports", "java.base/jdk.internal.vm=xiio",
                "-p", modulePath, "-m", "consumer/consumer.Consumer");
        assertEquals(0, r.status(), r.toString());
        assertEquals(HEARD_FAST, r.stdout(), r.toString());
        assertEquals("", r.stderr(), "no warning on the module path\n" + r);
    }

    @Test
    void onTheClassPathWithTheReadmesFlagsItRunsFastAndSilently() throws Exception {
        String classPath = project.resolve("target/classes") + File.pathSeparator + TreeRepository.jar();
        ExampleProcess.Result r = java("--enable-native-access=ALL-UNNAMED", "--add-exports", "java.base/jdk.internal.vm=ALL-UNNAMED",
                "-cp", classPath, "consumer.Consumer");
        assertEquals(0, r.status(), r.toString());
        assertEquals(HEARD_FAST, r.stdout(), r.toString());
        assertEquals("", r.stderr(), "no warning on the class path\n" + r);
    }

    /** The control: without the flags both warnings appear, so an empty stderr above means something. */
    @Test
    void withoutTheFlagsTheJvmAndXiioSayWhatIsMissing() throws Exception {
        String modulePath = project.resolve("target/classes") + File.pathSeparator + TreeRepository.jar();
        ExampleProcess.Result r = java("-p", modulePath, "-m", "consumer/consumer.Consumer");
        assertEquals(0, r.status(), r.toString());
        assertEquals("heard hello on vthread\n", r.stdout(), r.toString());
        assertTrue(r.stderr().contains("WARNING: A restricted method"), "the JVM's native-access warning\n" + r);
        assertTrue(r.stderr().contains("xiio runs on the slow virtual-thread coroutine backend"), "xiio's notice\n" + r);
    }

    private static ExampleProcess.Result java(String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
        cmd.addAll(List.of(args));
        try (ExampleProcess p = ExampleProcess.startCommand(cmd, project.toFile())) {
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
}
