package xiio.tls;

import java.io.IOException;
import javax.net.ssl.SSLEngineResult;
import javax.net.ssl.SSLEngineResult.HandshakeStatus;
import javax.net.ssl.SSLException;

/**
 * The handshake of one {@link TlsStream}: the first one, driven by whichever
 * coroutine calls first while the others wait for it, and the help a writer gives
 * the engine when a later renegotiation or KeyUpdate stops its wrap.
 */
final class TlsHandshake {
    private final TlsEngineDriver d;
    private final TurnLock handshaking;
    private boolean started, done;

    TlsHandshake(TlsEngineDriver driver) {
        this.d = driver;
        this.handshaking = new TurnLock(driver.changes);
    }

    boolean isDone() {
        return done;
    }

    /** Returns once the first handshake is done. Cancel-safe: a later call resumes it. */
    void run() throws IOException {
        while (!done) {
            d.checkUsable();
            if (!handshaking.takeOrAwait()) continue;
            try {
                drive();
            } finally {
                handshaking.release();
            }
        }
    }

    private void drive() throws IOException {
        if (!started) {
            try {
                d.engine.beginHandshake();
            } catch (SSLException e) {
                throw d.fail(e);
            }
            started = true;
        }
        while (true) {
            d.checkUsable();
            switch (d.engine.getHandshakeStatus()) {
                case NEED_TASK -> d.tasks.run();
                case NEED_WRAP -> {
                    SSLEngineResult r = d.out.wrap(TlsOutbound.NO_DATA);
                    if (r.getStatus() == SSLEngineResult.Status.BUFFER_OVERFLOW) d.out.flush(true);
                    else if (r.getStatus() == SSLEngineResult.Status.CLOSED) throw d.closedDuringHandshake(null);
                }
                case NEED_UNWRAP, NEED_UNWRAP_AGAIN -> {
                    d.out.flush(true); // the peer needs our flight before it answers
                    d.in.stepOrAwait();
                }
                case FINISHED, NOT_HANDSHAKING -> {
                    d.out.flush(true); // our last flight (the client's Finished) must reach the peer
                    done = true;
                    return;
                }
            }
        }
    }

    /** A writer's wrap made no progress: do what the engine needs so that it can. */
    void help(HandshakeStatus hs) throws IOException {
        switch (hs) {
            case NEED_TASK -> d.tasks.run();
            case NEED_UNWRAP, NEED_UNWRAP_AGAIN -> {
                d.out.flush(true);
                // a reader is receiving what the engine waits for, or will once it has taken the plaintext
                if (d.in.hasPlaintext()) d.changes.awaitChange();
                else d.in.stepOrAwait();
            }
            default -> {} // NEED_WRAP: the next wrap produces it
        }
    }
}
