package xiio.signal;

import sun.misc.SignalHandler;
import xiio.unix.ErrnoException;

/** Helpers for tests that send real signals to the test JVM itself. */
final class SignalSupport {
    private SignalSupport() {}

    /**
     * Sends {@code s} to this JVM. Only call it while a subscription (or a handler the
     * test installed) takes {@code s}: SIGINT, SIGTERM, SIGHUP and SIGUSR1 end the JVM otherwise.
     */
    static void sendToSelf(Signal s) throws ErrnoException {
        Signals.send(ProcessHandle.current().pid(), s);
    }

    /** The JVM-level handler installed for {@code s} right now (swapped out and back in at once). */
    static SignalHandler currentHandler(Signal s) {
        sun.misc.Signal jvm = new sun.misc.Signal(s.name().substring(3));
        SignalHandler current = sun.misc.Signal.handle(jvm, SignalHandler.SIG_DFL);
        sun.misc.Signal.handle(jvm, current);
        return current;
    }

    /**
     * What a handler stands for. sun.misc.Signal hands out a fresh wrapper each time
     * for handlers the JDK installed itself (the shutdown handler of SIGINT, SIGTERM,
     * SIGHUP), shown as {@code Wrapper@1<java.lang.Terminator$1@2>}; the part in angle
     * brackets names the handler itself.
     */
    static String identity(SignalHandler h) {
        String s = h.toString();
        int i = s.indexOf('<');
        return i < 0 ? s : s.substring(i);
    }
}
