package xiio.unix.sys;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static java.lang.foreign.ValueLayout.JAVA_SHORT;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;
import java.util.List;
import java.util.Optional;
import xiio.unix.Errno;

/**
 * The process calls: posix_spawn, pidfd_open, pidfd_send_signal, waitid, and the
 * kill/waitpid pair for the one path that has a pid but no pidfd. Results follow
 * {@link FileSyscalls}: the kernel's value, or {@code -errno}.
 *
 * <p>Facts this table is built around:
 * <ul>
 * <li>glibc's posix_spawn (2.24+) is clone(CLONE_VM | CLONE_VFORK) on a separate
 *     stack, safe in a multi-threaded JVM; it reports a failed exec, chdir or dup2 of
 *     the child as its return value, so "no such program" is an error here, not an
 *     exit status 127 later.
 * <li>posix_spawnp searches the PATH of <em>this</em> process, not the child's
 *     environment: the same rule as {@link ProcessBuilder}.
 * <li>The JVM runs with signals blocked on some threads and may ignore some; an
 *     ignored disposition survives exec. POSIX_SPAWN_SETSIGMASK (empty mask) and
 *     POSIX_SPAWN_SETSIGDEF (every signal) give the child the clean state a shell
 *     would.
 * <li>The JDK opens some files without O_CLOEXEC (FileInputStream, jars), so our own
 *     fds being O_CLOEXEC is not enough: posix_spawn_file_actions_addclosefrom_np
 *     (glibc 2.34+) closes every fd above 2 in the child, as ProcessBuilder does.
 * <li>A pidfd is readable once the process has exited and stays valid after it is
 *     reaped; signalling through it can never hit a recycled pid.
 * </ul>
 *
 * <p>Tests may {@link #install} a subclass that injects faults.
 */
public class ProcessSyscalls {
    private static volatile ProcessSyscalls current = new ProcessSyscalls();

    /** The table in use. */
    public static ProcessSyscalls get() {
        return current;
    }

    /** Replaces the table (for fault-injection tests); returns the previous one. */
    public static ProcessSyscalls install(ProcessSyscalls table) {
        ProcessSyscalls previous = current;
        current = table;
        return previous;
    }

    protected ProcessSyscalls() {}

    private static final FunctionDescriptor SPAWN_DESCRIPTOR =
            FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS, ADDRESS, ADDRESS, ADDRESS, ADDRESS);
    // posix_spawn returns the error number itself; errno is not part of its contract.
    private static final MethodHandle SPAWN = Native.plainCall("posix_spawn", SPAWN_DESCRIPTOR);
    private static final MethodHandle SPAWNP = Native.plainCall("posix_spawnp", SPAWN_DESCRIPTOR);
    private static final MethodHandle FA_INIT = Native.plainCall("posix_spawn_file_actions_init",
            FunctionDescriptor.of(JAVA_INT, ADDRESS));
    private static final MethodHandle FA_DESTROY = Native.plainCall("posix_spawn_file_actions_destroy",
            FunctionDescriptor.of(JAVA_INT, ADDRESS));
    private static final MethodHandle FA_DUP2 = Native.plainCall("posix_spawn_file_actions_adddup2",
            FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT, JAVA_INT));
    private static final Optional<MethodHandle> FA_CHDIR = optionalPlainCall("posix_spawn_file_actions_addchdir_np",
            FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS));
    private static final Optional<MethodHandle> FA_CLOSEFROM = optionalPlainCall(
            "posix_spawn_file_actions_addclosefrom_np", FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT));
    private static final MethodHandle ATTR_INIT = Native.plainCall("posix_spawnattr_init",
            FunctionDescriptor.of(JAVA_INT, ADDRESS));
    private static final MethodHandle ATTR_DESTROY = Native.plainCall("posix_spawnattr_destroy",
            FunctionDescriptor.of(JAVA_INT, ADDRESS));
    private static final MethodHandle ATTR_FLAGS = Native.plainCall("posix_spawnattr_setflags",
            FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_SHORT));
    private static final MethodHandle ATTR_SIGMASK = Native.plainCall("posix_spawnattr_setsigmask",
            FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS));
    private static final MethodHandle ATTR_SIGDEFAULT = Native.plainCall("posix_spawnattr_setsigdefault",
            FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS));
    private static final MethodHandle SIGEMPTYSET = Native.plainCall("sigemptyset",
            FunctionDescriptor.of(JAVA_INT, ADDRESS));
    /** The C library's own environment, passed when the caller does not replace it. */
    private static final MemorySegment ENVIRON = Native.LINKER.defaultLookup().find("environ")
            .orElseThrow(() -> new UnsatisfiedLinkError("libc has no symbol environ"))
            .reinterpret(ADDRESS.byteSize());

    private static final MethodHandle WAITID = Native.errnoCall("waitid",
            FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT, ADDRESS, JAVA_INT), false);
    private static final MethodHandle WAITPID = Native.errnoCall("waitpid",
            FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS, JAVA_INT), false);
    // glibc has wrappers for the pidfd calls only since 2.36; the raw syscall always works.
    private static final Optional<MethodHandle> PIDFD_OPEN = optionalErrnoCall("pidfd_open",
            FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT));
    private static final Optional<MethodHandle> PIDFD_SEND_SIGNAL = optionalErrnoCall("pidfd_send_signal",
            FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT, ADDRESS, JAVA_INT));
    // syscall(2) is variadic: pass every argument as a long, as its va_arg(long) reads them.
    private static final MethodHandle SYSCALL3 = Native.LINKER.downcallHandle(
            Native.LINKER.defaultLookup().find("syscall").orElseThrow(),
            FunctionDescriptor.of(JAVA_LONG, JAVA_LONG, JAVA_LONG, JAVA_LONG),
            Linker.Option.firstVariadicArg(1), Linker.Option.captureCallState("errno"));
    private static final MethodHandle SYSCALL5 = Native.LINKER.downcallHandle(
            Native.LINKER.defaultLookup().find("syscall").orElseThrow(),
            FunctionDescriptor.of(JAVA_LONG, JAVA_LONG, JAVA_LONG, JAVA_LONG, JAVA_LONG, JAVA_LONG),
            Linker.Option.firstVariadicArg(1), Linker.Option.captureCallState("errno"));
    private static final Optional<MethodHandle> SIGABBREV = optionalPlainCall("sigabbrev_np",
            FunctionDescriptor.of(ADDRESS, JAVA_INT));

    private static Optional<MethodHandle> optionalPlainCall(String name, FunctionDescriptor descriptor) {
        return Native.LINKER.defaultLookup().find(name).map(s -> Native.LINKER.downcallHandle(s, descriptor));
    }

    private static Optional<MethodHandle> optionalErrnoCall(String name, FunctionDescriptor descriptor) {
        return Native.LINKER.defaultLookup().find(name)
                .map(s -> Native.LINKER.downcallHandle(s, descriptor, Linker.Option.captureCallState("errno")));
    }

    /**
     * Starts a program with posix_spawn, or posix_spawnp when {@code searchPath}.
     * The child starts with an empty signal mask, every signal at its default
     * disposition, and no fds above 2 (where the C library can close them).
     *
     * @param program   the file to execute (searched on this process's PATH if {@code searchPath})
     * @param argv      the arguments, {@code argv[0]} included
     * @param env       {@code NAME=value} entries, or null for this process's environment
     * @param directory the child's working directory, or null for ours
     * @param stdio     for the child's fds 0, 1 and 2: the fd of ours to dup2 there, or -1
     *                  to inherit ours; must not be 0, 1 or 2 unless equal to the target
     * @param newProcessGroup whether the child leads a new process group (its pid is the group id)
     * @return the child's pid, or {@code -errno} (ENOENT: no such program or directory)
     * @throws UnsupportedOperationException if {@code directory} is given and the C
     *                                       library lacks posix_spawn_file_actions_addchdir_np
     */
    public int spawn(String program, boolean searchPath, List<String> argv, List<String> env,
                     String directory, int[] stdio, boolean newProcessGroup) {
        if (directory != null && FA_CHDIR.isEmpty()) {
            throw new UnsupportedOperationException("this C library has no posix_spawn_file_actions_addchdir_np"
                    + " (glibc 2.29+, musl 1.1.24+): cannot set a child's working directory");
        }
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment actions = arena.allocate(Constants.POSIX_SPAWN_FILE_ACTIONS_BYTES, 16);
            MemorySegment attr = arena.allocate(Constants.POSIX_SPAWNATTR_BYTES, 16);
            MemorySegment pid = arena.allocate(JAVA_INT);
            int r = (int) FA_INIT.invokeExact(actions);
            if (r != 0) return -r;
            try {
                r = (int) ATTR_INIT.invokeExact(attr);
                if (r != 0) return -r;
                try {
                    r = prepare(arena, actions, attr, directory, stdio, newProcessGroup);
                    if (r != 0) return -r;
                    MemorySegment cProgram = arena.allocateFrom(program);
                    MemorySegment cArgv = stringArray(arena, argv);
                    MemorySegment cEnv = env == null ? ENVIRON.get(ADDRESS, 0) : stringArray(arena, env);
                    r = searchPath
                            ? (int) SPAWNP.invokeExact(pid, cProgram, actions, attr, cArgv, cEnv)
                            : (int) SPAWN.invokeExact(pid, cProgram, actions, attr, cArgv, cEnv);
                    return r != 0 ? -r : pid.get(JAVA_INT, 0);
                } finally {
                    int ignored = (int) ATTR_DESTROY.invokeExact(attr);
                }
            } finally {
                int ignored = (int) FA_DESTROY.invokeExact(actions);
            }
        } catch (Throwable t) {
            throw Native.unexpected(t);
        }
    }

    private static int prepare(Arena arena, MemorySegment actions, MemorySegment attr, String directory, int[] stdio,
                               boolean newProcessGroup) throws Throwable {
        int r;
        for (int target = 0; target < 3; target++) {
            if (stdio[target] < 0) continue;
            // dup2 onto itself would keep FD_CLOEXEC; glibc clears it in that case (Austin Group #411)
            r = (int) FA_DUP2.invokeExact(actions, stdio[target], target);
            if (r != 0) return r;
        }
        if (FA_CLOSEFROM.isPresent()) {
            r = (int) FA_CLOSEFROM.get().invokeExact(actions, 3);
            if (r != 0) return r;
        }
        if (directory != null) {
            r = (int) FA_CHDIR.get().invokeExact(actions, arena.allocateFrom(directory));
            if (r != 0) return r;
        }
        MemorySegment empty = arena.allocate(Constants.SIGSET_BYTES, 8);
        r = (int) SIGEMPTYSET.invokeExact(empty);
        if (r != 0) return Errno.EINVAL;
        // Not sigfillset: glibc leaves its internal signals 32 and 33 out of it, and its
        // spawn then sets them to SIG_IGN in the child, which survives exec (SigIgn of
        // the child shows 0x180000000). Setting the bits of signals 1-64 directly makes
        // them SIG_DFL; the child cannot receive them before exec (they are only ever
        // sent to this process's own threads).
        MemorySegment all = arena.allocate(Constants.SIGSET_BYTES, 8);
        all.set(JAVA_LONG, 0, -1L);
        r = (int) ATTR_SIGMASK.invokeExact(attr, empty);
        if (r != 0) return r;
        r = (int) ATTR_SIGDEFAULT.invokeExact(attr, all);
        if (r != 0) return r;
        int flags = Constants.POSIX_SPAWN_SETSIGMASK | Constants.POSIX_SPAWN_SETSIGDEF
                | (newProcessGroup ? Constants.POSIX_SPAWN_SETPGROUP : 0); // the group id stays 0: "the child's pid"
        return (int) ATTR_FLAGS.invokeExact(attr, (short) flags);
    }

    private static MemorySegment stringArray(Arena arena, List<String> strings) {
        MemorySegment array = arena.allocate(ADDRESS, strings.size() + 1L);
        for (int i = 0; i < strings.size(); i++) array.setAtIndex(ADDRESS, i, arena.allocateFrom(strings.get(i)));
        array.setAtIndex(ADDRESS, strings.size(), MemorySegment.NULL);
        return array;
    }

    /**
     * pidfd_open(2) with PIDFD_NONBLOCK (falling back to no flags before Linux 5.10).
     * The fd is always close-on-exec.
     *
     * @return the pidfd, or {@code -errno} (ENOSYS before Linux 5.3)
     */
    public int pidfdOpen(int pid) {
        int fd = pidfdOpen(pid, Constants.PIDFD_NONBLOCK);
        return fd == -Errno.EINVAL ? pidfdOpen(pid, 0) : fd;
    }

    private static int pidfdOpen(int pid, int flags) {
        try {
            MemorySegment capture = Native.capture();
            if (PIDFD_OPEN.isPresent()) {
                int fd = (int) PIDFD_OPEN.get().invokeExact(capture, pid, flags);
                return fd >= 0 ? fd : -Native.errno(capture);
            }
            long fd = (long) SYSCALL3.invokeExact(capture, Constants.SYS_PIDFD_OPEN, (long) pid, (long) flags);
            return fd >= 0 ? (int) fd : -Native.errno(capture);
        } catch (Throwable t) {
            throw Native.unexpected(t);
        }
    }

    /** pidfd_send_signal(2): 0, or {@code -errno} (ESRCH once the process has been reaped). */
    public int pidfdSendSignal(int pidfd, int signal) {
        try {
            MemorySegment capture = Native.capture();
            if (PIDFD_SEND_SIGNAL.isPresent()) {
                int r = (int) PIDFD_SEND_SIGNAL.get().invokeExact(capture, pidfd, signal, MemorySegment.NULL, 0);
                return r == 0 ? 0 : -Native.errno(capture);
            }
            long r = (long) SYSCALL5.invokeExact(capture, Constants.SYS_PIDFD_SEND_SIGNAL,
                    (long) pidfd, (long) signal, 0L, 0L);
            return r == 0 ? 0 : -Native.errno(capture);
        } catch (Throwable t) {
            throw Native.unexpected(t);
        }
    }

    /**
     * waitid(P_PIDFD, pidfd, WEXITED | {@code options}): reaps the process if it has
     * exited. With WNOHANG on a running process the result is 0; on a pidfd opened
     * with PIDFD_NONBLOCK, a running process without WNOHANG gives {@code -EAGAIN}.
     *
     * @return 0 (still running), {@code -errno}, or the exit as
     *         {@code (long) si_code << 32 | si_status}: see {@link #siCode} and {@link #siStatus}
     */
    public long waitid(int pidfd, int options) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment info = arena.allocate(Constants.SIGINFO_BYTES, 8); // zeroed: si_pid 0 means "running"
            MemorySegment capture = Native.capture();
            int r = (int) WAITID.invokeExact(capture, Constants.P_PIDFD, pidfd, info, Constants.WEXITED | options);
            if (r != 0) return -Native.errno(capture);
            if (info.get(JAVA_INT, Constants.SIGINFO_PID_OFFSET) == 0) return 0;
            int code = info.get(JAVA_INT, Constants.SIGINFO_CODE_OFFSET);
            int status = info.get(JAVA_INT, Constants.SIGINFO_STATUS_OFFSET);
            return (long) code << 32 | (status & 0xffffffffL);
        } catch (Throwable t) {
            throw Native.unexpected(t);
        }
    }

    /** The {@code si_code} of a {@link #waitid} result: CLD_EXITED, CLD_KILLED or CLD_DUMPED. */
    public static int siCode(long waitidResult) {
        return (int) (waitidResult >>> 32);
    }

    /** The {@code si_status} of a {@link #waitid} result: the exit code, or the signal. */
    public static int siStatus(long waitidResult) {
        return (int) waitidResult;
    }

    /**
     * kill(2): 0 or {@code -errno}. A negative {@code pid} signals that process group.
     * Safe only while the pid (or the group's leader) is an unreaped child of ours:
     * until then its number cannot be reused.
     */
    public int kill(int pid, int signal) {
        return SignalSyscalls.killCall(pid, signal);
    }

    /** Blocking waitpid(pid, NULL, 0), retried on EINTR: the pid, or {@code -errno}. */
    public int waitpid(int pid) {
        try {
            while (true) {
                MemorySegment capture = Native.capture();
                int r = (int) WAITPID.invokeExact(capture, pid, MemorySegment.NULL, 0);
                if (r >= 0) return r;
                int errno = Native.errno(capture);
                if (errno != Errno.EINTR) return -errno;
            }
        } catch (Throwable t) {
            throw Native.unexpected(t);
        }
    }

    /** The abbreviation of a signal, e.g. {@code "SIGTERM"}, or {@code "signal 77"} for an unknown one. */
    public static String signalName(int signal) {
        if (SIGABBREV.isPresent()) {
            try {
                MemorySegment name = (MemorySegment) SIGABBREV.get().invokeExact(signal);
                if (!name.equals(MemorySegment.NULL)) return "SIG" + name.reinterpret(32).getString(0);
            } catch (Throwable t) {
                throw Native.unexpected(t);
            }
        }
        return "signal " + signal;
    }
}
