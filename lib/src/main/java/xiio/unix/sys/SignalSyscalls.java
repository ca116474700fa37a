package xiio.unix.sys;

import static java.lang.foreign.ValueLayout.JAVA_INT;

import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;

/**
 * The signal calls: kill(2). Results follow {@link FileSyscalls}: the kernel's value,
 * or {@code -errno}.
 *
 * <p>Installing handlers is not here on purpose: a handler installed with
 * sigaction(2) behind the JVM's back would have to run Java code (an FFM upcall) in
 * signal context, which is not async-signal-safe. {@code xiio.signal} goes through
 * the JVM's own dispatch instead; see its package documentation.
 */
public class SignalSyscalls {
    private static volatile SignalSyscalls current = new SignalSyscalls();

    /** The table in use. */
    public static SignalSyscalls get() {
        return current;
    }

    /** Replaces the table (for fault-injection tests); returns the previous one. */
    public static SignalSyscalls install(SignalSyscalls table) {
        SignalSyscalls previous = current;
        current = table;
        return previous;
    }

    protected SignalSyscalls() {}

    // pid_t is a 32-bit int on every Linux ABI
    private static final MethodHandle KILL = Native.errnoCall("kill",
            FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT), false);

    /** kill(2): 0 or {@code -errno} (ESRCH: no such process, EPERM: not allowed, EINVAL: bad signal). */
    public int kill(int pid, int signal) {
        return killCall(pid, signal);
    }

    /** The one binding of kill(2); {@link ProcessSyscalls#kill} signals its children through it too. */
    static int killCall(int pid, int signal) {
        try {
            MemorySegment capture = Native.capture();
            int r = (int) KILL.invokeExact(capture, pid, signal);
            return r == 0 ? 0 : -Native.errno(capture);
        } catch (Throwable t) {
            throw Native.unexpected(t);
        }
    }
}
