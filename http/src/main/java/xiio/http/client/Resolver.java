package xiio.http.client;

import java.io.IOException;
import java.net.InetAddress;
import java.util.List;
import xiio.net.Dns;

/**
 * How a {@link HttpClient} finds the addresses of a host before it connects to them,
 * happy-eyeballs style ({@link xiio.net.TcpStream#connect(String, int, List)}): the
 * system's resolver by default, or one of your own (a fixed table for tests, a
 * service registry). It runs in the requesting coroutine, inside its cancel scope;
 * one that blocks must do so off the loop (as {@link Dns#resolve(String)} does).
 */
@FunctionalInterface
public interface Resolver {
    /** The system's resolver ({@code /etc/hosts}, nsswitch, DNS) on xiio's lookup threads: {@link Dns#resolve(String)}. */
    Resolver SYSTEM = Dns::resolve;

    /**
     * The addresses of {@code host}, in the order to try them.
     *
     * @param host a host name in lower case; never an IP literal, which the client
     *             connects to without a lookup
     * @return at least one address
     * @throws java.net.UnknownHostException if the host has none
     * @throws IOException if the lookup fails
     */
    List<InetAddress> resolve(String host) throws IOException;
}
