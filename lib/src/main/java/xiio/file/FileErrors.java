package xiio.file;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import xiio.unix.Errno;
import xiio.unix.ErrnoException;

/**
 * The exceptions of file calls. Opening fails with the JDK's own types
 * ({@link NoSuchFileException}, {@link FileAlreadyExistsException},
 * {@link AccessDeniedException}, else {@link FileSystemException}), which is what a
 * Java user catches after {@code Files.newByteChannel}; each names the path and the
 * errno. A failed transfer is an {@link ErrnoException} naming the call, the path and
 * the position.
 */
final class FileErrors {
    private FileErrors() {}

    static IOException open(Path path, OpenFlags how, int errno) {
        String reason = "open(2) for " + how.describe() + ": " + Errno.name(errno) + " (" + Errno.describe(errno) + ")";
        return switch (errno) {
            case Errno.ENOENT -> new NoSuchFileException(path.toString(), null, reason);
            case Errno.EEXIST -> new FileAlreadyExistsException(path.toString(), null, reason);
            case Errno.EACCES, Errno.EPERM -> new AccessDeniedException(path.toString(), null, reason);
            case Errno.EISDIR -> notRegular(path, xiio.unix.sys.Constants.S_IFDIR);
            // opening a FIFO for writing with O_NONBLOCK and no reader
            case Errno.ENXIO -> new FileSystemException(path.toString(), null, reason
                    + ": a FIFO without a reader, or a device; AsyncFile reads and writes regular files only");
            default -> new FileSystemException(path.toString(), null, reason);
        };
    }

    static IOException notRegular(Path path, int type) {
        return new FileSystemException(path.toString(), null, "is " + typeName(type)
                + ", not a regular file: AsyncFile reads and writes regular files only"
                + (type == xiio.unix.sys.Constants.S_IFIFO || type == xiio.unix.sys.Constants.S_IFSOCK
                        || type == xiio.unix.sys.Constants.S_IFCHR
                        ? " (wrap a pipe, socket or tty opened with O_NONBLOCK in an FdStream)" : ""));
    }

    static String typeName(int type) {
        return switch (type) {
            case xiio.unix.sys.Constants.S_IFDIR -> "a directory";
            case xiio.unix.sys.Constants.S_IFIFO -> "a FIFO (named pipe)";
            case xiio.unix.sys.Constants.S_IFSOCK -> "a socket";
            case xiio.unix.sys.Constants.S_IFCHR -> "a character device";
            case xiio.unix.sys.Constants.S_IFBLK -> "a block device";
            default -> "of file type 0" + Integer.toOctalString(type);
        };
    }

    static ErrnoException call(String call, Path path, long position, long errno) {
        return new ErrnoException(call + "(" + path + (position >= 0 ? ", at " + position : "") + ")", (int) -errno);
    }
}
