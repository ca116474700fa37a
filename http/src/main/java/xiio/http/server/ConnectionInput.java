package xiio.http.server;

import java.io.IOException;
import java.time.Duration;
import xiio.core.CancelScope;
import xiio.core.Xiio;
import xiio.http.HttpException;
import xiio.io.ByteStream;
import xiio.io.ForwardingStream;

/**
 * The connection as the request reader sees it. Before every read that may wait,
 * pending answers are sent (the reader reads only when its buffer cannot serve the
 * request, so answers to a pipelined batch pile up and leave together).
 *
 * <p>The limits of a request head are applied here, to the reads that wait, so a
 * head that is already buffered (pipelining) costs no cancel scope and no clock read:
 * after {@link #expectRequest}, a wait for the request's first byte is bounded by the
 * idle timeout ({@link IdleTimeout}: the connection closes quietly), and every later
 * wait until {@link #headRead} by the head timeout, counted from the first of them
 * (a 408).
 *
 * <p>And it can {@link #fill} itself ahead of the reader: the watch for a client that
 * goes away while its request is handled reads here, into a pushback buffer the next
 * read returns first.
 */
final class ConnectionInput extends ForwardingStream {
    private static final int PUSHBACK = 8192;
    private static final int BODY = 0, IDLE = 1, HEAD = 2;
    private static final long NOT_YET = Long.MIN_VALUE;

    /** The idle timeout passed while the connection waited for a request: close it quietly. */
    static final class IdleTimeout extends IOException {
        private static final long serialVersionUID = 1L;

        IdleTimeout() {
            super("idle too long");
        }

        @Override
        public synchronized Throwable fillInStackTrace() {
            return this; // a quiet close, not a failure: no stack to walk
        }
    }

    private final ResponseWriter out;
    private final Duration headTimeout;
    private final long idleNanos, headNanos;
    private byte[] pushback; // made by the first fill: most connections never need one
    private int start, end;
    private int phase = BODY;
    private long headDeadline = NOT_YET;

    ConnectionInput(ByteStream stream, ResponseWriter out, Duration idleTimeout, Duration headTimeout) {
        super(stream);
        this.out = out;
        this.headTimeout = headTimeout;
        this.idleNanos = StallLimitedStream.saturatedNanos(idleTimeout);
        this.headNanos = StallLimitedStream.saturatedNanos(headTimeout);
    }

    /** The next bytes are a request head: bound the waits for it. */
    void expectRequest() {
        phase = start < end ? HEAD : IDLE;
        headDeadline = NOT_YET;
    }

    /** The head has been read (or given up on): reads wait without a limit of this stream's. */
    void headRead() {
        phase = BODY;
    }

    @Override
    public int read(byte[] buf, int off, int len) throws IOException {
        if (start < end) {
            int n = Math.min(len, end - start);
            System.arraycopy(pushback, start, buf, off, n);
            start += n;
            if (phase == IDLE) phase = HEAD;
            return n;
        }
        out.flush();
        return switch (phase) {
            case IDLE -> {
                Integer n = readUntil(deadline(idleNanos), buf, off, len);
                if (n == null) throw new IdleTimeout();
                phase = HEAD; // the first byte is here: from now on, the head timeout
                yield n;
            }
            case HEAD -> {
                if (headDeadline == NOT_YET) headDeadline = deadline(headNanos);
                Integer n = readUntil(headDeadline, buf, off, len);
                if (n == null) throw new HttpException(408, "the request head did not arrive within " + StallLimitedStream.format(headTimeout));
                yield n;
            }
            default -> stream.read(buf, off, len);
        };
    }

    private Integer readUntil(long deadline, byte[] buf, int off, int len) throws IOException {
        try {
            return CancelScope.openUntil(deadline, scope -> stream.read(buf, off, len));
        } catch (IOException | RuntimeException e) {
            throw e;
        } catch (Exception impossible) {
            throw new IllegalStateException(impossible);
        }
    }

    /** {@code nanos} from now on the loop's clock; a limit too far to add is no limit. */
    private static long deadline(long nanos) {
        return nanos == Long.MAX_VALUE ? Long.MAX_VALUE : StallLimitedStream.deadlineAfter(Xiio.nanoTime(), nanos);
    }

    /** @return whether bytes are waiting in the pushback buffer */
    boolean hasPushback() {
        return start < end;
    }

    /**
     * Waits until the client sends something and keeps it for the next read. It does
     * not send what is pending: the handler may be writing. Cancel-safe: a cancelled
     * fill has consumed nothing.
     *
     * @return false at end of stream
     * @throws IOException if the connection fails (a reset)
     */
    boolean fill() throws IOException {
        if (start < end) return true;
        if (pushback == null) pushback = new byte[PUSHBACK];
        int n = stream.read(pushback, 0, pushback.length);
        if (n < 0) return false;
        start = 0;
        end = n;
        return true;
    }
}
