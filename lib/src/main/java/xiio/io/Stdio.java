package xiio.io;

import java.io.IOException;
import java.util.Objects;
import xiio.unix.Errno;
import xiio.unix.ErrnoException;
import xiio.unix.sys.Constants;
import xiio.unix.sys.FileSyscalls;

/**
 * stdin, stdout and stderr as async streams, whatever they are: a pipe, a file, a
 * tty, a socket, {@code /dev/null}.
 *
 * <p>Each call returns a new {@link FdStream} that owns an fd of its own; closing it
 * never closes fd 0, 1 or 2 (so {@code System.out} keeps working).
 *
 * <p><b>Why not just set O_NONBLOCK on fd 0?</b> {@code O_NONBLOCK} belongs to the
 * <em>open file description</em>, which an inherited fd shares with the parent shell
 * and every other process of the pipeline. Setting it would make their reads and
 * writes fail with EAGAIN (a shell left with a non-blocking tty is a classic bug),
 * would stay set if this JVM were killed, and would make {@code System.out} (a
 * blocking {@code FileOutputStream} on the same description) drop output whenever a
 * pipe is full. So, per kind of file:
 * <ul>
 * <li><b>pipe or tty</b> (and other character devices): reopened through
 *     {@code /proc/self/fd/N} with {@code O_NONBLOCK}. That gives a new open file
 *     description of the same pipe or terminal, whose flags are ours alone.
 * <li><b>socket</b>: dup'ed, and read and written with {@code MSG_DONTWAIT}, which
 *     makes one call non-blocking without touching the shared flags.
 * <li><b>regular file</b>: dup'ed (sharing the file offset, as the shell expects:
 *     {@code (prog; cat) < file}). O_NONBLOCK means nothing for files, and epoll
 *     refuses them, so the loop treats them as always ready: reads and writes do
 *     the disk I/O in place, on the loop's thread (fast for the page cache, a stall
 *     on a cold network file system).
 * <li><b>fallback</b>: if the reopen is refused (e.g. a pipe created by another user),
 *     O_NONBLOCK is set on the shared description after all, and the original flags
 *     are restored when the stream is closed or, failing that, when the JVM exits
 *     normally (a shutdown hook). A killed JVM cannot restore them.
 * </ul>
 *
 * {@snippet :
 * try (FdStream stdin = Stdio.stdin(); FdStream stdout = Stdio.stdout()) {
 *     StreamReader in = new StreamReader(stdin);
 *     for (String line; (line = in.readLine(64 * 1024)) != null; ) {
 *         byte[] b = (line.toUpperCase() + "\n").getBytes(StandardCharsets.UTF_8);
 *         stdout.writeAll(b, 0, b.length);
 *     }
 * }
 * }
 */
public final class Stdio {
    private Stdio() {}

    /** A new stream reading fd 0. */
    public static FdStream stdin() throws IOException {
        return inherit(0, FdStream.Access.READ, "stdin");
    }

    /** A new stream writing fd 1. */
    public static FdStream stdout() throws IOException {
        return inherit(1, FdStream.Access.WRITE, "stdout");
    }

    /** A new stream writing fd 2. */
    public static FdStream stderr() throws IOException {
        return inherit(2, FdStream.Access.WRITE, "stderr");
    }

    /**
     * A stream over an fd this process inherited or does not own, made non-blocking
     * without changing what other processes share (see the class comment). The
     * stream owns a new fd; {@code fd} itself stays open and unchanged.
     *
     * @param name for error messages, e.g. {@code "stdin"}
     * @throws IOException if {@code fd} is not open, or cannot be reopened or duplicated
     */
    public static FdStream inherit(int fd, FdStream.Access access, String name) throws IOException {
        Objects.requireNonNull(access, "access");
        Objects.requireNonNull(name, "name");
        if (fd < 0) throw new IllegalArgumentException("invalid fd " + fd + ": must not be negative");
        FdType type = FdType.of(fd);
        String description = name + " (" + type.name().toLowerCase().replace('_', ' ') + ")";
        return switch (type) {
            case SOCKET -> new FdStream(dup(fd, name), access, FdStream.Transfer.SOCKET_DONTWAIT, description);
            case PIPE, CHARACTER_DEVICE -> reopenOrShare(fd, access, description);
            case REGULAR_FILE, OTHER -> new FdStream(dup(fd, name), access, FdStream.Transfer.FILE, description);
        };
    }

    private static FdStream reopenOrShare(int fd, FdStream.Access access, String description) throws IOException {
        int mode = switch (access) {
            case READ -> Constants.O_RDONLY;
            case WRITE -> Constants.O_WRONLY;
            case READ_WRITE -> Constants.O_RDWR;
        };
        try {
            // O_NOCTTY: opening a tty must not make it our controlling terminal.
            int own = FileSyscalls.get().open("/proc/self/fd/" + fd, mode | Constants.O_NONBLOCK | Constants.O_NOCTTY, 0);
            return new FdStream(own, access, FdStream.Transfer.FILE, description);
        } catch (ErrnoException refused) {
            return shareNonBlocking(fd, access, description, refused);
        }
    }

    /** The fallback: O_NONBLOCK on the shared description, restored on close and at JVM exit. */
    private static FdStream shareNonBlocking(int fd, FdStream.Access access, String description, ErrnoException why)
            throws IOException {
        int own = dup(fd, description);
        FileSyscalls sys = FileSyscalls.get();
        int original = sys.fcntl(own, Constants.F_GETFL, 0);
        if (original < 0) {
            sys.close(own);
            throw new ErrnoException("fcntl(F_GETFL)(fd " + fd + ", " + description + ")", -original);
        }
        FdStream stream = new FdStream(own, access, FdStream.Transfer.FILE, description + ", shared O_NONBLOCK");
        if ((original & Constants.O_NONBLOCK) != 0) return stream; // already non-blocking: nothing to restore
        int r = sys.fcntl(own, Constants.F_SETFL, original | Constants.O_NONBLOCK);
        if (r < 0) {
            sys.close(own);
            IOException e = new ErrnoException("fcntl(F_SETFL, O_NONBLOCK)(fd " + fd + ", " + description + ")", -r);
            e.addSuppressed(why);
            throw e;
        }
        // The hook goes through fd itself: the stream's own fd may be closed by then.
        Thread hook = new Thread(() -> restore(fd, original), "xiio-restore-flags-fd-" + fd);
        Runtime.getRuntime().addShutdownHook(hook);
        stream.beforeClose(() -> {
            sys.fcntl(own, Constants.F_SETFL, original);
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException shuttingDown) {
                // the hook runs anyway; restoring twice is harmless
            }
        });
        return stream;
    }

    private static void restore(int fd, int flags) {
        // fd may have been closed or replaced meanwhile; only restore what still looks like ours
        int now = FileSyscalls.get().fcntl(fd, Constants.F_GETFL, 0);
        if (now >= 0 && (now & ~Constants.O_NONBLOCK) == (flags & ~Constants.O_NONBLOCK)) {
            FileSyscalls.get().fcntl(fd, Constants.F_SETFL, flags);
        }
    }

    /** fcntl(F_DUPFD_CLOEXEC): a new fd for the same open file description. */
    private static int dup(int fd, String name) throws IOException {
        int r = FileSyscalls.get().fcntl(fd, Constants.F_DUPFD_CLOEXEC, 3);
        if (r < 0) {
            if (r == -Errno.EBADF) throw new IOException(name + ": fd " + fd + " is not open");
            throw new ErrnoException("fcntl(F_DUPFD_CLOEXEC)(fd " + fd + ", " + name + ")", -r);
        }
        return r;
    }
}
