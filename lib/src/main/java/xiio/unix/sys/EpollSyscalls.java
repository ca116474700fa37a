package xiio.unix.sys;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import xiio.unix.ErrnoException;

/**
 * epoll_create1, epoll_ctl and epoll_wait. Results follow {@link FileSyscalls}:
 * the kernel's value, or {@code -errno}.
 */
public class EpollSyscalls {
    private static volatile EpollSyscalls current = new EpollSyscalls();

    /** The table in use. */
    public static EpollSyscalls get() {
        return current;
    }

    /** Replaces the table (for fault-injection tests); returns the previous one. */
    public static EpollSyscalls install(EpollSyscalls table) {
        EpollSyscalls previous = current;
        current = table;
        return previous;
    }

    protected EpollSyscalls() {}

    private static final MethodHandle CREATE = Native.errnoCall("epoll_create1",
            FunctionDescriptor.of(JAVA_INT, JAVA_INT), false);
    // epoll_ctl is short and never blocks, so it may run as a critical call.
    private static final MethodHandle CTL = Native.errnoCall("epoll_ctl",
            FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT, ADDRESS), true);
    // epoll_wait blocks: it must never be critical, or a GC would wait for it.
    private static final MethodHandle WAIT = Native.errnoCall("epoll_wait",
            FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS, JAVA_INT, JAVA_INT), false);

    private static final ValueLayout.OfInt EVENTS = JAVA_INT.withByteAlignment(1);
    private static final ValueLayout.OfInt DATA = JAVA_INT.withByteAlignment(1);

    /** epoll_create1(EPOLL_CLOEXEC): the new epoll fd. */
    public int create() throws ErrnoException {
        try {
            MemorySegment capture = Native.capture();
            int fd = (int) CREATE.invokeExact(capture, Constants.EPOLL_CLOEXEC);
            if (fd < 0) throw new ErrnoException("epoll_create1()", Native.errno(capture));
            return fd;
        } catch (ErrnoException e) {
            throw e;
        } catch (Throwable t) {
            throw Native.unexpected(t);
        }
    }

    /**
     * epoll_ctl with the fd itself as the event's data.
     *
     * @param event scratch memory of at least {@link Constants#EPOLL_EVENT_SIZE} bytes
     * @return 0 or {@code -errno}
     */
    public int ctl(int epfd, int op, int fd, int events, MemorySegment event) {
        event.set(EVENTS, 0, events);
        event.set(DATA, Constants.EPOLL_EVENT_DATA_OFFSET, fd);
        try {
            MemorySegment capture = Native.capture();
            int r = (int) CTL.invokeExact(capture, epfd, op, fd, event);
            return r == 0 ? 0 : -Native.errno(capture);
        } catch (Throwable t) {
            throw Native.unexpected(t);
        }
    }

    /**
     * epoll_wait into {@code events} (room for {@code max} entries).
     *
     * @return the number of ready entries, or {@code -errno} (EINTR when a signal came)
     */
    public int wait(int epfd, MemorySegment events, int max, int timeoutMillis) {
        try {
            MemorySegment capture = Native.capture();
            int n = (int) WAIT.invokeExact(capture, epfd, events, max, timeoutMillis);
            return n >= 0 ? n : -Native.errno(capture);
        } catch (Throwable t) {
            throw Native.unexpected(t);
        }
    }

    /** The event mask of entry {@code i} of an epoll_wait result. */
    public static int eventsAt(MemorySegment events, int i) {
        return events.get(EVENTS, i * Constants.EPOLL_EVENT_SIZE);
    }

    /** The fd of entry {@code i} of an epoll_wait result. */
    public static int fdAt(MemorySegment events, int i) {
        return events.get(DATA, i * Constants.EPOLL_EVENT_SIZE + Constants.EPOLL_EVENT_DATA_OFFSET);
    }

    /** Allocates room for {@code max} epoll events in {@code arena}. */
    public static MemorySegment allocateEvents(Arena arena, int max) {
        return arena.allocate(Constants.EPOLL_EVENT_SIZE * max, 8);
    }
}
