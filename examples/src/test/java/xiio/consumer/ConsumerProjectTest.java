package xiio.consumer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import xiio.examples.support.ExampleProcess;
import xiio.examples.support.TreeRepository;

/**
 * The library as a user consumes it: the {@link ConsumerProject}, built against the
 * installed artifact, run on the module path and on the class path with the flags the
 * README gives. Neither run may print a warning; a run without the flags shows that
 * the check would see one.
 */
@Timeout(300) // the first test builds the project with Maven on a busy two-core machine
class ConsumerProjectTest {
    private static final String HEARD_FAST = "heard hello on continuation\n";

    @Test
    void onTheModulePathWithTheReadmesFlagsItRunsFastAndSilently() throws Exception {
        ExampleProcess.Result r = ConsumerProject.java("--enable-native-access=xiio",
                "--add-exports", "java.base/jdk.internal.vm=xiio", "-p", path(), "-m", "consumer/consumer.Consumer");
        assertEquals(0, r.status(), r.toString());
        assertEquals(HEARD_FAST, r.stdout(), r.toString());
        assertEquals("", r.stderr(), "no warning on the module path\n" + r);
    }

    @Test
    void onTheClassPathWithTheReadmesFlagsItRunsFastAndSilently() throws Exception {
        ExampleProcess.Result r = ConsumerProject.java("--enable-native-access=ALL-UNNAMED",
                "--add-exports", "java.base/jdk.internal.vm=ALL-UNNAMED", "-cp", path(), "consumer.Consumer");
        assertEquals(0, r.status(), r.toString());
        assertEquals(HEARD_FAST, r.stdout(), r.toString());
        assertEquals("", r.stderr(), "no warning on the class path\n" + r);
    }

    /** The control: without the flags both warnings appear, so an empty stderr above means something. */
    @Test
    void withoutTheFlagsTheJvmAndXiioSayWhatIsMissing() throws Exception {
        ExampleProcess.Result r = ConsumerProject.java("-p", path(), "-m", "consumer/consumer.Consumer");
        assertEquals(0, r.status(), r.toString());
        assertEquals("heard hello on vthread\n", r.stdout(), r.toString());
        assertTrue(r.stderr().contains("WARNING: A restricted method"), "the JVM's native-access warning\n" + r);
        assertTrue(r.stderr().contains("xiio runs on the slow virtual-thread coroutine backend"), "xiio's notice\n" + r);
    }

    /** The project's classes and the installed xiio jar: a module path or a class path. */
    private static String path() throws Exception {
        return ConsumerProject.classes() + File.pathSeparator + TreeRepository.jar();
    }
}
