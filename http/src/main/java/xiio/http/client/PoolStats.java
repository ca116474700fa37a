package xiio.http.client;

/**
 * A snapshot of a client's connection pool.
 *
 * @param open connections open or being opened, leased or idle
 * @param idle open connections waiting in the pool for the next request
 * @param waiting requests waiting for a connection because a limit is reached
 * @param opened connections opened since the client was created
 */
public record PoolStats(int open, int idle, int waiting, long opened) {
    /** Connections carrying an exchange (or being opened for one) now. */
    public int leased() {
        return open - idle;
    }
}
