package xiio.unix.sys;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;

/**
 * io_uring_setup, io_uring_enter and io_uring_register (through syscall(2): the C
 * library has no wrappers, and we link no liburing), mmap and munmap for the rings,
 * and statx for what kind of file an fd is. Results follow {@link FileSyscalls}: the
 * kernel's value, or {@code -errno}. Replaceable by tests that inject faults (ENOSYS
 * from setup, EINTR from enter).
 */
public class UringSyscalls {
    private static volatile UringSyscalls current = new UringSyscalls();

    /** The table in use. */
    public static UringSyscalls get() {
        return current;
    }

    /** Replaces the table (for fault-injection tests); returns the previous one. */
    public static UringSyscalls install(UringSyscalls table) {
        UringSyscalls previous = current;
        current = table;
        return previous;
    }

    protected UringSyscalls() {}

    // Every variadic argument of syscall(2) is passed as a long: the kernel reads whole
    // registers, and an int would leave the upper half to chance.
    private static final MethodHandle SETUP = variadic(JAVA_LONG, ADDRESS);
    private static final MethodHandle REGISTER = variadic(JAVA_LONG, JAVA_LONG, ADDRESS, JAVA_LONG);
    private static final MethodHandle ENTER =
            variadic(JAVA_LONG, JAVA_LONG, JAVA_LONG, JAVA_LONG, ADDRESS, JAVA_LONG);
    private static final MethodHandle MMAP = Native.errnoCall("mmap",
            FunctionDescriptor.of(ADDRESS, ADDRESS, JAVA_LONG, JAVA_INT, JAVA_INT, JAVA_INT, JAVA_LONG), false);
    private static final MethodHandle MUNMAP = Native.errnoCall("munmap",
            FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_LONG), false);
    private static final MethodHandle STATX = Native.errnoCall("statx",
            FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS, JAVA_INT, JAVA_INT, ADDRESS), false);

    private static MethodHandle variadic(java.lang.foreign.MemoryLayout... args) {
        java.lang.foreign.MemoryLayout[] all = new java.lang.foreign.MemoryLayout[args.length + 1];
        all[0] = JAVA_LONG; // the syscall number, the one fixed parameter
        System.arraycopy(args, 0, all, 1, args.length);
        MemorySegment symbol = Native.LINKER.defaultLookup().find("syscall")
                .orElseThrow(() -> new UnsatisfiedLinkError("libc has no symbol syscall"));
        return Native.LINKER.downcallHandle(symbol, FunctionDescriptor.of(JAVA_LONG, all),
                Linker.Option.captureCallState("errno"), Linker.Option.firstVariadicArg(1));
    }

    /**
     * io_uring_setup(entries, params): the ring's fd; {@code params} (120 bytes, see
     * {@link UringLayout}) carries the flags in and the offsets out.
     *
     * @return the fd, or {@code -errno} (ENOSYS: no io_uring; EPERM: disabled by sysctl
     *     or a seccomp filter; EINVAL: a flag this kernel does not know)
     */
    public int setup(int entries, MemorySegment params) {
        try {
            MemorySegment capture = Native.capture();
            long r = (long) SETUP.invokeExact(capture, Constants.SYS_IO_URING_SETUP, (long) entries, params);
            return r >= 0 ? (int) r : -Native.errno(capture);
        } catch (Throwable t) {
            throw Native.unexpected(t);
        }
    }

    /**
     * io_uring_enter(fd, toSubmit, minComplete, flags, arg, argSize): submits and, with
     * {@link Constants#IORING_ENTER_GETEVENTS}, waits. Never a critical call: it blocks.
     *
     * @return how many entries were submitted, or {@code -errno} (EINTR, ETIME for a
     *     timeout given in {@code arg})
     */
    public int enter(int fd, int toSubmit, int minComplete, int flags, MemorySegment arg, long argSize) {
        try {
            MemorySegment capture = Native.capture();
            long r = (long) ENTER.invokeExact(capture, Constants.SYS_IO_URING_ENTER, (long) fd,
                    (long) toSubmit, (long) minComplete, (long) flags, arg, argSize);
            return r >= 0 ? (int) r : -Native.errno(capture);
        } catch (Throwable t) {
            throw Native.unexpected(t);
        }
    }

    /** io_uring_register(fd, opcode, arg, count): 0 or more, or {@code -errno}. */
    public int register(int fd, int opcode, MemorySegment arg, int count) {
        try {
            MemorySegment capture = Native.capture();
            long r = (long) REGISTER.invokeExact(capture, Constants.SYS_IO_URING_REGISTER, (long) fd,
                    (long) opcode, arg, (long) count);
            return r >= 0 ? (int) r : -Native.errno(capture);
        } catch (Throwable t) {
            throw Native.unexpected(t);
        }
    }

    /**
     * mmap(NULL, length, PROT_READ|PROT_WRITE, MAP_SHARED|MAP_POPULATE, fd, offset): one
     * of a ring's regions, as a segment of {@code length} bytes.
     *
     * @return the region, or null with {@code -errno} in {@code errno[0]}
     */
    public MemorySegment mmap(int fd, long length, long offset, int[] errno) {
        try {
            MemorySegment capture = Native.capture();
            MemorySegment at = (MemorySegment) MMAP.invokeExact(capture, MemorySegment.NULL, length,
                    Constants.PROT_READ | Constants.PROT_WRITE, Constants.MAP_SHARED | Constants.MAP_POPULATE,
                    fd, offset);
            if (at.address() == -1L) {
                errno[0] = -Native.errno(capture);
                return null;
            }
            return at.reinterpret(length);
        } catch (Throwable t) {
            throw Native.unexpected(t);
        }
    }

    /** munmap of a region {@link #mmap} returned. */
    public void munmap(MemorySegment region) {
        try {
            int ignored = (int) MUNMAP.invokeExact(Native.capture(), region, region.byteSize());
        } catch (Throwable t) {
            throw Native.unexpected(t);
        }
    }

    /**
     * The file type bits of {@code fd} ({@link Constants#S_IFMT} of its mode), by
     * statx(fd, "", AT_EMPTY_PATH, STATX_TYPE).
     *
     * @param scratch at least 256 bytes (a struct statx)
     * @return the type bits, or {@code -errno} (EBADF for a closed fd)
     */
    public int fileType(int fd, MemorySegment scratch, MemorySegment emptyPath) {
        try {
            MemorySegment capture = Native.capture();
            int r = (int) STATX.invokeExact(capture, fd, emptyPath, Constants.AT_EMPTY_PATH, Constants.STATX_TYPE,
                    scratch);
            if (r != 0) return -Native.errno(capture);
            return scratch.get(JAVA_SHORT_UNALIGNED, UringLayout.STATX_MODE) & Constants.S_IFMT;
        } catch (Throwable t) {
            throw Native.unexpected(t);
        }
    }

    private static final java.lang.foreign.ValueLayout.OfShort JAVA_SHORT_UNALIGNED =
            java.lang.foreign.ValueLayout.JAVA_SHORT.withByteAlignment(1);
}
