package xiio.consumer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import xiio.docs.Readme;
import xiio.examples.support.ExampleProcess;
import xiio.examples.support.TreeRepository;

/**
 * The README's logging paragraph, done: the {@link ConsumerProject} on a class path with
 * SLF4J's JDK bridge and its simple binding (the jars this build resolved for the
 * versions the README names), run without the fast-backend flag. The slow-backend
 * notice must arrive through SLF4J, once, and not through java.util.logging.
 */
@Timeout(300) // may build the project with Maven on a busy two-core machine
class SlowBackendLoggingTest {
    private static final List<String> SLF4J = List.of("slf4j-api", "slf4j-jdk-platform-logging", "slf4j-simple");

    @Test
    void theSlowBackendNoticeArrivesInSlf4j() throws Exception {
        List<String> classPath = new ArrayList<>(List.of(ConsumerProject.classes().toString(), TreeRepository.jar().toString()));
        for (String artifact : SLF4J) classPath.add(jar(artifact).toString());
        ExampleProcess.Result r = ConsumerProject.java("--enable-native-access=ALL-UNNAMED",
                "-cp", String.join(File.pathSeparator, classPath), "consumer.Consumer");
        assertEquals(0, r.status(), r.toString());
        assertEquals("heard hello on vthread\n", r.stdout(), r.toString());
        // slf4j-simple's format: [thread] LEVEL logger - message; JUL's would be "WARNING: ..." after a date line
        assertEquals("[main] WARN xiio - xiio runs on the slow virtual-thread coroutine backend; add the JVM flag "
                + "--add-exports java.base/jdk.internal.vm=ALL-UNNAMED (or =xiio on the module path) for the fast one\n",
                r.stderr(), "one notice, through SLF4J\n" + r);
    }

    @Test
    void theReadmeNamesTheDependenciesThisTestRunsWith() throws Exception {
        String readme = Readme.text();
        for (String artifact : List.of("slf4j-jdk-platform-logging", "slf4j-simple")) {
            String version = versionOf(jar(artifact), artifact);
            String dependency = "<artifactId>" + artifact + "</artifactId>\n      <version>" + version + "</version>";
            assertTrue(readme.contains(dependency), "README.md's logging paragraph should name " + artifact + " " + version);
        }
    }

    /** The jar of {@code artifact} on this JVM's class path (examples/pom.xml has them in test scope). */
    private static Path jar(String artifact) {
        Pattern name = Pattern.compile(Pattern.quote(artifact) + "-\\d[^/]*\\.jar");
        for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
            Path p = Path.of(entry);
            if (name.matcher(p.getFileName().toString()).matches()) return p;
        }
        throw new AssertionError("no " + artifact + " jar on the test class path; examples/pom.xml should have it in test scope");
    }

    private static String versionOf(Path jar, String artifact) {
        Matcher m = Pattern.compile(Pattern.quote(artifact) + "-(.+)\\.jar").matcher(jar.getFileName().toString());
        assertTrue(m.matches(), jar.toString());
        return m.group(1);
    }
}
