package xiio.soak;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The soak run, short: CI runs it for 20 s (-Dxiio.soakSeconds to change). */
class SoakTest {
    @Test
    void twentySecondsOfChurnLoseNoByteAndLeakNothing() throws Exception {
        Duration d = Duration.ofSeconds(Long.getLong("xiio.soakSeconds", 20));
        assertTrue(new Soak(d, 200, System.nanoTime()).run(), "the soak run failed: see its output above");
    }
}
