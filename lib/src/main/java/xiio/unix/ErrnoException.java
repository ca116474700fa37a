package xiio.unix;

import java.io.IOException;

/**
 * A system call failed. The message names the call, its subject (an fd, a path or an
 * address) and the errno, for example {@code "read(fd 7): EBADF (Bad file descriptor)"}.
 */
public class ErrnoException extends IOException {
    private static final long serialVersionUID = 1L;
    private final String call;
    private final int errno;

    /**
     * @param call    the call and its subject, e.g. {@code "connect(127.0.0.1:9)"}
     * @param errno   the errno value (positive)
     */
    public ErrnoException(String call, int errno) {
        super(call + ": " + Errno.name(errno) + " (" + Errno.describe(errno) + ")");
        this.call = call;
        this.errno = errno;
    }

    /** The call and its subject, as given to the constructor. */
    public String call() {
        return call;
    }

    /** The errno value, see {@link Errno}. */
    public int errno() {
        return errno;
    }
}
