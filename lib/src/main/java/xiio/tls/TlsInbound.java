package xiio.tls;

import java.io.IOException;
import java.nio.ByteBuffer;
import javax.net.ssl.SSLEngineResult;
import javax.net.ssl.SSLException;
import xiio.io.FdStream;
import xiio.unix.sys.Constants;
import xiio.unix.sys.SocketSyscalls;

/**
 * The inbound half of a {@link TlsStream}: reads ciphertext from the transport into
 * {@code netIn}, unwraps it into {@code appIn} and hands the plaintext to readers.
 * One coroutine at a time holds the reading role; after the handshake it also sends
 * the answers the engine asks for (KeyUpdate, close_notify).
 */
final class TlsInbound {
    private final TlsEngineDriver d;
    private final TurnLock reading;
    private ByteBuffer netIn; // read mode: [position, limit) is ciphertext not yet unwrapped
    private ByteBuffer appIn; // read mode: [position, limit) is plaintext not yet read
    private boolean ended;    // end of stream: the peer's close_notify, or an allowed truncation
    private IOException truncated; // the transport ended without close_notify

    TlsInbound(TlsEngineDriver driver) {
        this.d = driver;
        this.reading = new TurnLock(driver.changes);
        netIn = ByteBuffer.allocate(driver.engine.getSession().getPacketBufferSize()).limit(0);
        appIn = ByteBuffer.allocate(driver.engine.getSession().getApplicationBufferSize()).limit(0);
    }

    int read(byte[] buf, int off, int len) throws IOException {
        while (true) {
            if (appIn.hasRemaining()) {
                int n = Math.min(len, appIn.remaining());
                appIn.get(buf, off, n);
                d.changes.signal(); // a writer helping a renegotiation may wait for room in appIn
                return n;
            }
            if (ended) return -1;
            if (truncated != null) throw new SSLException(truncated.getMessage(), truncated);
            d.checkUsable();
            stepOrAwait();
        }
    }

    boolean hasPlaintext() {
        return appIn.hasRemaining();
    }

    /** One unwrap and what it calls for, or, while another coroutine reads, a wait for it to make one. */
    void stepOrAwait() throws IOException {
        if (!reading.takeOrAwait()) return;
        try {
            if (d.handshakeDone()) step();
            else handshakeStep();
        } finally {
            reading.release();
        }
    }

    /** One unwrap and what it calls for; may suspend once to fill netIn. */
    private void step() throws IOException {
        SSLEngineResult r = unwrap();
        switch (r.getStatus()) {
            case OK -> answerEngine();
            case BUFFER_UNDERFLOW -> fill();
            case BUFFER_OVERFLOW -> {
                if (!appIn.hasRemaining()) growAppIn();
            }
            case CLOSED -> {
                ended = true; // the peer's close_notify: end of stream
                answerEngine();
            }
        }
    }

    /** During the first handshake its own loop answers the engine, and a close is a failure. */
    private void handshakeStep() throws IOException {
        SSLEngineResult r = unwrap();
        switch (r.getStatus()) {
            case BUFFER_UNDERFLOW -> fill();
            case BUFFER_OVERFLOW -> growAppIn();
            case CLOSED -> throw d.closedDuringHandshake(null);
            case OK -> {}
        }
    }

    /** After the handshake: runs tasks and sends the answers (KeyUpdate, close_notify) the engine asks for. */
    private void answerEngine() throws IOException {
        while (true) {
            switch (d.engine.getHandshakeStatus()) {
                case NEED_TASK -> d.tasks.run();
                case NEED_WRAP -> {
                    if (!d.out.wrapControl()) return;
                }
                default -> {
                    return;
                }
            }
        }
    }

    private SSLEngineResult unwrap() throws IOException {
        appIn.compact();
        SSLEngineResult r;
        try {
            r = d.engine.unwrap(netIn, appIn);
        } catch (SSLException e) {
            appIn.flip(); // before fail(), which may suspend while others look at appIn
            throw d.fail(e);
        }
        appIn.flip();
        return r;
    }

    /** Reads more ciphertext; cancel-safe because the transport read consumes nothing when cancelled. */
    private void fill() throws IOException {
        netIn.compact().flip();
        if (netIn.limit() == netIn.capacity()) {
            int needed = d.engine.getSession().getPacketBufferSize();
            if (needed <= netIn.capacity()) {
                throw d.fail(new SSLException("a TLS record from " + d.peer + " does not fit in " + netIn.capacity() + " bytes"));
            }
            netIn = ByteBuffer.allocate(needed).put(netIn).flip();
        }
        int start = netIn.limit();
        int n = d.transport.read(netIn.array(), start, netIn.capacity() - start);
        if (n > 0) {
            netIn.limit(start + n);
            return;
        }
        if (!d.handshakeDone()) {
            throw d.closedDuringHandshake("the connection ended");
        }
        if (d.allowTruncation) {
            ended = true;
            return;
        }
        truncated = new SSLException("the TLS stream from " + d.peer + " ended without close_notify: the data may be"
                + " truncated (TlsConfig.withAllowTruncation(true) reads this as a clean end of stream)");
        throw truncated;
    }

    private void growAppIn() {
        int size = Math.max(appIn.capacity() * 2, d.engine.getSession().getApplicationBufferSize());
        appIn = ByteBuffer.allocate(size).put(appIn).flip();
    }

    /**
     * A TLS 1.3 server sends session tickets after the handshake, and a client that
     * only writes never reads them. Closing a TCP socket with unread data makes Linux
     * send RST instead of FIN, and a peer that gets RST loses what it had not read yet,
     * the end of our data and our close_notify included. So before closing a socket,
     * read what has already arrived, without waiting, and drop it if it is only
     * handshake records. Unread application data stops the drain: then the reset is
     * the right answer, as it is for plain TCP.
     */
    void drainBeforeClose() {
        if (!(d.transport instanceof FdStream fds) || !fds.isOpen() || !d.handshakeDone() || ended
                || reading.isHeld() || d.hasFailed()) {
            return;
        }
        try {
            for (int round = 0; round < 8; round++) {
                netIn.compact().flip();
                int start = netIn.limit();
                if (start == netIn.capacity()) return;
                long n = SocketSyscalls.get().recv(fds.fd(), netIn.array(), start, netIn.capacity() - start,
                        Constants.MSG_DONTWAIT);
                if (n <= 0) return; // nothing more yet, end of stream, or not a socket: close as is
                netIn.limit(start + (int) n);
                while (true) {
                    appIn.compact();
                    SSLEngineResult r = d.engine.unwrap(netIn, appIn);
                    appIn.flip();
                    if (r.bytesProduced() > 0 || r.getStatus() == SSLEngineResult.Status.CLOSED) return;
                    if (r.getStatus() != SSLEngineResult.Status.OK) break;
                    // tickets need no public-key work: their tasks are short enough to run here
                    for (Runnable t; (t = d.engine.getDelegatedTask()) != null; ) t.run();
                }
            }
        } catch (SSLException | RuntimeException e) {
            // we are closing anyway
        }
    }
}
