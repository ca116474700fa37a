package xiio.support;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;

/**
 * Makes the JDK open, once, the fds it keeps for the life of the JVM, so that the leak
 * guard's first count already holds them. A class of its own: the warm-up starts a
 * virtual thread, and a lambda of a class that is still being initialized (the guard's
 * static initializer) would wait for that initialization forever.
 */
final class JdkWarmUp {
    private JdkWarmUp() {}

    /**
     * The JDK's socket code opens one socket of its own on first use and keeps it (the fd
     * it dup2()s over a socket being closed); a virtual thread that first blocks on a
     * socket starts the JDK's pollers, epoll instances that are never closed.
     */
    static void openWhatTheJdkKeepsOpen() {
        InetAddress loopback = InetAddress.ofLiteral("127.0.0.1");
        try (ServerSocket server = new ServerSocket(0, 1, loopback);
                Socket client = new Socket(loopback, server.getLocalPort());
                Socket accepted = server.accept()) {
            Thread reader = Thread.ofVirtual().start(() -> {
                try {
                    accepted.getInputStream().read();
                } catch (IOException ignored) {
                    // the warm-up is done either way
                }
            });
            for (int i = 0; i < 500 && reader.getState() != Thread.State.WAITING; i++) Thread.sleep(10);
            client.shutdownOutput();
            reader.join();
        } catch (IOException | InterruptedException e) {
            throw new ExceptionInInitializerError(e);
        }
    }
}
