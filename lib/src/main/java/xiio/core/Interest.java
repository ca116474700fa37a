package xiio.core;

import xiio.unix.sys.Constants;

/** What a coroutine waits for on a file descriptor. */
public enum Interest {
    /** The fd is readable: data, EOF, a pending connection, or an error. */
    READ(Constants.EPOLLIN),
    /** The fd is writable: buffer space, a finished connect, or an error. */
    WRITE(Constants.EPOLLOUT);

    final int mask;

    Interest(int mask) {
        this.mask = mask;
    }
}
