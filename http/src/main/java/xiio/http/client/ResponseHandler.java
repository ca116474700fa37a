package xiio.http.client;

/**
 * What to do with a response whose body is still arriving, inside
 * {@link HttpClient#exchange}. It runs in the caller's coroutine, under the caller's
 * cancel scopes; when it returns or throws, the connection goes back to the pool if
 * the body was read to its end, and is closed otherwise.
 *
 * @param <T> what it makes of the response
 */
@FunctionalInterface
public interface ResponseHandler<T> {
    /** Reads what it needs of {@code response} and returns the result of the exchange. */
    T handle(ClientResponse response) throws Exception;
}
