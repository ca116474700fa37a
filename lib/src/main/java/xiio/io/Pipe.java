package xiio.io;

import java.io.IOException;
import xiio.unix.sys.FileSyscalls;

/**
 * A new pipe: two owned, non-blocking, close-on-exec ends. Each end is an
 * {@link FdStream} that can be closed on its own (closing the {@link #writer()} is
 * how the reader gets end of file); closing the pipe closes whichever ends are open.
 *
 * <p>Writing into a pipe whose read end is closed fails with EPIPE: the JVM ignores
 * SIGPIPE (see {@link xiio.unix.sys.SocketSyscalls}), so the signal does not kill it.
 *
 * {@snippet :
 * try (Pipe pipe = Pipe.open()) {
 *     TaskGroup.scope(group -> {
 *         group.spawn(() -> {
 *             try (FdStream out = pipe.writer()) {
 *                 out.writeAll("hello\n".getBytes(), 0, 6);
 *             }
 *             return null;
 *         });
 *         return new StreamReader(pipe.reader()).readLine(100);   // "hello"
 *     });
 * }
 * }
 */
public final class Pipe implements AutoCloseable {
    private final FdStream reader;
    private final FdStream writer;

    private Pipe(FdStream reader, FdStream writer) {
        this.reader = reader;
        this.writer = writer;
    }

    /** Creates a pipe with pipe2(O_CLOEXEC | O_NONBLOCK). */
    public static Pipe open() throws IOException {
        int[] fds = FileSyscalls.get().pipe();
        return new Pipe(new FdStream(fds[0], FdStream.Access.READ, FdStream.Transfer.FILE, "pipe read end"),
                new FdStream(fds[1], FdStream.Access.WRITE, FdStream.Transfer.FILE, "pipe write end"));
    }

    /** The read end. */
    public FdStream reader() {
        return reader;
    }

    /** The write end. */
    public FdStream writer() {
        return writer;
    }

    /** Closes both ends (those still open). Idempotent. */
    @Override
    public void close() throws IOException {
        try {
            writer.close();
        } finally {
            reader.close();
        }
    }

    @Override
    public String toString() {
        return "Pipe[" + reader + " <- " + writer + "]";
    }
}
