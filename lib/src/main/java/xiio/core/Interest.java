package xiio.core;

/** What a coroutine waits for on a file descriptor; a set of them is a {@link Readiness}. */
public enum Interest {
    /** The fd is readable: data, EOF, a pending connection, or an error. */
    READ,
    /** The fd is writable: buffer space, a finished connect, or an error. */
    WRITE
}
