package xiio.http.server;

/**
 * Answers one request: a plain method that may suspend (sleep, read the request body,
 * call a database on a thread pool, make an outbound HTTP call, run a subprocess).
 *
 * <p>It runs in a cancel scope of its own that is cancelled when the client goes away
 * (it closes or resets the connection, or the server's graceful shutdown runs out of
 * time): a {@link xiio.core.CancelledError} is raised at its suspension point, so its
 * downstream work is cancelled and its {@code finally} blocks run. A streaming
 * response's body runs in the same scope.
 *
 * <p>An {@link xiio.http.HttpException} it throws is answered with its status; any
 * other exception with 500 (and logged).
 *
 * {@snippet :
 * Handler hello = request -> Response.text(200, "hello " + request.path() + "\n");
 * }
 */
@FunctionalInterface
public interface Handler {
    /**
     * The response to {@code request}.
     *
     * @param request the request; its body is read through {@link Request#body()}
     * @return the response
     * @throws Exception answered with 500, or the status of an {@link xiio.http.HttpException}
     */
    Response handle(Request request) throws Exception;
}
