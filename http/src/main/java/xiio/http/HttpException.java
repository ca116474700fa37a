package xiio.http;

import java.io.IOException;

/**
 * A malformed or unacceptable HTTP message, with the status a server answers it with
 * (400, 408, 413, 414, 431, 501, 505, ...). A client that reads a bad response reports
 * the message; its status then says what kind of problem it was.
 *
 * <p>The parsers of this package throw only this, {@link java.io.EOFException} (the
 * stream ended inside a message) and the I/O exceptions of the stream they read.
 */
public class HttpException extends IOException {
    private static final long serialVersionUID = 1L;
    private final int status;

    /**
     * A problem answered with {@code status}.
     *
     * @param status  the status a server answers with, 100 to 599
     * @param message what was wrong, for the error page and the log
     * @throws IllegalArgumentException if the status is not a three-digit HTTP status
     */
    public HttpException(int status, String message) {
        super(message);
        if (status < 100 || status > 599) throw new IllegalArgumentException("an HTTP status is 100 to 599, got " + status);
        this.status = status;
    }

    /** The status a server answers this problem with. @return 100 to 599 */
    public int status() {
        return status;
    }
}
