/**
 * The TLS layer: sessions over the JDK's {@link javax.net.ssl.SSLEngine}, on any
 * {@link xiio.io.ByteStream} (a TCP connection, a pipe pair, another TLS stream).
 *
 * <ul>
 * <li>{@link xiio.tls.TlsStream}: a TLS session that is itself a {@code ByteStream};
 *     {@code connect} for a client over TCP, {@code client} and {@code server} over any
 *     transport. A reader and a writer coroutine may use one stream at once.
 * <li>{@link xiio.tls.TlsConfig}: how a session negotiates (context, ALPN, verification,
 *     client authentication, versions, truncation), an immutable record.
 * <li>{@link xiio.tls.TlsContextBuilder}: an {@link javax.net.ssl.SSLContext} from PEM
 *     files, key stores and trust stores.
 * <li>{@link xiio.tls.TlsHandshakeException}: a failed handshake, its reason in words
 *     and as a value.
 * </ul>
 *
 * <p>The engine's delegated tasks (certificate checks) run on a pool of their own,
 * {@code xiio-tls}, apart from DNS and {@code runInThread}. Timeouts are not
 * parameters: the surrounding cancel scope limits every step, the handshake included.
 */
package xiio.tls;
