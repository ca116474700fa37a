package xiio.examples;

import java.io.IOException;
import java.time.Duration;
import xiio.core.Xiio;
import xiio.net.TcpListener;
import xiio.net.TcpStream;

/** What the example servers share about accepting connections. */
final class Listeners {
    private Listeners() {}

    /**
     * The next connection. When accept fails (out of fds: EMFILE), the connection stays
     * queued and the next accept would fail at once, so wait 100 ms first: a server that
     * stops on the first EMFILE drops everyone, and one that retries at once spins.
     * Cancellation still ends the wait (it is an Error, not an IOException).
     */
    static TcpStream acceptOrBackOff(TcpListener listener) {
        while (true) {
            try {
                return listener.accept();
            } catch (IOException e) {
                System.out.println("accept failed, retrying in 100 ms: " + e.getMessage());
                Xiio.sleep(Duration.ofMillis(100));
            }
        }
    }
}
