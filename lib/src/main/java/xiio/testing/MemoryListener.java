package xiio.testing;

import java.io.IOException;
import java.util.ArrayDeque;
import xiio.core.Promise;
import xiio.core.Xiio;

/** A listener of a {@link MemoryNetwork}: {@link #accept()} as on {@code TcpListener}. */
public final class MemoryListener implements AutoCloseable {
    private final MemoryNetwork network;
    private final int port;
    private final ArrayDeque<MemoryStream> pending = new ArrayDeque<>();
    private Promise<Void> arrived = new Promise<>();
    private boolean closed;

    MemoryListener(MemoryNetwork network, int port) {
        this.network = network;
        this.port = port;
    }

    /**
     * Waits for a connection and returns the server's end of it.
     *
     * @throws IOException if the listener is closed, before or while waiting
     */
    public MemoryStream accept() throws IOException {
        while (true) {
            if (closed) throw new IOException("accept on a closed memory listener (port " + port + ")");
            MemoryStream s = pending.poll();
            if (s != null) return s;
            Xiio.await(arrived.condition());
        }
    }

    /** The port it listens on. */
    public int port() {
        return port;
    }

    void offer(MemoryStream serverEnd) {
        pending.add(serverEnd);
        wake();
    }

    /** Stops listening: connections not yet accepted are reset, waiting accepts fail. Idempotent. */
    @Override
    public void close() {
        if (closed) return;
        closed = true;
        network.unbind(this);
        for (MemoryStream s; (s = pending.poll()) != null; ) s.reset();
        wake();
    }

    private void wake() {
        Promise<Void> p = arrived;
        arrived = new Promise<>();
        p.complete(null);
    }

    @Override
    public String toString() {
        return "MemoryListener[port " + port + (closed ? ", closed" : "") + "]";
    }
}
