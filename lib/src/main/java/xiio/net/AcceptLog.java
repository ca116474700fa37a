package xiio.net;

import java.time.ZoneId;
import java.time.ZonedDateTime;

/**
 * What the accept loop says about running out of fds: one warning when a shortage
 * begins, one line when accepting works again, nothing in between. A shortage can
 * last minutes with a retry every second; a line per retry would bury the log.
 *
 * <p>Logging must not need an fd at that moment, and by default it does: the JDK's
 * {@code System.Logger} goes to java.util.logging, whose {@code SimpleFormatter}
 * asks for the default time zone, and the first such call opens {@code lib/tzdb.dat}.
 * Under EMFILE that open fails and {@code ZoneInfoFile}'s static initializer throws
 * {@code java.lang.Error}, which would end the server instead of the shortage.
 * {@link #prime()} does that loading while fds are still free, when a listener is made.
 */
final class AcceptLog {
    private static final System.Logger LOG = System.getLogger("xiio.net");
    private static volatile boolean primed;

    private AcceptLog() {}

    /**
     * Loads what a first log line would load from files: the time-zone data, and the
     * locale's date names that the default format prints. Once per JVM, and only if
     * warnings are logged at all; costs a few milliseconds.
     */
    static void prime() {
        if (primed) return;
        primed = true;
        if (!LOG.isLoggable(System.Logger.Level.WARNING)) return;
        // java.util.logging.SimpleFormatter's default format, on the default zone
        String.format("%1$tb %1$td, %1$tY %1$tl:%1$tM:%1$tS %1$Tp", ZonedDateTime.now(ZoneId.systemDefault()));
    }

    /** A shortage began: the first failed accept of an episode. */
    static void shortageBegins(String what, String why) {
        if (LOG.isLoggable(System.Logger.Level.WARNING)) {
            LOG.log(System.Logger.Level.WARNING, what + ": " + why + "; the connection stays queued, retrying"
                    + " with pauses from 5 ms doubling up to 1 s; logged once until accepting works again");
        }
    }

    /** The shortage is over: an accept worked after {@code failures} failed ones. */
    static void shortageEnds(Object listener, int failures, long nanos) {
        LOG.log(System.Logger.Level.INFO, "accepting again on " + listener + " after " + failures
                + " failed attempts in " + nanos / 1_000_000 + " ms");
    }
}
