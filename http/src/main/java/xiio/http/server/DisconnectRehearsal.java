package xiio.http.server;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import xiio.concurrent.TaskGroup;
import xiio.core.CancelledError;
import xiio.core.Xiio;
import xiio.net.TcpListener;
import xiio.net.TcpStream;
import xiio.thread.ThreadPool;

/**
 * Once per JVM, before the first server accepts: walks the path a client's reset takes
 * through a request in flight, on a loopback connection of its own, so that the first
 * real reset costs what later ones do. The path: a read fails with ECONNRESET (the
 * library builds its exception: errno name, {@code strerror}, message), the watch
 * fails with {@link ClientGoneException}, its task group cancels the sibling, which
 * waits in a {@link ThreadPool} call that interrupts its job and closes its eventfd.
 *
 * <p>Why: in a fresh JVM the first reset reached the handler's {@code finally} 10-35 ms
 * late, against ~1 ms afterwards; timestamps along the path showed it spent in code
 * that had never run yet: linking the {@code strerror} downcall and the message's
 * string concatenation (2-20 ms), delivering the first cancellation (0.3-9 ms) and the
 * first close of a pool call's eventfd (1-9 ms), each slower still while the JIT's
 * threads compete for the cores. Rehearsed, the first reset is as fast as the next.
 *
 * <p>It costs a few milliseconds (tens in a fresh JVM) before the first accept, one
 * common-pool worker for as long, and four fds it closes again.
 * {@code -Dxiio.http.rehearseDisconnect=false} turns it off.
 */
final class DisconnectRehearsal {
    private static final boolean ENABLED = !"false".equals(System.getProperty("xiio.http.rehearseDisconnect"));
    private static final AtomicBoolean DONE = new AtomicBoolean();
    private static final System.Logger LOG = System.getLogger("xiio.http.server");

    private DisconnectRehearsal() {}

    /** Rehearses the reset path if no server of this JVM has; a failure only costs the speed it was to gain. */
    static void once() {
        if (!ENABLED || !DONE.compareAndSet(false, true)) return;
        try {
            rehearse();
        } catch (CancelledError e) {
            throw e; // the server's own cancellation: not ours to swallow
        } catch (Exception e) {
            LOG.log(System.Logger.Level.DEBUG, "the disconnect rehearsal failed (the first reset will be slower)", e);
        }
    }

    private static void rehearse() throws Exception {
        try (TcpListener listener = TcpListener.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
                TcpStream client = TcpStream.connect(listener.localAddress());
                TcpStream accepted = listener.accept()) {
            boolean[] jobStarted = {false};
            try {
                TaskGroup.scope(group -> {
                    group.spawn("rehearsed handler", () -> ThreadPool.common().call(() -> {
                        synchronized (jobStarted) {
                            jobStarted[0] = true;
                        }
                        Thread.sleep(Duration.ofSeconds(10)); // a slow database call: the interrupt ends it
                        return null;
                    }, true));
                    group.spawn("rehearsed watch", () -> {
                        try {
                            accepted.read(new byte[1], 0, 1);
                        } catch (java.io.IOException reset) {
                            throw new ClientGoneException("rehearsal: the client reset the connection", reset);
                        }
                        // an end of stream instead of the reset: end the rehearsal all the same
                        throw new ClientGoneException("rehearsal: the client closed the connection");
                    });
                    for (int i = 0; i < 200 && !started(jobStarted); i++) Xiio.sleep(Duration.ofMillis(1));
                    client.reset();
                    return null;
                });
            } catch (ClientGoneException expected) {
                // the path ran to its end
            }
        }
    }

    private static boolean started(boolean[] flag) {
        synchronized (flag) {
            return flag[0];
        }
    }
}
