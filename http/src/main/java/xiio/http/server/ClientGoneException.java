package xiio.http.server;

import java.io.IOException;

/** The client closed or reset its connection while its request was being handled. */
final class ClientGoneException extends IOException {
    private static final long serialVersionUID = 1L;

    ClientGoneException(String message) {
        super(message);
    }
}
