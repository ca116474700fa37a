package xiio.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import xiio.examples.support.ClassesJar;
import xiio.examples.support.ExampleProcess;

/**
 * What a newcomer's first {@code ./xiio demo} prints: on stdout the program's own
 * output and nothing else, whatever the build says. Debian's Maven 3.8 prints ANSI
 * reset codes ({@code ESC[0m}) on both streams at start even with
 * {@code -Dstyle.color=never}; {@code -Djansi.noreset=true} in .mvn/jvm.config stops it.
 */
class LauncherOutputTest {
    private static final String ESC = "\u001b";

    /** Maven as this project starts it (its .mvn/jvm.config) prints no escape codes. */
    @Test
    void mavenInThisProjectPrintsNoEscapeCodes() throws Exception {
        Path root = root();
        Process mvn = new ProcessBuilder("mvn", "-q", "-B", "-o", "-N", "-Dstyle.color=never", "validate")
                .directory(root.toFile()).redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null"))).start();
        mvn.getOutputStream().close();
        byte[] err = mvn.getErrorStream().readAllBytes(); // small: -q, and nothing to do
        byte[] out = mvn.getInputStream().readAllBytes();
        assertTrue(mvn.waitFor(60, TimeUnit.SECONDS), "mvn validate did not end within 60 s");
        String both = new String(out, StandardCharsets.UTF_8) + new String(err, StandardCharsets.UTF_8);
        assertEquals(0, mvn.exitValue(), both);
        assertFalse(both.contains(ESC), "escape codes from Maven: " + both.replace(ESC, "ESC"));
    }

    /**
     * The launcher's first build sends Maven's output to stderr: here a stand-in {@code mvn}
     * that prints what Debian's does, in a copy of the launcher whose build has not run yet.
     */
    @Test
    void theFirstDemoPrintsOnlyTheProgramsOutputOnStdout(@TempDir Path copy) throws Exception {
        Files.copy(root().resolve("xiio"), copy.resolve("xiio"));
        Path target = Files.createDirectories(copy.resolve("examples/target"));
        Files.copy(ClassesJar.examplesJar(), target.resolve("xiio-examples-0.1.0-SNAPSHOT.jar"));
        Files.writeString(target.resolve("classpath.txt"), ClassesJar.classPath());
        Path bin = Files.createDirectories(copy.resolve("bin"));
        Path mvn = bin.resolve("mvn");
        Files.writeString(mvn, "#!/bin/sh\nprintf '\\033[0m\\033[0m[INFO] build noise\\n'\nprintf '\\033[0m' >&2\n");
        Files.setPosixFilePermissions(mvn, PosixFilePermissions.fromString("rwxr-xr-x"));
        List<String> cmd = List.of("env", "PATH=" + bin + File.pathSeparator + System.getenv("PATH"),
                "JAVA_HOME=" + System.getProperty("java.home"), copy.resolve("xiio").toString(), "demo");
        try (ExampleProcess demo = ExampleProcess.startCommand(cmd, copy.toFile())) {
            demo.writeStdin("ann\nbobby\n".getBytes(StandardCharsets.UTF_8));
            assertEquals(0, demo.waitFor(Duration.ofSeconds(60)), demo.describe());
            assertEquals("Two names, please (one per line):\nHello, ann!\nHello, bobby!\n", demo.stdout(), demo.describe());
            assertTrue(demo.stderr().contains("xiio: building...") && demo.stderr().contains("build noise"), demo.describe());
        }
    }

    private static Path root() {
        for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
            if (Files.isRegularFile(p.resolve("xiio")) && Files.isDirectory(p.resolve(".mvn"))) return p;
        }
        throw new IllegalStateException("cannot find the launcher above " + Path.of("").toAbsolutePath());
    }
}
