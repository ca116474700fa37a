package xiio.concurrent;

import java.time.Duration;
import java.util.concurrent.TimeoutException;
import xiio.core.CancelScope;
import xiio.core.Suspendable;

/**
 * Time limits on a block of code, built on {@link CancelScope}. When the time is up
 * the body is cancelled at its suspension point (its cleanup runs and may suspend),
 * then {@link #withTimeout} throws {@link TimeoutException} and
 * {@link #withTimeoutOrNull} returns {@code null}. A {@code null} limit means no
 * limit. A cancellation that comes from outside the timeout always passes through.
 *
 * {@snippet :
 * String name = Xiio.run(() -> {
 *     try (FdStream stdin = Stdio.stdin()) {
 *         StreamReader in = new StreamReader(stdin);
 *         return Timeout.withTimeoutOrNull(Duration.ofSeconds(10), () -> in.readLine(1024));
 *     }                                        // null if no line came within 10 s
 * });
 * }
 */
public final class Timeout {
    private Timeout() {}

    /**
     * Runs {@code body}, cancelling it when {@code limit} has passed.
     *
     * @throws TimeoutException if the limit cancelled the body (even if it swallowed the cancellation)
     * @throws IllegalArgumentException if {@code limit} is negative
     */
    public static <T> T withTimeout(Duration limit, Suspendable<T> body) throws Exception {
        CancelScope[] scope = new CancelScope[1];
        T result = open(limit, s -> {
            scope[0] = s;
            return body.call();
        });
        if (scope[0].wasDelivered()) throw new TimeoutException("timed out after " + limit);
        return result;
    }

    /** Like {@link #withTimeout} but returns {@code null} when the limit cancelled the body. */
    public static <T> T withTimeoutOrNull(Duration limit, Suspendable<T> body) throws Exception {
        CancelScope[] scope = new CancelScope[1];
        T result = open(limit, s -> {
            scope[0] = s;
            return body.call();
        });
        return scope[0].wasDelivered() ? null : result;
    }

    private static <T> T open(Duration limit, CancelScope.Body<T> body) throws Exception {
        return limit == null ? CancelScope.open(body) : CancelScope.open(limit, body);
    }
}
