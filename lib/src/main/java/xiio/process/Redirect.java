package xiio.process;

import java.nio.file.Path;
import java.util.Objects;

/**
 * Where a child's stdin, stdout or stderr goes: this process's own stream
 * ({@link #INHERIT}), a pipe this process reads or writes ({@link #PIPE}),
 * {@code /dev/null} ({@link #NULL}), a file, or, for stderr only, wherever stdout
 * goes ({@link #STDOUT}, the shell's {@code 2>&1}).
 *
 * {@snippet :
 * Subprocess.builder("make", "-j4")
 *         .stdin(Redirect.NULL)
 *         .stdout(Redirect.appendTo(Path.of("build.log")))
 *         .stderr(Redirect.STDOUT)
 *         .run();
 * }
 */
public final class Redirect {
    enum Kind { INHERIT, PIPE, NULL, STDOUT, FILE }

    /** The child shares this process's stream (the default). */
    public static final Redirect INHERIT = new Redirect(Kind.INHERIT, null, false);
    /** A pipe: {@link Subprocess#stdin()}, {@link Subprocess#stdout()} or {@link Subprocess#stderr()}. */
    public static final Redirect PIPE = new Redirect(Kind.PIPE, null, false);
    /** {@code /dev/null}: the child reads end of file, and what it writes is discarded. */
    public static final Redirect NULL = new Redirect(Kind.NULL, null, false);
    /** For stderr only: the same destination as stdout, whatever that is. */
    public static final Redirect STDOUT = new Redirect(Kind.STDOUT, null, false);

    final Kind kind;
    final Path file;
    final boolean append;

    private Redirect(Kind kind, Path file, boolean append) {
        this.kind = kind;
        this.file = file;
        this.append = append;
    }

    /**
     * A file: read from it as stdin; as stdout or stderr, created if missing
     * (mode 0666 minus the umask) and truncated.
     */
    public static Redirect file(Path file) {
        return new Redirect(Kind.FILE, Objects.requireNonNull(file, "file"), false);
    }

    /** A file that stdout or stderr appends to, created if missing. Not valid for stdin. */
    public static Redirect appendTo(Path file) {
        return new Redirect(Kind.FILE, Objects.requireNonNull(file, "file"), true);
    }

    @Override
    public String toString() {
        return switch (kind) {
            case FILE -> (append ? "appendTo(" : "file(") + file + ")";
            default -> kind.name();
        };
    }
}
