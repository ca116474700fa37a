package xiio.http.server;

import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import xiio.core.CancelScope;
import xiio.core.Xiio;
import xiio.http.BodyFraming;
import xiio.http.BodyReader;
import xiio.http.BodySink;
import xiio.http.HttpException;

/**
 * The body of a request, read on demand with backpressure: nothing is read until the
 * handler asks, so a handler that reads slowly slows the client down (TCP flow
 * control) instead of filling memory. A client that sent {@code Expect: 100-continue}
 * is told to go on at the first read. Each read waits at most the server's
 * {@code bodyTimeout} for a byte, and all reads together wait at most its
 * {@code maxBodyDuration} (408 after either: a client trickling a byte at a time
 * cannot hold the handler forever); the whole body is at most {@code maxBodyBytes}
 * (413).
 *
 * {@snippet :
 * long size = 0;
 * byte[] buf = new byte[64 * 1024];
 * for (int n; (n = request.body().read(buf, 0, buf.length)) > 0; ) size += n;
 * }
 *
 * <p>A body the handler leaves unread makes the server close the connection after
 * the response (it cannot know where the next request starts otherwise).
 */
public final class RequestBody {
    /** What the connection does when the body is first read and when it is done. */
    interface Events {
        void firstRead() throws IOException;

        void done();
    }

    private final BodyReader reader;
    private final Duration readTimeout, maxDuration;
    private final long readTimeoutNanos;
    private long waitLeftNanos; // of maxDuration: what the reads may still wait in all
    private final Events events;
    private boolean started, reportedDone;

    RequestBody(BodyReader reader, Duration readTimeout, Duration maxDuration, Events events) {
        this.reader = reader;
        this.readTimeout = readTimeout;
        this.maxDuration = maxDuration;
        this.readTimeoutNanos = StallLimitedStream.saturatedNanos(readTimeout);
        this.waitLeftNanos = StallLimitedStream.saturatedNanos(maxDuration);
        this.events = events;
        if (reader.isDone()) reportDone();
    }

    /**
     * Reads at least one byte of the body.
     *
     * @param b   where to put them
     * @param off the first index
     * @param len the most bytes
     * @return how many, or -1 at the end of the body
     * @throws HttpException 413 over the limit, 408 when no byte arrives within the
     *         body timeout or the reads waited {@code maxBodyDuration} in all, 400 for a
     *         malformed chunk
     * @throws IOException if the connection fails or ends inside the body
     */
    public int read(byte[] b, int off, int len) throws IOException {
        if (!started) {
            started = true;
            if (!reader.isDone()) events.firstRead();
        }
        if (reader.isDone()) return -1;
        if (waitLeftNanos <= 0) throw tooSlow();
        boolean stallFirst = readTimeoutNanos <= waitLeftNanos; // which limit this read's deadline is
        long start = Xiio.nanoTime();
        long deadline = StallLimitedStream.deadlineAfter(start, stallFirst ? readTimeoutNanos : waitLeftNanos);
        Integer n;
        try {
            n = CancelScope.openUntil(deadline, scope -> reader.read(b, off, len));
        } catch (IOException | RuntimeException e) {
            throw e;
        } catch (Exception impossible) {
            throw new IllegalStateException(impossible);
        } finally {
            waitLeftNanos -= Xiio.nanoTime() - start; // only the waiting counts, not the handler's time between reads
        }
        if (n == null) {
            if (stallFirst) throw new HttpException(408, "the request body stalled for " + StallLimitedStream.format(readTimeout));
            throw tooSlow();
        }
        if (reader.isDone()) reportDone();
        return n;
    }

    private HttpException tooSlow() {
        return new HttpException(408, "the request body took longer than " + StallLimitedStream.format(maxDuration)
                + " to arrive (" + reader.bytesRead() + " bytes by then)");
    }

    private void reportDone() {
        if (!reportedDone) {
            reportedDone = true;
            events.done();
        }
    }

    /**
     * The rest of the body in memory, at most the server's {@code maxBodyBytes}.
     *
     * @return the bytes (empty for a request without a body)
     * @throws IOException as {@link #read}
     */
    public byte[] readAllBytes() throws IOException {
        BodyFraming framing = reader.framing();
        long left = framing.kind() == BodyFraming.Kind.LENGTH ? framing.length() - reader.bytesRead() : -1;
        if (left < 0 || left > Integer.MAX_VALUE - 16) {
            java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
            transferTo(out::write);
            return out.toByteArray();
        }
        // A declared length: one array of the exact size, read straight into (no growing
        // copies, and reads as large as the socket holds). The first read checks the limit
        // (a 413) before that array exists, so a huge declared length allocates nothing.
        byte[] probe = new byte[(int) Math.min(8192, left)];
        int got = probe.length == 0 ? -1 : read(probe, 0, probe.length);
        if (got < 0) return new byte[0];
        byte[] all = new byte[(int) left];
        System.arraycopy(probe, 0, all, 0, got);
        while (got < all.length) {
            int n = read(all, got, all.length - got);
            if (n < 0) throw new java.io.EOFException("the body ended " + (all.length - got) + " bytes early");
            got += n;
        }
        return all;
    }

    /**
     * The rest of the body into {@code sink}, piece by piece.
     *
     * @param sink where the bytes go
     * @return how many bytes it took
     * @throws IOException as {@link #read}, or the sink's own
     */
    public long transferTo(BodySink sink) throws IOException {
        // 64 KiB: a loopback socket holds that much at once, so a megabyte takes 16 reads, not 64
        byte[] buf = new byte[(int) Math.min(64 * 1024, Math.max(1, left()))];
        long total = 0;
        for (int n; (n = read(buf, 0, buf.length)) > 0; total += n) sink.accept(buf, 0, n);
        return total;
    }

    /**
     * The body's declared length: its {@code Content-Length} (0 for a request without a
     * body), or -1 for a chunked body (whose length is known only at its end). A response
     * that streams this body back can declare it
     * ({@link Response#stream(int, String, long, Response.StreamingBody)}).
     *
     * @return the declared length in bytes, or -1
     */
    public long length() {
        BodyFraming framing = reader.framing();
        return switch (framing.kind()) {
            case LENGTH -> framing.length();
            case NONE -> 0;
            default -> -1;
        };
    }

    /** @return whether the whole body has been read */
    public boolean isDone() {
        return reader.isDone();
    }

    /** What is left of a declared length, or {@code Long.MAX_VALUE} when unknown. */
    private long left() {
        long length = length();
        return length < 0 ? Long.MAX_VALUE : length - reader.bytesRead();
    }

    /** @return the body bytes read so far */
    public long bytesRead() {
        return reader.bytesRead();
    }

    /**
     * The body as an {@link InputStream} whose reads suspend (call it from the handler's
     * coroutine only, not from another thread).
     *
     * @return a stream over the rest of the body; closing it does not close the connection
     */
    public InputStream inputStream() {
        return new InputStream() {
            @Override
            public int read() throws IOException {
                byte[] one = new byte[1];
                return RequestBody.this.read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
            }

            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                if (len == 0) return 0;
                return RequestBody.this.read(b, off, len);
            }
        };
    }
}
