package xiio.bench.files;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintStream;
import java.io.OutputStream;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The file benchmark runs end to end with tiny counts and renders a row per way and cache state. */
class FileBenchSmokeTest {
    @TempDir
    Path dir;

    @Test
    void everyWayReadsColdAndWarmAndTheTableHasTheirRows() throws Exception {
        String md = FileBench.measureAndRender(FileBench.Plan.of(true), dir, new PrintStream(OutputStream.nullOutputStream()));
        for (RandomBlocks.Way way : RandomBlocks.Way.values()) {
            for (String cache : new String[] {"read, cold", "read, warm", "write"}) {
                assertTrue(md.contains("| " + way.label + " | " + cache + " | "), way.label + " " + cache + " missing:\n" + md);
            }
        }
        assertEquals(9, md.lines().filter(l -> l.startsWith("| xiio") || l.startsWith("| JDK")).count(), md);
        assertTrue(md.contains("| 1.00x |"), "the pool row is the base of the ratios:\n" + md);
    }
}
