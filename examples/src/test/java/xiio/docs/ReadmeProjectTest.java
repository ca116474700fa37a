package xiio.docs;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import xiio.examples.support.ExampleProcess;
import xiio.examples.support.TreeRepository;

/**
 * A newcomer's own project, exactly as the README gives it: its {@code pom.xml}, its
 * first program as {@code src/main/java/Echo.java}, its build command and its run
 * command, against the installed library. "Installed" means this tree's: the build and
 * the run use {@link TreeRepository} where the README says {@code ~/.m2}, which every
 * worktree on a machine shares. Maven runs offline ({@code -o}): every plugin the pom
 * names is one this build uses.
 */
class ReadmeProjectTest {
    private static final String BUILD = "    mvn -q compile\n";
    private static final String RUN = "    \"$JAVA_HOME/bin/java\" ";
    private static final String SHARED_REPOSITORY = "$HOME/.m2/repository";

    @Test
    void theReadmesProjectBuildsAndRunsAgainstTheInstalledLibrary(@TempDir Path project) throws Exception {
        String readme = Readme.text();
        String pom = Readme.blocks("xml").stream().filter(b -> b.contains("<project")).findFirst()
                .orElseThrow(() -> new AssertionError("README.md has no ```xml block with a <project>"));
        assertTrue(readme.contains(BUILD), "README.md no longer says how to build: '" + BUILD.strip() + "'");
        int at = readme.indexOf(RUN);
        assertTrue(at >= 0, "README.md no longer says how to run: a line starting " + RUN.strip());
        String run = readme.substring(at, readme.indexOf('\n', at)).strip();
        assertTrue(run.contains(SHARED_REPOSITORY), "the README's run command no longer names " + SHARED_REPOSITORY + ": " + run);
        run = run.replace(SHARED_REPOSITORY, TreeRepository.path().toString());
        Files.writeString(project.resolve("pom.xml"), pom);
        Path sources = Files.createDirectories(project.resolve("src/main/java"));
        Files.writeString(sources.resolve("Echo.java"), Readme.program("Echo"));

        String javaHome = System.getProperty("java.home");
        try (ExampleProcess mvn = ExampleProcess.startCommand(
                List.of("env", "JAVA_HOME=" + javaHome, "sh", "-c", BUILD.strip().replace("mvn ", "mvn -o -B -Dmaven.repo.local=" + TreeRepository.path() + " ")), project.toFile())) {
            mvn.stdin().close();
            assertEquals(0, mvn.waitFor(Duration.ofSeconds(180)), mvn.describe());
        }
        // the README's command, with port 0 instead of 7007 (tests run side by side)
        try (ExampleProcess echo = ExampleProcess.startCommand(
                List.of("env", "JAVA_HOME=" + javaHome, "sh", "-c", "exec " + run + " 0"), project.toFile())) {
            int port = Integer.parseInt(echo.awaitLine("^listening on port (\\d+)$").group(1));
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress("127.0.0.1", port), 10_000);
                s.setSoTimeout(20_000);
                byte[] hello = "hello, xiio\n".getBytes(StandardCharsets.UTF_8);
                s.getOutputStream().write(hello);
                assertArrayEquals(hello, s.getInputStream().readNBytes(hello.length));
            }
            assertTrue(echo.isAlive(), echo.describe());
            assertFalse(echo.stderr().contains("WARNING"), "the two flags should silence the JVM's warnings\n" + echo.describe());
        }
    }
}
