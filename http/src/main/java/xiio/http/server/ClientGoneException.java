package xiio.http.server;

import java.io.IOException;

/**
 * The client closed or reset its connection while its request was being handled.
 * It carries no stack trace: it is always thrown by the connection's watch, and a
 * reset is routine, so the trace would cost time on the way to the handler's
 * cancellation and say nothing.
 */
final class ClientGoneException extends IOException {
    private static final long serialVersionUID = 1L;

    ClientGoneException(String message) {
        super(message);
    }

    /** @param cause the read's failure (a reset), kept for the log */
    ClientGoneException(String message, IOException cause) {
        super(message, cause);
    }

    @Override
    public synchronized Throwable fillInStackTrace() {
        return this;
    }
}
