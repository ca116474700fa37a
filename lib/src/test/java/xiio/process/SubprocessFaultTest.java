package xiio.process;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import xiio.core.Xiio;
import xiio.support.NoChildLeft;
import xiio.unix.Errno;
import xiio.unix.ErrnoException;
import xiio.unix.sys.ProcessSyscalls;

/** Failures of the process syscalls, injected: no fd and no child may be left behind. */
@ExtendWith(NoChildLeft.class)
class SubprocessFaultTest {
    private final ProcessSyscalls real = ProcessSyscalls.get();

    @AfterEach
    void restore() {
        ProcessSyscalls.install(real);
    }

    @Test
    void aFailedSpawnClosesEveryPipeItMade() {
        ProcessSyscalls.install(new ProcessSyscalls() {
            @Override
            public int spawn(String program, boolean searchPath, java.util.List<String> argv, java.util.List<String> env,
                             String directory, int[] stdio, boolean newProcessGroup) {
                return -Errno.ENOMEM;
            }
        });
        ErrnoException e = assertThrows(ErrnoException.class, () -> Xiio.run(() -> Subprocess.builder("cat")
                .stdin(Redirect.PIPE).stdout(Redirect.PIPE).stderr(Redirect.PIPE).start()));
        assertEquals(Errno.ENOMEM, e.errno());
        assertTrue(e.getMessage().startsWith("start [cat]: ENOMEM"), e.getMessage());
        // LeakGuard fails the test if any of the six pipe ends is still open
    }

    @Test
    void aChildWithoutAPidfdIsKilledAndReapedAtOnce() {
        AtomicInteger spawned = new AtomicInteger();
        ProcessSyscalls.install(new ProcessSyscalls() {
            @Override
            public int pidfdOpen(int pid) {
                spawned.set(pid);
                return -Errno.EMFILE;
            }
        });
        ErrnoException e = assertThrows(ErrnoException.class, () -> Xiio.run(() ->
                Subprocess.builder("sleep", "100").stdout(Redirect.PIPE).start()));
        assertEquals(Errno.EMFILE, e.errno());
        assertTrue(e.getMessage().contains("pidfd_open(pid " + spawned.get() + " of [sleep, 100])"), e.getMessage());
        // NoChildLeft fails the test if the sleep still runs or is an unreaped zombie
    }

    @Test
    void aFailingSignalStillLeavesNoChild() throws Exception {
        ProcessSyscalls.install(new ProcessSyscalls() {
            @Override
            public int pidfdSendSignal(int pidfd, int signal) {
                return signal == xiio.unix.sys.Constants.SIGTERM ? -Errno.EPERM : super.pidfdSendSignal(pidfd, signal);
            }
        });
        Xiio.run(() -> {
            try (Subprocess p = Subprocess.builder("sleep", "100").start()) {
                ErrnoException e = assertThrows(ErrnoException.class, p::terminate);
                assertTrue(e.getMessage().contains("pidfd_send_signal(pid " + p.pid() + ", SIGTERM)"), e.getMessage());
            } // close: its SIGTERM fails too, so it falls back to SIGKILL and a background reap
            return null;
        });
    }
}
