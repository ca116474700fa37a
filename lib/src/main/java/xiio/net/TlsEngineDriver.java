package xiio.net;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.concurrent.CompletableFuture;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLEngineResult;
import javax.net.ssl.SSLEngineResult.HandshakeStatus;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLHandshakeException;
import xiio.core.Promise;
import xiio.core.Xiio;
import xiio.io.ByteStream;
import xiio.thread.ThreadPool;

/**
 * Moves bytes between an {@link SSLEngine} and a transport {@link ByteStream}: the
 * mechanism behind {@link TlsStream}.
 *
 * <p>Three buffers, all bounded: {@code netIn} (ciphertext read from the transport,
 * not yet unwrapped), {@code appIn} (plaintext unwrapped, not yet read) and
 * {@code netOut} (ciphertext wrapped, not yet written). Engine calls never suspend;
 * only transport reads and writes and delegated tasks do, so every state change
 * between two suspensions is atomic with respect to the other coroutines of the run.
 *
 * <p>A reader and a writer coroutine may use the stream at once, and TLS needs each
 * to help the other now and then (a reader answers a KeyUpdate, a writer waits for a
 * renegotiation the reader receives). Three roles keep them apart: <em>reading</em>
 * (fills and unwraps {@code netIn}), <em>flushing</em> (writes {@code netOut} to the
 * transport) and <em>tasking</em> (runs delegated tasks). One coroutine holds a role
 * at a time; the others wait on {@link #changed}, a promise made only when someone
 * waits and completed whenever a role is released. Records are appended to
 * {@code netOut} in the order the engine wraps them, also while another coroutine
 * flushes, because {@code netOut} is never compacted during a flush: the flusher
 * re-reads the end after every transport write and sends what was appended.
 *
 * <p>A reader that has to answer the peer (a KeyUpdate) appends its record and leaves
 * it to a flush already under way rather than waiting for it: a writer blocked
 * because the peer is not reading must not stop us reading, or both sides would wait
 * for each other.
 */
final class TlsEngineDriver {
    private static final ByteBuffer EMPTY = ByteBuffer.allocate(0);

    final SSLEngine engine;
    final String peer;
    private final ByteStream transport;
    private final boolean allowTruncation;

    private ByteBuffer netIn;  // read mode: [position, limit) is ciphertext not yet unwrapped
    private ByteBuffer appIn;  // read mode: [position, limit) is plaintext not yet read
    private ByteBuffer netOut; // [outStart, outEnd) is ciphertext not yet written
    private int outStart, outEnd;

    private boolean reading, flushing, tasking, handshaking, writing;
    private boolean handshakeStarted, handshakeDone, inboundDone, outputShut, closed;
    private IOException failure;          // the engine failed: every later call fails too
    private IOException truncated;        // the transport ended without close_notify
    private CompletableFuture<Void> tasksOnWorker; // delegated tasks still running on a worker
    private Promise<Void> changed;

    TlsEngineDriver(ByteStream transport, SSLEngine engine, String peer, boolean allowTruncation) {
        this.transport = transport;
        this.engine = engine;
        this.peer = peer;
        this.allowTruncation = allowTruncation;
        int packet = engine.getSession().getPacketBufferSize();
        netIn = ByteBuffer.allocate(packet).limit(0);
        appIn = ByteBuffer.allocate(engine.getSession().getApplicationBufferSize()).limit(0);
        // room for one full record being flushed plus one control record appended meanwhile
        netOut = ByteBuffer.allocate(2 * packet + 1024);
    }

    boolean handshakeDone() {
        return handshakeDone;
    }

    // --- the operations TlsStream exposes --------------------------------------------

    void handshake() throws IOException {
        while (!handshakeDone) {
            checkUsable();
            if (handshaking) {
                awaitChange();
                continue;
            }
            handshaking = true;
            try {
                driveHandshake();
            } finally {
                handshaking = false;
                signal();
            }
        }
    }

    int read(byte[] buf, int off, int len) throws IOException {
        handshake();
        while (true) {
            if (appIn.hasRemaining()) {
                int n = Math.min(len, appIn.remaining());
                appIn.get(buf, off, n);
                signal(); // a writer helping a renegotiation may wait for room in appIn
                return n;
            }
            if (inboundDone) return -1;
            if (truncated != null) throw new SSLException(truncated.getMessage(), truncated);
            checkUsable();
            if (reading) {
                awaitChange();
                continue;
            }
            reading = true;
            try {
                inboundStep();
            } finally {
                reading = false;
                signal();
            }
        }
    }

    int write(byte[] buf, int off, int len) throws IOException {
        handshake();
        while (writing) awaitChange();
        writing = true;
        try {
            checkWritable();
            // Earlier records first: a cancellation here has consumed nothing of buf.
            flush(true);
            ByteBuffer src = ByteBuffer.wrap(buf, off, len);
            while (true) {
                checkWritable();
                SSLEngineResult r = wrap(src);
                switch (r.getStatus()) {
                    case OK -> {
                        if (r.bytesConsumed() > 0) {
                            // Once encrypted the bytes are committed: a cancellation while
                            // they are flushed leaves them queued for the next write or close.
                            flush(true);
                            return r.bytesConsumed();
                        }
                        helpHandshake(r.getHandshakeStatus());
                    }
                    case BUFFER_OVERFLOW -> flush(true);
                    case CLOSED -> throw new SSLException("cannot write to the TLS stream with " + peer
                            + ": the session is closed");
                    case BUFFER_UNDERFLOW -> throw new IllegalStateException("SSLEngine.wrap reported BUFFER_UNDERFLOW");
                }
            }
        } finally {
            writing = false;
            signal();
        }
    }

    /** Sends close_notify after everything written so far, then half-closes the transport. */
    void shutdownOutput() throws IOException {
        if (outputShut) return;
        handshake();
        while (writing) awaitChange();
        writing = true;
        try {
            if (outputShut) return;
            checkUsable();
            engine.closeOutbound();
            sendCloseNotify(true);
            outputShut = true;
            transport.shutdownOutput();
        } finally {
            writing = false;
            signal();
        }
    }

    /**
     * Sends close_notify if the session is up and the transport can take it, then
     * closes the transport. A peer that already left is not an error here; a
     * cancellation is rethrown once the transport is closed.
     */
    void close() throws IOException {
        if (closed) return;
        try {
            if (handshakeDone && failure == null && !outputShut && !writing && !flushing) {
                engine.closeOutbound();
                sendCloseNotify(false);
            }
        } catch (IOException peerGone) {
            // close_notify is a courtesy; the transport close below is what matters
        } finally {
            closed = true;
            signal(); // waiters see `closed` and fail
            transport.close();
        }
    }

    // --- the handshake ------------------------------------------------------------------

    private void driveHandshake() throws IOException {
        if (!handshakeStarted) {
            try {
                engine.beginHandshake();
            } catch (SSLException e) {
                throw fail(e);
            }
            handshakeStarted = true;
        }
        while (true) {
            checkUsable();
            HandshakeStatus hs = engine.getHandshakeStatus();
            switch (hs) {
                case NEED_TASK -> runTasks();
                case NEED_WRAP -> {
                    SSLEngineResult r = wrap(EMPTY);
                    if (r.getStatus() == SSLEngineResult.Status.BUFFER_OVERFLOW) flush(true);
                    else if (r.getStatus() == SSLEngineResult.Status.CLOSED) throw closedDuringHandshake(null);
                }
                case NEED_UNWRAP, NEED_UNWRAP_AGAIN -> {
                    flush(true); // the peer needs our flight before it answers
                    if (reading) {
                        awaitChange();
                        continue;
                    }
                    reading = true;
                    try {
                        SSLEngineResult r = unwrap();
                        switch (r.getStatus()) {
                            case BUFFER_UNDERFLOW -> fill();
                            case BUFFER_OVERFLOW -> growAppIn();
                            case CLOSED -> throw closedDuringHandshake(null);
                            case OK -> {}
                        }
                    } finally {
                        reading = false;
                        signal();
                    }
                }
                case FINISHED, NOT_HANDSHAKING -> {
                    flush(true); // our last flight (the client's Finished) must reach the peer
                    handshakeDone = true;
                    return;
                }
            }
        }
    }

    /** A writer's wrap made no progress: do what the engine needs so that it can. */
    private void helpHandshake(HandshakeStatus hs) throws IOException {
        switch (hs) {
            case NEED_TASK -> runTasks();
            case NEED_UNWRAP, NEED_UNWRAP_AGAIN -> {
                flush(true);
                if (reading || appIn.hasRemaining()) {
                    awaitChange(); // a reader is receiving what the engine waits for
                    return;
                }
                reading = true;
                try {
                    inboundStep();
                } finally {
                    reading = false;
                    signal();
                }
            }
            default -> {} // NEED_WRAP: the next wrap produces it
        }
    }

    // --- inbound --------------------------------------------------------------------------

    /** One unwrap and what it calls for; may suspend once to fill netIn. Needs the reading role. */
    private void inboundStep() throws IOException {
        SSLEngineResult r = unwrap();
        switch (r.getStatus()) {
            case OK -> answerEngine();
            case BUFFER_UNDERFLOW -> fill();
            case BUFFER_OVERFLOW -> {
                if (!appIn.hasRemaining()) growAppIn();
            }
            case CLOSED -> {
                inboundDone = true; // the peer's close_notify: end of stream
                answerEngine();
            }
        }
    }

    /** After the handshake: runs tasks and sends the answers (KeyUpdate, close_notify) the engine asks for. */
    private void answerEngine() throws IOException {
        while (true) {
            switch (engine.getHandshakeStatus()) {
                case NEED_TASK -> runTasks();
                case NEED_WRAP -> {
                    if (!wrapControl()) return;
                }
                default -> {
                    return;
                }
            }
        }
    }

    /** Wraps one control record and flushes it unless a flush under way will; false if the engine is closed. */
    private boolean wrapControl() throws IOException {
        while (true) {
            SSLEngineResult r = wrap(EMPTY);
            switch (r.getStatus()) {
                case BUFFER_OVERFLOW -> flush(true);
                case CLOSED -> {
                    flush(false);
                    return r.bytesProduced() > 0;
                }
                default -> {
                    flush(false);
                    return r.bytesProduced() > 0 || r.getHandshakeStatus() != HandshakeStatus.NEED_WRAP;
                }
            }
        }
    }

    private SSLEngineResult unwrap() throws IOException {
        appIn.compact();
        SSLEngineResult r;
        try {
            r = engine.unwrap(netIn, appIn);
        } catch (SSLException e) {
            appIn.flip(); // before fail(), which may suspend while others look at appIn
            throw fail(e);
        }
        appIn.flip();
        return r;
    }

    /** Reads more ciphertext; cancel-safe because the transport read consumes nothing when cancelled. */
    private void fill() throws IOException {
        netIn.compact().flip();
        if (netIn.limit() == netIn.capacity()) {
            int needed = engine.getSession().getPacketBufferSize();
            if (needed <= netIn.capacity()) {
                throw fail(new SSLException("a TLS record from " + peer + " does not fit in " + netIn.capacity() + " bytes"));
            }
            netIn = ByteBuffer.allocate(needed).put(netIn).flip();
        }
        int start = netIn.limit();
        int n = transport.read(netIn.array(), start, netIn.capacity() - start);
        if (n > 0) {
            netIn.limit(start + n);
            return;
        }
        if (!handshakeDone) {
            throw closedDuringHandshake("the connection ended");
        }
        if (allowTruncation) {
            inboundDone = true;
            return;
        }
        truncated = new SSLException("the TLS stream from " + peer + " ended without close_notify: the data may be"
                + " truncated (TlsConfig.withAllowTruncation(true) reads this as a clean end of stream)");
        throw truncated;
    }

    private void growAppIn() {
        int size = Math.max(appIn.capacity() * 2, engine.getSession().getApplicationBufferSize());
        appIn = ByteBuffer.allocate(size).put(appIn).flip();
    }

    // --- outbound -------------------------------------------------------------------------

    private SSLEngineResult wrap(ByteBuffer src) throws IOException {
        prepareOut();
        SSLEngineResult r;
        try {
            r = engine.wrap(src, netOut);
        } catch (SSLException e) {
            outEnd = netOut.position();
            throw fail(e);
        }
        outEnd = netOut.position();
        return r;
    }

    /** Positions netOut for a wrap after the pending bytes, compacting it unless a flush is under way. */
    private void prepareOut() {
        if (!flushing && outStart > 0) {
            byte[] a = netOut.array();
            System.arraycopy(a, outStart, a, 0, outEnd - outStart);
            outEnd -= outStart;
            outStart = 0;
        }
        netOut.limit(netOut.capacity()).position(outEnd);
    }

    /**
     * Writes netOut to the transport. When another coroutine is flushing, waits for it
     * ({@code waitForOthers}) or leaves the bytes to it: it sends what was appended.
     */
    private void flush(boolean waitForOthers) throws IOException {
        while (outStart < outEnd) {
            if (flushing) {
                if (!waitForOthers) return;
                awaitChange();
                continue;
            }
            if (closed) throw new IOException("the TLS stream with " + peer + " is closed");
            flushing = true;
            try {
                while (outStart < outEnd) {
                    outStart += transport.write(netOut.array(), outStart, outEnd - outStart);
                }
                outStart = outEnd = 0;
            } finally {
                flushing = false;
                signal();
            }
        }
    }

    private void sendCloseNotify(boolean wait) throws IOException {
        flush(wait);
        while (!engine.isOutboundDone()) {
            SSLEngineResult r = wrap(EMPTY);
            if (r.getStatus() == SSLEngineResult.Status.BUFFER_OVERFLOW) flush(wait);
            else if (r.bytesProduced() == 0) break;
        }
        flush(wait);
    }

    // --- delegated tasks ------------------------------------------------------------------

    /**
     * Runs the engine's delegated tasks on {@link ThreadPool#common()}.
     *
     * <p>Why a worker and not inline: the tasks are the handshake's public-key work
     * (measured on this machine, 2 cores: a server's RSA-2048 signature 1.2 ms, an ECDSA
     * P-256 one 0.15 ms, certificate path validation 0.2-0.5 ms), against ~25 µs for a
     * pool round trip through an eventfd; and a trust manager may do blocking I/O
     * (revocation checks fetch CRLs and OCSP answers). Inline would block every other
     * connection of the loop for that long, per handshake.
     *
     * <p>Cancel-safe: a cancelled wait leaves the tasks running on their worker, and the
     * next caller waits for them (on a worker too) before asking the engine for more.
     */
    private void runTasks() throws IOException {
        while (tasking) awaitChange();
        tasking = true;
        try {
            CompletableFuture<Void> earlier = tasksOnWorker;
            if (earlier != null) {
                if (!earlier.isDone()) onWorker(earlier::join);
                tasksOnWorker = null;
            }
            Runnable first = engine.getDelegatedTask();
            if (first == null) return;
            CompletableFuture<Void> done = new CompletableFuture<>();
            tasksOnWorker = done;
            onWorker(() -> {
                try {
                    first.run();
                    for (Runnable t; (t = engine.getDelegatedTask()) != null; ) t.run();
                } finally {
                    done.complete(null);
                }
                return null;
            });
            tasksOnWorker = null;
        } finally {
            tasking = false;
            signal();
        }
    }

    private static void onWorker(java.util.concurrent.Callable<?> work) throws IOException {
        try {
            ThreadPool.common().call(work);
        } catch (IOException | RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new IOException("a TLS delegated task failed: " + e, e);
        }
    }

    // --- roles, failures ------------------------------------------------------------------

    /** Waits until some role is released or some state changes. Cancel-safe: it has no effect. */
    private void awaitChange() throws IOException {
        Promise<Void> p = changed;
        if (p == null) changed = p = new Promise<>();
        Xiio.await(p.condition());
    }

    private void signal() {
        Promise<Void> p = changed;
        if (p != null) {
            changed = null;
            p.complete(null);
        }
    }

    private void checkUsable() throws IOException {
        if (closed) throw new IOException("the TLS stream with " + peer + " is closed");
        if (failure != null) {
            IOException again = failure instanceof SSLHandshakeException
                    ? new SSLHandshakeException(failure.getMessage()) : new SSLException(failure.getMessage());
            again.initCause(failure);
            throw again;
        }
    }

    private void checkWritable() throws IOException {
        checkUsable();
        if (outputShut) throw new IOException("cannot write to the TLS stream with " + peer + ": its output was shut down");
    }

    private IOException closedDuringHandshake(String what) {
        return fail(new SSLHandshakeException((what == null ? "the peer closed the session" : what)
                + " during the TLS handshake with " + peer));
    }

    /**
     * Records the engine's failure with a message naming the peer and the reason, and
     * tries to send the alert the engine prepared so the peer learns why.
     */
    private IOException fail(SSLException e) {
        IOException described = TlsHandshakeException.describe(e, peer, handshakeDone);
        if (failure == null) {
            failure = described;
            try {
                sendAlert();
            } catch (IOException | RuntimeException ignored) {
                // the peer may already be gone; our failure is what the caller needs
            }
            signal();
        }
        return described;
    }

    private void sendAlert() throws IOException {
        if (flushing || closed) return;
        for (int i = 0; i < 4 && engine.getHandshakeStatus() == HandshakeStatus.NEED_WRAP; i++) {
            prepareOut();
            try {
                engine.wrap(EMPTY, netOut);
            } catch (SSLException alreadyFailed) {
                // wrap rethrows the failure once the alert is out
            } finally {
                outEnd = netOut.position();
            }
        }
        flush(false);
    }
}
