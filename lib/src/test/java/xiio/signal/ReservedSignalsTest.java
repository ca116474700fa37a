package xiio.signal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static xiio.signal.SignalSupport.currentHandler;
import static xiio.signal.SignalSupport.identity;

import java.util.EnumSet;
import java.util.Set;
import org.junit.jupiter.api.Test;
import sun.misc.SignalHandler;
import xiio.unix.Errno;
import xiio.unix.ErrnoException;

class ReservedSignalsTest {
    private static final Set<Signal> RESERVED = EnumSet.of(Signal.SIGQUIT, Signal.SIGILL, Signal.SIGTRAP, Signal.SIGBUS,
            Signal.SIGFPE, Signal.SIGKILL, Signal.SIGSEGV, Signal.SIGUSR2, Signal.SIGSTOP, Signal.SIGPROF, Signal.SIGSYS);

    @Test
    void theJvmsSignalsAreRefusedWithAMessageThatNamesThem() {
        for (Signal s : RESERVED) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Signals.subscribe(s), s.name());
            assertTrue(e.getMessage().startsWith("cannot subscribe to " + s + ": "), e.getMessage());
            assertTrue(e.getMessage().contains(s.reservedBecause()), e.getMessage());
            assertTrue(e.getMessage().contains("Reserved signals: SIGQUIT, SIGILL, SIGTRAP, SIGBUS, SIGFPE, SIGKILL"),
                    e.getMessage());
        }
        assertTrue(Signal.SIGQUIT.reservedBecause().contains("thread dumps"));
        assertTrue(Signal.SIGUSR2.reservedBecause().contains("suspend and resume"));
        assertTrue(Signal.SIGKILL.reservedBecause().contains("no process can catch"));
    }

    @Test
    void everyOtherSignalIsAllowed() {
        for (Signal s : Signal.values()) {
            if (!RESERVED.contains(s)) assertNull(s.reservedBecause(), s.name());
        }
    }

    @Test
    void aRefusalLeavesEveryHandlerAsItWas() throws Exception {
        Class<?> usr2 = currentHandler(Signal.SIGUSR2).getClass();
        SignalHandler hup = currentHandler(Signal.SIGHUP);
        // SIGHUP is installed first (set order), then SIGUSR2 is refused: SIGHUP must be undone
        assertThrows(IllegalArgumentException.class, () -> Signals.subscribe(Signal.SIGHUP, Signal.SIGUSR2));
        assertSame(usr2, currentHandler(Signal.SIGUSR2).getClass());
        assertEquals(identity(hup), identity(currentHandler(Signal.SIGHUP)));
        try (SignalSubscription ok = Signals.subscribe(Signal.SIGWINCH)) {
            assertEquals(Set.of(Signal.SIGWINCH), ok.signals());
        }
    }

    @Test
    void sendingToAProcessThatDoesNotExistNamesTheErrno() {
        // pid_max is at most 2^22 on Linux, so this pid cannot exist
        ErrnoException e = assertThrows(ErrnoException.class, () -> Signals.send(Integer.MAX_VALUE, Signal.SIGWINCH));
        assertEquals(Errno.ESRCH, e.errno());
        assertTrue(e.getMessage().contains("kill(pid 2147483647, SIGWINCH)"), e.getMessage());
    }
}
