package xiio.http.server;

import java.io.IOException;
import java.time.Duration;
import xiio.core.CancelScope;
import xiio.core.Xiio;
import xiio.file.AsyncFile;
import xiio.io.ByteStream;
import xiio.io.ForwardingStream;
import xiio.io.FdStream;

/**
 * The connection as the response writer's buffer sees it: a write that has to wait
 * for the client is given up on when the client has not taken the operation's
 * bytes {@code limit} after the operation first had to wait. Without that limit, a
 * client that never reads would hold its connection (and a graceful shutdown)
 * forever.
 *
 * <p>The limit costs nothing while the kernel takes the bytes at once, which is
 * almost always: an fd stream is written with {@link FdStream#tryWrite}, which never
 * suspends, and only when it returns 0 does a timed wait start (a cancel scope, a
 * clock read). Other streams (TLS) cannot be tried without waiting, so each of their
 * writes is timed.
 */
final class StallLimitedStream extends ForwardingStream {
    private static final long NO_DEADLINE_YET = Long.MIN_VALUE;

    private final FdStream fd;           // stream, when writes can be tried without waiting; else null
    private final Duration limit;        // null: wait as long as it takes
    private final long limitNanos;
    private long deadline = NO_DEADLINE_YET;

    StallLimitedStream(ByteStream stream, Duration limit) {
        super(stream);
        this.fd = stream instanceof FdStream f ? f : null;
        this.limit = limit;
        this.limitNanos = limit == null ? Long.MAX_VALUE : saturatedNanos(limit);
    }

    /** Starts an operation (a body piece, a flush): its first wait starts its clock. */
    void startOperation() {
        deadline = NO_DEADLINE_YET;
    }

    @Override
    public int write(byte[] buf, int off, int len) throws IOException {
        if (fd != null) {
            int n = fd.tryWrite(buf, off, len);
            if (n > 0 || len == 0) return n;
        }
        if (limit == null) return stream.write(buf, off, len);
        if (deadline == NO_DEADLINE_YET) {
            deadline = deadlineAfter(Xiio.nanoTime(), limitNanos);
        }
        return withinDeadline(deadline, scope -> stream.write(buf, off, len));
    }

    /** Whether {@link #sendFile} can be used: the stream is a plain fd stream (a TLS stream is not). */
    boolean canSendFile() {
        return fd != null;
    }

    /**
     * One {@link AsyncFile#sendTo} to the fd stream, given up on when the client took
     * none of it for the limit. Each call is its own operation: it returns as soon as
     * some bytes went, so a timeout means no progress for the whole limit. A scope per
     * call costs a clock read; a call moves up to a megabyte.
     *
     * @return the bytes sent (at least 1), or -1 at the end of the file
     */
    long sendFile(AsyncFile file, long position, long count) throws IOException {
        if (limit == null) return file.sendTo(fd, position, count);
        return withinDeadline(deadlineAfter(Xiio.nanoTime(), limitNanos), scope -> file.sendTo(fd, position, count));
    }

    /** {@code io} under {@code deadline}: its result, or the stalled client's IOException. */
    private <T> T withinDeadline(long deadline, CancelScope.Body<T> io) throws IOException {
        T n;
        try {
            n = CancelScope.openUntil(deadline, io);
        } catch (IOException | RuntimeException e) {
            throw e;
        } catch (Exception impossible) {
            throw new IllegalStateException(impossible);
        }
        if (n == null) throw new IOException("the client took no bytes for " + format(limit));
        return n;
    }

    /** {@code d} in nanoseconds, {@link Long#MAX_VALUE} for a duration too long for a long. */
    static long saturatedNanos(Duration d) {
        try {
            return d.toNanos();
        } catch (ArithmeticException tooLong) {
            return Long.MAX_VALUE;
        }
    }

    /** {@code nanos} after {@code now} on the loop's clock; a limit too far to add is no limit. */
    static long deadlineAfter(long now, long nanos) {
        long sum = now + nanos;
        return sum < now ? Long.MAX_VALUE : sum;
    }

    /** "1 s" for whole seconds, else "250 ms": what the messages show. */
    static String format(Duration d) {
        return d.toMillis() % 1000 == 0 ? d.toSeconds() + " s" : d.toMillis() + " ms";
    }
}
