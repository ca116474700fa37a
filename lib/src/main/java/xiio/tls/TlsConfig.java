package xiio.tls;

import java.util.List;
import java.util.Objects;
import javax.net.ssl.SSLContext;

/**
 * How a {@link TlsStream} negotiates: the {@link SSLContext} with keys and trust, the
 * ALPN protocols, hostname verification, client authentication and the protocol
 * versions. An immutable value; the {@code with...} methods return changed copies.
 *
 * {@snippet :
 * SSLContext context = new TlsContextBuilder().trustPem(Path.of("ca.pem")).build();
 * TlsConfig config = TlsConfig.of(context).withApplicationProtocols("h2", "http/1.1");
 * }
 *
 * @param context the keys (for servers and authenticating clients) and the trust anchors
 * @param applicationProtocols ALPN names: the client offers them in this order; the
 *        server picks the first of its own list the client also offers; empty for no ALPN
 * @param verifyHostname whether a client checks that the server's certificate names the
 *        server it asked for (endpoint identification "HTTPS"); on by default, and
 *        turning it off lets anyone holding a trusted certificate impersonate the server
 * @param clientAuth whether a server asks clients for a certificate
 * @param protocols the enabled protocol versions (e.g. {@code "TLSv1.3"}); empty for the
 *        context's defaults
 * @param allowTruncation whether a transport that ends without the peer's close_notify
 *        reads as a clean end of stream; off by default, so a truncated transfer is an
 *        {@link javax.net.ssl.SSLException} (turn it on for peers that just hang up,
 *        as many HTTP servers do when the message carries its own length)
 */
public record TlsConfig(
        SSLContext context,
        List<String> applicationProtocols,
        boolean verifyHostname,
        ClientAuth clientAuth,
        List<String> protocols,
        boolean allowTruncation) {

    /** Whether a server asks its clients for a certificate. */
    public enum ClientAuth {
        /** The server does not ask. */
        NONE,
        /** The server asks; a client without a certificate may still connect. */
        WANT,
        /** The server asks, and the handshake fails without a trusted client certificate. */
        NEED
    }

    /**
     * Checks the fields and copies the lists.
     *
     * @throws IllegalArgumentException if an ALPN name is empty or longer than 255 bytes
     */
    public TlsConfig {
        Objects.requireNonNull(context, "context");
        Objects.requireNonNull(clientAuth, "clientAuth");
        applicationProtocols = List.copyOf(applicationProtocols);
        protocols = List.copyOf(protocols);
        for (String p : applicationProtocols) {
            int bytes = p.getBytes(java.nio.charset.StandardCharsets.UTF_8).length;
            if (bytes == 0 || bytes > 255) {
                throw new IllegalArgumentException("ALPN protocol name '" + p + "' must be 1 to 255 bytes long (RFC 7301), got " + bytes);
            }
        }
    }

    /** The defaults with {@code context}: no ALPN, hostname verification on, no client auth. */
    public static TlsConfig of(SSLContext context) {
        return new TlsConfig(context, List.of(), true, ClientAuth.NONE, List.of(), false);
    }

    /**
     * The defaults with the JDK's default context, which trusts the JDK's certificate
     * authorities and has no key: for clients of public servers.
     *
     * @throws IllegalStateException if the JDK has no default context (a broken cacerts file)
     */
    public static TlsConfig defaults() {
        try {
            return of(SSLContext.getDefault());
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK has no default SSLContext: " + e.getMessage(), e);
        }
    }

    /** A copy offering (client) or accepting (server) these ALPN protocols, most preferred first. */
    public TlsConfig withApplicationProtocols(String... names) {
        return new TlsConfig(context, List.of(names), verifyHostname, clientAuth, protocols, allowTruncation);
    }

    /** A copy with hostname verification on or off (clients only; see {@link #verifyHostname()}). */
    public TlsConfig withVerifyHostname(boolean verify) {
        return new TlsConfig(context, applicationProtocols, verify, clientAuth, protocols, allowTruncation);
    }

    /** A copy whose servers ask clients for certificates as {@code auth} says. */
    public TlsConfig withClientAuth(ClientAuth auth) {
        return new TlsConfig(context, applicationProtocols, verifyHostname, auth, protocols, allowTruncation);
    }

    /** A copy enabling only these protocol versions, e.g. {@code "TLSv1.3"}. */
    public TlsConfig withProtocols(String... versions) {
        return new TlsConfig(context, applicationProtocols, verifyHostname, clientAuth, List.of(versions), allowTruncation);
    }

    /** A copy that reads a missing close_notify as end of stream or not (see {@link #allowTruncation()}). */
    public TlsConfig withAllowTruncation(boolean allow) {
        return new TlsConfig(context, applicationProtocols, verifyHostname, clientAuth, protocols, allow);
    }
}
