package xiio.http.server;

import java.net.InetSocketAddress;

/**
 * What an {@link HttpServer} reports about each request it answered and each
 * connection it dropped. The default logs nothing; {@link #systemLogger()} writes
 * one line per request to the {@link System.Logger} {@code xiio.http.server.access}
 * (INFO) and dropped connections at DEBUG. Called on the loop: keep it short.
 *
 * {@snippet :
 * HttpServer server = new HttpServer(router, ServerConfig.DEFAULT).withAccessLog(AccessLog.systemLogger());
 * }
 */
public interface AccessLog {
    /** Logs nothing. */
    AccessLog NONE = (request, status, bytes, nanos) -> {};

    /**
     * A request was answered.
     *
     * @param request the request
     * @param status  the status sent
     * @param bytes   the body bytes sent
     * @param nanos   from the end of the head to the end of the response
     */
    void request(Request request, int status, long bytes, long nanos);

    /**
     * A connection ended abnormally: a reset, a stalled client, a TLS failure, or a
     * malformed request answered with its error status.
     *
     * @param peer   the client
     * @param reason what happened
     */
    default void dropped(InetSocketAddress peer, String reason) {}

    /** @return an access log on {@link System.Logger} {@code xiio.http.server.access} */
    static AccessLog systemLogger() {
        System.Logger log = System.getLogger("xiio.http.server.access");
        return new AccessLog() {
            @Override
            public void request(Request r, int status, long bytes, long nanos) {
                if (log.isLoggable(System.Logger.Level.INFO)) {
                    log.log(System.Logger.Level.INFO, r.peer().getHostString() + ":" + r.peer().getPort() + " \"" + r.method() + " "
                            + r.head().target() + " " + r.head().version() + "\" " + status + " " + bytes + " " + nanos / 1000 + "us");
                }
            }

            @Override
            public void dropped(InetSocketAddress peer, String reason) {
                log.log(System.Logger.Level.DEBUG, () -> peer.getHostString() + ":" + peer.getPort() + " dropped: " + reason);
            }
        };
    }
}
