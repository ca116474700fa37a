package xiio.tls;

import java.io.IOException;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLHandshakeException;
import xiio.io.ByteStream;

/**
 * Moves bytes between an {@link SSLEngine} and a transport {@link ByteStream}: the
 * mechanism behind {@link TlsStream}. This class holds what the parts share (the
 * engine, the transport, whether the stream failed or closed) and the operations
 * {@link TlsStream} exposes; the parts are {@link TlsHandshake}, {@link TlsInbound}
 * (reads and unwraps), {@link TlsOutbound} (wraps and flushes) and
 * {@link TlsDelegatedTasks}.
 *
 * <p>Three buffers, all bounded: {@code netIn} (ciphertext read from the transport,
 * not yet unwrapped), {@code appIn} (plaintext unwrapped, not yet read) and
 * {@code netOut} (ciphertext wrapped, not yet written). Engine calls never suspend;
 * only transport reads and writes and delegated tasks do, so every state change
 * between two suspensions is atomic with respect to the other coroutines of the run.
 *
 * <p>A reader and a writer coroutine may use the stream at once, and TLS needs each
 * to help the other now and then (a reader answers a KeyUpdate, a writer waits for a
 * renegotiation the reader receives). {@linkplain TurnLock Roles} keep them apart:
 * <em>reading</em> (fills and unwraps {@code netIn}), <em>flushing</em> (writes
 * {@code netOut} to the transport), <em>writing</em> (one write call at a time),
 * <em>handshaking</em> and running delegated tasks. One coroutine holds a role at a
 * time; the others wait for a change, {@linkplain Broadcast signalled} whenever a role
 * is released. Records are appended to {@code netOut} in the order the engine wraps
 * them, also while another coroutine flushes, because {@code netOut} is never
 * compacted during a flush: the flusher re-reads the end after every transport write
 * and sends what was appended.
 *
 * <p>A reader that has to answer the peer (a KeyUpdate) appends its record and leaves
 * it to a flush already under way rather than waiting for it: a writer blocked
 * because the peer is not reading must not stop us reading, or both sides would wait
 * for each other.
 */
final class TlsEngineDriver {
    final SSLEngine engine;
    final String peer;
    final ByteStream transport;
    final boolean allowTruncation;
    final Broadcast changes = new Broadcast();
    final TlsDelegatedTasks tasks;
    final TlsHandshake handshake;
    final TlsInbound in;
    final TlsOutbound out;

    private boolean closed;
    private IOException failure; // the engine failed: every later call fails too

    TlsEngineDriver(ByteStream transport, SSLEngine engine, String peer, boolean allowTruncation) {
        this.transport = transport;
        this.engine = engine;
        this.peer = peer;
        this.allowTruncation = allowTruncation;
        this.tasks = new TlsDelegatedTasks(engine, changes);
        this.handshake = new TlsHandshake(this);
        this.in = new TlsInbound(this);
        this.out = new TlsOutbound(this);
    }

    boolean handshakeDone() {
        return handshake.isDone();
    }

    // --- the operations TlsStream exposes --------------------------------------------

    void handshake() throws IOException {
        handshake.run();
    }

    int read(byte[] buf, int off, int len) throws IOException {
        handshake.run();
        return in.read(buf, off, len);
    }

    int write(byte[] buf, int off, int len) throws IOException {
        handshake.run();
        return out.write(buf, off, len);
    }

    /** Sends close_notify after everything written so far, then half-closes the transport. */
    void shutdownOutput() throws IOException {
        if (out.isShut()) return;
        handshake.run();
        out.shutdown();
    }

    /**
     * Sends close_notify if the session is up and the transport can take it, then
     * closes the transport. A peer that already left is not an error here; a
     * cancellation is rethrown once the transport is closed.
     */
    void close() throws IOException {
        if (closed) return;
        try {
            if (handshakeDone() && failure == null && out.isIdle()) {
                engine.closeOutbound();
                out.sendCloseNotify(false);
            }
        } catch (IOException peerGone) {
            // close_notify is a courtesy; the transport close below is what matters
        } finally {
            in.drainBeforeClose();
            closed = true;
            changes.signal(); // waiters see `closed` and fail
            transport.close();
        }
    }

    // --- state checks and failures ----------------------------------------------------

    boolean isClosed() {
        return closed;
    }

    boolean hasFailed() {
        return failure != null;
    }

    void checkOpen() throws IOException {
        if (closed) throw new IOException("the TLS stream with " + peer + " is closed");
    }

    void checkUsable() throws IOException {
        checkOpen();
        if (failure instanceof TlsHandshakeException h) throw new TlsHandshakeException(h);
        if (failure != null) throw new SSLException(failure.getMessage(), failure);
    }

    IOException closedDuringHandshake(String what) {
        return fail(new SSLHandshakeException((what == null ? "the peer closed the session" : what)
                + " during the TLS handshake with " + peer));
    }

    /**
     * Records the engine's failure with a message naming the peer and the reason, and
     * tries to send the alert the engine prepared so the peer learns why.
     */
    IOException fail(SSLException e) {
        IOException described = TlsHandshakeException.describe(e, peer, handshakeDone());
        if (failure == null) {
            failure = described;
            try {
                out.sendAlert();
            } catch (IOException | RuntimeException ignored) {
                // the peer may already be gone; our failure is what the caller needs
            }
            changes.signal();
        }
        return described;
    }
}
