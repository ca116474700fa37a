package xiio.file;

import java.nio.file.LinkOption;
import java.nio.file.OpenOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.util.Objects;
import java.util.Set;
import xiio.unix.sys.Constants;

/**
 * The open(2) flags and mode for the JDK's {@link OpenOption}s, with the JDK's rules
 * ({@code FileChannel.open}): no READ or WRITE means READ; CREATE and TRUNCATE_EXISTING
 * count only when writing; READ with APPEND, and APPEND with TRUNCATE_EXISTING, are
 * refused. Every fd is opened {@code O_CLOEXEC}, {@code O_NOCTTY} (a tty never becomes
 * our controlling terminal) and {@code O_NONBLOCK}: without it, opening a FIFO blocks
 * until the other end is opened, before we could refuse it for not being a regular
 * file. O_NONBLOCK means nothing to a regular file's reads and writes.
 */
record OpenFlags(int flags, int mode, boolean read, boolean write, boolean append) {
    /** rw-rw-rw-, less the umask: what the JDK and open(1)-style tools create. */
    static final int DEFAULT_MODE = 0666;

    static OpenFlags of(Set<? extends OpenOption> options, FileAttribute<?>... attrs) {
        Objects.requireNonNull(options, "options");
        boolean read = false, write = false, append = false, create = false, createNew = false, truncate = false;
        int extra = 0;
        for (OpenOption o : options) {
            Objects.requireNonNull(o, "an open option is null");
            if (o == StandardOpenOption.READ) read = true;
            else if (o == StandardOpenOption.WRITE) write = true;
            else if (o == StandardOpenOption.APPEND) append = true;
            else if (o == StandardOpenOption.CREATE) create = true;
            else if (o == StandardOpenOption.CREATE_NEW) createNew = true;
            else if (o == StandardOpenOption.TRUNCATE_EXISTING) truncate = true;
            else if (o == StandardOpenOption.SYNC) extra |= Constants.O_SYNC;
            else if (o == StandardOpenOption.DSYNC) extra |= Constants.O_DSYNC;
            else if (o == StandardOpenOption.SPARSE) { } // a hint; Linux files are sparse anyway
            else if (o == LinkOption.NOFOLLOW_LINKS) extra |= Constants.O_NOFOLLOW;
            else {
                throw new UnsupportedOperationException("open option " + o + " is not supported by AsyncFile"
                        + (o == StandardOpenOption.DELETE_ON_CLOSE ? " (delete the file yourself after closing it)" : ""));
            }
        }
        if (append) write = true;
        if (!read && !write) read = true;
        if (read && append) throw new IllegalArgumentException("READ + APPEND not allowed: open the file twice, or use WRITE");
        if (append && truncate) throw new IllegalArgumentException("APPEND + TRUNCATE_EXISTING not allowed");
        int flags = read && write ? Constants.O_RDWR : write ? Constants.O_WRONLY : Constants.O_RDONLY;
        if (write) {
            if (createNew) flags |= Constants.O_CREAT | Constants.O_EXCL;
            else if (create) flags |= Constants.O_CREAT;
            if (truncate) flags |= Constants.O_TRUNC;
            if (append) flags |= Constants.O_APPEND;
        }
        flags |= extra | Constants.O_CLOEXEC | Constants.O_NOCTTY | Constants.O_NONBLOCK;
        return new OpenFlags(flags, mode(attrs), read, write, append);
    }

    private static int mode(FileAttribute<?>... attrs) {
        int mode = DEFAULT_MODE;
        for (FileAttribute<?> a : attrs) {
            Objects.requireNonNull(a, "a file attribute is null");
            if (!a.name().equals("posix:permissions") && !a.name().equals("unix:permissions")) {
                throw new UnsupportedOperationException("file attribute '" + a.name()
                        + "' is not supported by AsyncFile: only posix:permissions (PosixFilePermissions.asFileAttribute)");
            }
            mode = 0;
            for (Object p : (Set<?>) a.value()) mode |= bit((PosixFilePermission) p);
        }
        return mode;
    }

    private static int bit(PosixFilePermission p) {
        return switch (p) {
            case OWNER_READ -> 0400;
            case OWNER_WRITE -> 0200;
            case OWNER_EXECUTE -> 0100;
            case GROUP_READ -> 040;
            case GROUP_WRITE -> 020;
            case GROUP_EXECUTE -> 010;
            case OTHERS_READ -> 04;
            case OTHERS_WRITE -> 02;
            case OTHERS_EXECUTE -> 01;
        };
    }

    /** The options in words, for messages: {@code "read, write"}. */
    String describe() {
        return (read ? "read" : "") + (read && write ? ", " : "") + (append ? "append" : write ? "write" : "");
    }
}
