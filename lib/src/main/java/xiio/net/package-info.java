/**
 * The net layer: TCP, UDP and Unix sockets, and DNS on a thread. TLS is the layer
 * above, {@code xiio.tls}.
 *
 * <ul>
 * <li>{@link xiio.net.TcpListener} / {@link xiio.net.TcpStream}: IPv4, IPv6 and
 *     dual-stack; happy-eyeballs connect; half-close, TCP_NODELAY, keep-alive.
 * <li>{@link xiio.net.UnixListener} / {@link xiio.net.UnixStream}: Unix domain stream
 *     sockets on paths and abstract names ({@link xiio.net.UnixAddress}).
 * <li>{@link xiio.net.UdpSocket}: datagrams with addresses, or connected.
 * <li>{@link xiio.net.Dns}: host names resolved on a worker thread that wakes the loop
 *     through an eventfd.
 * </ul>
 *
 * <p>Timeouts are not parameters: every blocking step (connect, accept, read, write,
 * resolve) is limited by the surrounding cancel scope, e.g.
 * {@code xiio.concurrent.Timeout.withTimeout}, and a cancelled step releases every fd
 * it opened. Failures are the JDK's socket exception types
 * ({@link java.net.ConnectException}, {@link java.net.BindException},
 * {@link java.net.NoRouteToHostException}, {@link java.net.SocketException}), whose
 * messages name the operation, the address and the errno, with an
 * {@link xiio.unix.ErrnoException} as the cause.
 */
package xiio.net;
