package xiio.tls;

import java.io.IOException;
import java.nio.ByteBuffer;
import javax.net.ssl.SSLEngineResult;
import javax.net.ssl.SSLEngineResult.HandshakeStatus;
import javax.net.ssl.SSLException;

/**
 * The outbound half of a {@link TlsStream}: wraps plaintext and control records
 * (handshake messages, KeyUpdate, alerts, close_notify) into {@code netOut} and
 * flushes it to the transport. One coroutine at a time writes and one flushes; a
 * record wrapped while another coroutine flushes is appended after the pending bytes,
 * because {@code netOut} is compacted only between flushes.
 */
final class TlsOutbound {
    /** What to wrap when the engine has something of its own to send. */
    static final ByteBuffer NO_DATA = ByteBuffer.allocate(0);

    private final TlsEngineDriver d;
    private final TurnLock writing, flushing;
    private final ByteBuffer netOut; // [outStart, outEnd) is ciphertext not yet written
    private int outStart, outEnd;
    private boolean shut;            // close_notify sent and the transport half-closed

    TlsOutbound(TlsEngineDriver driver) {
        this.d = driver;
        this.writing = new TurnLock(driver.changes);
        this.flushing = new TurnLock(driver.changes);
        // room for one full record being flushed plus one control record appended meanwhile
        netOut = ByteBuffer.allocate(2 * driver.engine.getSession().getPacketBufferSize() + 1024);
    }

    boolean isShut() {
        return shut;
    }

    /** No write or flush under way, and the output is not shut: close() may send close_notify. */
    boolean isIdle() {
        return !shut && !writing.isHeld() && !flushing.isHeld();
    }

    int write(byte[] buf, int off, int len) throws IOException {
        writing.take();
        try {
            checkWritable();
            // Earlier records first: a cancellation here has consumed nothing of buf.
            flush(true);
            ByteBuffer src = ByteBuffer.wrap(buf, off, len);
            while (true) {
                checkWritable();
                HandshakeStatus hs = d.engine.getHandshakeStatus();
                if (hs == HandshakeStatus.NEED_UNWRAP || hs == HandshakeStatus.NEED_UNWRAP_AGAIN
                        || hs == HandshakeStatus.NEED_TASK) {
                    // A renegotiation is under way. The engine would interleave our data with
                    // its messages, which OpenSSL rejects (unexpected_message): wait it out.
                    d.handshake.help(hs);
                    continue;
                }
                SSLEngineResult r = wrap(src);
                switch (r.getStatus()) {
                    case OK -> {
                        if (r.bytesConsumed() > 0) {
                            // Once encrypted the bytes are committed: a cancellation while
                            // they are flushed leaves them queued for the next write or close.
                            flush(true);
                            return r.bytesConsumed();
                        }
                        d.handshake.help(r.getHandshakeStatus());
                    }
                    case BUFFER_OVERFLOW -> flush(true);
                    case CLOSED -> throw new SSLException("cannot write to the TLS stream with " + d.peer
                            + ": the session is closed");
                    case BUFFER_UNDERFLOW -> throw new IllegalStateException("SSLEngine.wrap reported BUFFER_UNDERFLOW");
                }
            }
        } finally {
            writing.release();
        }
    }

    /** Sends close_notify after everything written so far, then half-closes the transport. */
    void shutdown() throws IOException {
        writing.take();
        try {
            if (shut) return;
            d.checkUsable();
            d.engine.closeOutbound();
            sendCloseNotify(true);
            shut = true;
            d.transport.shutdownOutput();
        } finally {
            writing.release();
        }
    }

    private void checkWritable() throws IOException {
        d.checkUsable();
        if (shut) throw new IOException("cannot write to the TLS stream with " + d.peer + ": its output was shut down");
    }

    SSLEngineResult wrap(ByteBuffer src) throws IOException {
        prepareOut();
        SSLEngineResult r;
        try {
            r = d.engine.wrap(src, netOut);
        } catch (SSLException e) {
            outEnd = netOut.position();
            throw d.fail(e);
        }
        outEnd = netOut.position();
        return r;
    }

    /** Wraps one control record and flushes it unless a flush under way will; false if the engine is closed. */
    boolean wrapControl() throws IOException {
        while (true) {
            SSLEngineResult r = wrap(NO_DATA);
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

    /** Positions netOut for a wrap after the pending bytes, compacting it unless a flush is under way. */
    private void prepareOut() {
        if (!flushing.isHeld() && outStart > 0) {
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
    void flush(boolean waitForOthers) throws IOException {
        while (outStart < outEnd) {
            if (flushing.isHeld() && !waitForOthers) return;
            if (!flushing.takeOrAwait()) continue;
            try {
                d.checkOpen();
                while (outStart < outEnd) {
                    outStart += d.transport.write(netOut.array(), outStart, outEnd - outStart);
                }
                outStart = outEnd = 0;
            } finally {
                flushing.release();
            }
        }
    }

    void sendCloseNotify(boolean wait) throws IOException {
        flush(wait);
        while (!d.engine.isOutboundDone()) {
            SSLEngineResult r = wrap(NO_DATA);
            if (r.getStatus() == SSLEngineResult.Status.BUFFER_OVERFLOW) flush(wait);
            else if (r.bytesProduced() == 0) break;
        }
        flush(wait);
    }

    /** Sends the alert the engine prepared after a failure, unless that means waiting for a flush. */
    void sendAlert() throws IOException {
        if (flushing.isHeld() || d.isClosed()) return;
        for (int i = 0; i < 4 && d.engine.getHandshakeStatus() == HandshakeStatus.NEED_WRAP; i++) {
            prepareOut();
            try {
                d.engine.wrap(NO_DATA, netOut);
            } catch (SSLException alreadyFailed) {
                // wrap rethrows the failure once the alert is out
            } finally {
                outEnd = netOut.position();
            }
        }
        flush(false);
    }
}
