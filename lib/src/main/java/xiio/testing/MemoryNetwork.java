package xiio.testing;

import java.net.BindException;
import java.net.ConnectException;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;

/**
 * A network in memory: listeners on numbered ports and connections to them, each a
 * pair of {@link MemoryStream}s whose directions behave as the network's {@link Link}s
 * say. No fds, no kernel: a server and its clients tested on a {@link VirtualClock}
 * behave the same on every run. Use it from the coroutines of one run.
 *
 * {@snippet :
 * MemoryNetwork net = new MemoryNetwork(Link.PERFECT.withLatency(Duration.ofMillis(20)));
 * try (MemoryListener listener = net.bind(8080)) {
 *     MemoryStream client = net.connect(8080);
 *     MemoryStream server = listener.accept();
 * }
 * }
 */
public final class MemoryNetwork {
    private static final int FIRST_EPHEMERAL = 49152;

    private final Link toServer, toClient;
    private final Map<Integer, MemoryListener> listeners = new HashMap<>();
    private int nextEphemeral = FIRST_EPHEMERAL;

    /** A network of perfect links. */
    public MemoryNetwork() {
        this(Link.PERFECT);
    }

    /** A network whose connections behave as {@code link} in both directions. */
    public MemoryNetwork(Link link) {
        this(link, link);
    }

    /** A network whose connections carry client-to-server bytes as {@code toServer}, the others as {@code toClient}. */
    public MemoryNetwork(Link toServer, Link toClient) {
        this.toServer = Objects.requireNonNull(toServer, "toServer");
        this.toClient = Objects.requireNonNull(toClient, "toClient");
    }

    /**
     * A listener on {@code port}, or on a free port for 0.
     *
     * @throws BindException if a listener holds the port
     * @throws IllegalArgumentException if the port is not in 0..65535
     */
    public MemoryListener bind(int port) throws BindException {
        if (port < 0 || port > 65535) throw new IllegalArgumentException("port must be in 0..65535, got " + port);
        if (port == 0) {
            while (listeners.containsKey(nextEphemeral)) nextEphemeral++;
            port = nextEphemeral++;
        }
        if (listeners.containsKey(port)) throw new BindException("memory port " + port + " is in use");
        MemoryListener l = new MemoryListener(this, port);
        listeners.put(port, l);
        return l;
    }

    /**
     * A connection to the listener on {@code port}: the client's end. The server's
     * end waits in the listener's queue for {@link MemoryListener#accept()}.
     *
     * @throws ConnectException if nothing listens there (connection refused)
     */
    public MemoryStream connect(int port) throws ConnectException {
        MemoryListener l = listeners.get(port);
        if (l == null) throw new ConnectException("Connection refused: nothing listens on memory port " + port);
        MemoryStream[] pair = MemoryStream.pair(toServer, toClient);
        l.offer(pair[1]);
        return pair[0];
    }

    void unbind(MemoryListener l) {
        listeners.remove(l.port(), l);
    }
}
