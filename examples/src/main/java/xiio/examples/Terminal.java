package xiio.examples;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import xiio.process.CompletedProcess;
import xiio.process.Redirect;
import xiio.process.Subprocess;

/**
 * What little the examples need to know about the terminal, without native calls of
 * their own: whether an fd is one, and its size.
 */
final class Terminal {
    /** ANSI: carriage return and erase the line (for a progress line redrawn in place). */
    static final String CLEAR_LINE = "\r\033[K";
    /** ANSI: cursor home, then erase the screen. */
    static final String CLEAR_SCREEN = "\033[H\033[2J";

    private Terminal() {}

    /** Rows and columns. */
    record Size(int rows, int columns) {
        static final Size DEFAULT = new Size(24, 80);
    }

    /**
     * Whether {@code fd} is a terminal. isatty(3) would need a native call; the link
     * /proc/self/fd/N names the device instead: a pseudo-terminal (/dev/pts/N), a
     * virtual console (/dev/ttyN) or the console.
     */
    static boolean isTerminal(int fd) {
        try {
            String target = Files.readSymbolicLink(Path.of("/proc/self/fd/" + fd)).toString();
            return target.startsWith("/dev/pts/") || target.startsWith("/dev/tty") || target.equals("/dev/console");
        } catch (IOException | UnsupportedOperationException notLinux) {
            return false;
        }
    }

    /**
     * The size of the controlling terminal, asked of {@code stty size} with the
     * terminal as its stdin (the TIOCGWINSZ ioctl, without a native call here); the
     * 24x80 default if there is none. Suspends while stty runs.
     */
    static Size size() {
        try {
            CompletedProcess stty = Subprocess.builder(List.of("stty", "size"))
                    .stdin(Redirect.file(Path.of("/dev/tty"))).stdout(Redirect.PIPE).stderr(Redirect.NULL).run();
            String[] rc = stty.stdoutText().strip().split("\\s+");
            if (stty.status().success() && rc.length == 2) {
                Size s = new Size(Integer.parseInt(rc[0]), Integer.parseInt(rc[1]));
                if (s.rows() > 0 && s.columns() > 0) return s;
            }
        } catch (IOException | RuntimeException noTerminal) {
            // no controlling terminal, or no stty: fall through
        }
        return Size.DEFAULT;
    }
}
