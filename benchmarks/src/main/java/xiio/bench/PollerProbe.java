package xiio.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.stream.Stream;

/**
 * Which kernel poller a server process really holds, read from its open fds while it
 * runs: an io_uring instance is an fd whose link reads {@code anon_inode:[io_uring]},
 * an epoll instance one that reads {@code anon_inode:[eventpoll]}. This is what a row
 * labelled "io_uring" is checked against: a server asked for io_uring by a JVM
 * property that it ignores, or that falls back to epoll because the kernel refuses
 * rings, shows an epoll fd and no ring. A JVM can hold an epoll fd of its own (the
 * JDK's NIO selector), so "both" is possible and is reported as such.
 *
 * @param ioUring io_uring fds open in the process
 * @param epoll epoll fds open in the process
 */
public record PollerProbe(int ioUring, int epoll) {
    /** The fds of process {@code pid} now; none if it cannot be read (it exited, or is not ours). */
    public static PollerProbe of(long pid) {
        int rings = 0, epolls = 0;
        try (Stream<Path> fds = Files.list(Path.of("/proc", Long.toString(pid), "fd"))) {
            for (Path fd : (Iterable<Path>) fds::iterator) {
                String target;
                try {
                    target = Files.readSymbolicLink(fd).toString();
                } catch (IOException closedWhileListing) {
                    continue;
                }
                if (target.equals("anon_inode:[io_uring]")) rings++;
                else if (target.equals("anon_inode:[eventpoll]")) epolls++;
            }
        } catch (IOException | SecurityException gone) {
            return new PollerProbe(0, 0);
        }
        return new PollerProbe(rings, epolls);
    }

    /** "io_uring", "epoll", "io_uring + epoll", or "none seen", for a table cell. */
    public String seen() {
        if (ioUring > 0 && epoll > 0) return "io_uring + epoll";
        if (ioUring > 0) return "io_uring";
        if (epoll > 0) return "epoll";
        return "none seen";
    }

    /** Whether the process holds a ring. */
    public boolean usesIoUring() {
        return ioUring > 0;
    }

    @Override
    public String toString() {
        return String.format(Locale.ROOT, "%s (%d io_uring fd(s), %d epoll fd(s))", seen(), ioUring, epoll);
    }
}
