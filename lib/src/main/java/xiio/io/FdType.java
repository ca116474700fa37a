package xiio.io;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import xiio.unix.sys.Constants;

/**
 * What kind of file an fd refers to, read from {@code /proc/self/fd/N} (a stat of the
 * fd's file, not of a path). Used to decide how an inherited fd can be made
 * non-blocking without touching state shared with other processes.
 */
enum FdType {
    REGULAR_FILE, PIPE, CHARACTER_DEVICE, SOCKET, OTHER;

    static FdType of(int fd) throws IOException {
        Path link = Path.of("/proc/self/fd/" + fd);
        int mode;
        try {
            mode = (Integer) Files.getAttribute(link, "unix:mode");
        } catch (java.nio.file.NoSuchFileException e) {
            throw new IOException("fd " + fd + " is not open", e);
        }
        return switch (mode & Constants.S_IFMT) {
            case Constants.S_IFREG -> REGULAR_FILE;
            case Constants.S_IFIFO -> PIPE;
            case Constants.S_IFCHR -> CHARACTER_DEVICE;
            case Constants.S_IFSOCK -> SOCKET;
            default -> OTHER;
        };
    }
}
