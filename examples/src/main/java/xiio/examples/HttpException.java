package xiio.examples;

import java.io.IOException;

/**
 * A malformed or unacceptable HTTP message, with the status a server answers it
 * with (400, 413, 414, 431, 501, 505, ...). A client reading a bad response reports
 * just the message.
 */
final class HttpException extends IOException {
    private static final long serialVersionUID = 1L;
    private final int status;

    HttpException(int status, String message) {
        super(message);
        this.status = status;
    }

    /** The response status for this problem. */
    int status() {
        return status;
    }
}
