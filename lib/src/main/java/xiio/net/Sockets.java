package xiio.net;

import static java.lang.foreign.ValueLayout.JAVA_INT;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.net.SocketAddress;
import java.time.Duration;
import xiio.core.Condition;
import xiio.core.Xiio;
import xiio.unix.Errno;
import xiio.unix.sys.Constants;
import xiio.unix.sys.FileSyscalls;
import xiio.unix.sys.SocketSyscalls;

/** The socket steps TCP, Unix and UDP sockets share: open, bind, connect, addresses, options. */
final class Sockets {
    private Sockets() {}

    /** A new non-blocking, close-on-exec socket of the family of {@code address}. */
    static int open(int family, int type, SocketAddress address) throws IOException {
        int fd = SocketSyscalls.get().socket(family, type, 0);
        if (fd < 0) throw NetErrors.of("socket() for", address, "", -fd);
        return fd;
    }

    /**
     * Closes an fd we own after a failed setup step; the original failure is what
     * matters. The syscall table tells the loop (a connect may have waited on it).
     */
    static void closeQuietly(int fd) {
        FileSyscalls.get().close(fd);
    }

    static void setOption(int fd, int level, int name, int value, String what, SocketAddress address) throws IOException {
        int r = SocketSyscalls.get().setIntOption(fd, level, name, value);
        if (r < 0) throw NetErrors.of("setsockopt(" + what + ") on", address, "(fd " + fd + ")", -r);
    }

    static int getOption(int fd, int level, int name, String what, SocketAddress address) throws IOException {
        int r = SocketSyscalls.get().getIntOption(fd, level, name);
        if (r < 0) throw NetErrors.of("getsockopt(" + what + ") on", address, "(fd " + fd + ")", -r);
        return r;
    }

    static void bind(int fd, int family, SocketAddress address) throws IOException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment sa = arena.allocate(Constants.SOCKADDR_STORAGE_SIZE, 8);
            int len = SockAddr.encode(address, family, sa);
            int r = SocketSyscalls.get().bind(fd, sa, len);
            if (r < 0) throw NetErrors.of("bind to", address, "", -r);
        }
    }

    /**
     * Connects {@code fd} to {@code address}, waiting for the handshake. The fd stays
     * the caller's, whatever happens (close it on failure or cancellation).
     */
    static void connect(int fd, int family, SocketAddress address) throws IOException {
        int r;
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment sa = arena.allocate(Constants.SOCKADDR_STORAGE_SIZE, 8);
            int len = SockAddr.encode(address, family, sa);
            r = SocketSyscalls.get().connect(fd, sa, len);
            // A Unix stream socket answers EAGAIN when the listener's backlog is full, and
            // offers no readiness event for "backlog has room": retry with a growing sleep.
            long sleepMicros = 500;
            while (r == -Errno.EAGAIN && family == Constants.AF_UNIX) {
                Xiio.sleep(Duration.ofNanos(sleepMicros * 1000));
                sleepMicros = Math.min(sleepMicros * 2, 100_000);
                r = SocketSyscalls.get().connect(fd, sa, len);
            }
        }
        if (r == 0) return;
        // EINTR: the connection attempt goes on in the background, like EINPROGRESS.
        if (r != -Errno.EINPROGRESS && r != -Errno.EINTR) throw NetErrors.of("connect to", address, "", -r);
        Xiio.await(Condition.writable(fd));
        int error = getOption(fd, Constants.SOL_SOCKET, Constants.SO_ERROR, "SO_ERROR", address);
        if (error != 0) throw NetErrors.of("connect to", address, "", error);
    }

    /** getsockname (local) or getpeername (remote); null when the socket has no peer. */
    static SocketAddress address(int fd, boolean peer, SocketAddress forMessages) throws IOException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment sa = arena.allocate(Constants.SOCKADDR_STORAGE_SIZE, 8);
            MemorySegment len = arena.allocate(JAVA_INT);
            len.set(JAVA_INT, 0, Constants.SOCKADDR_STORAGE_SIZE);
            SocketSyscalls sys = SocketSyscalls.get();
            int r = peer ? sys.getpeername(fd, sa, len) : sys.getsockname(fd, sa, len);
            if (r == -Errno.ENOTCONN && peer) return null;
            if (r < 0) throw NetErrors.of(peer ? "getpeername of" : "getsockname of", forMessages, "(fd " + fd + ")", -r);
            return SockAddr.decode(sa, len.get(JAVA_INT, 0));
        }
    }

    /** Runs a setup step on a fresh fd; closes the fd if the step fails or is cancelled. */
    interface Setup {
        void run() throws IOException;
    }

    static void orClose(int fd, Setup setup) throws IOException {
        try {
            setup.run();
        } catch (IOException | RuntimeException | Error e) { // Error includes CancelledError
            closeQuietly(fd);
            throw e;
        }
    }
}
