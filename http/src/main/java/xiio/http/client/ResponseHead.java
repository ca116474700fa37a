package xiio.http.client;

import java.io.EOFException;
import java.io.IOException;
import xiio.http.HttpHeadParser;
import xiio.http.HttpResponseHead;

/**
 * Reads the head of a final response off a pooled connection: the interim 1xx
 * responses before it (100 Continue, 103 Early Hints) are read and dropped, and a
 * connection that ends or fails before the server sent a single byte is told apart
 * ({@link NoResponseException}), since on a reused connection that usually means the
 * server had closed it while it sat idle, and the request may be sent again.
 */
final class ResponseHead {
    private static final int MAX_INTERIM = 16;

    private ResponseHead() {}

    /** The connection ended, or failed, before the first byte of a response. */
    static final class NoResponseException extends EOFException {
        private static final long serialVersionUID = 1L;

        NoResponseException(String message, Throwable cause) {
            super(message);
            if (cause != null) initCause(cause);
        }
    }

    /**
     * Reads the next final response head.
     *
     * @throws NoResponseException if the connection ends or fails before any byte of it
     * @throws IOException if the head is malformed or too large, or the connection ends inside it
     */
    static HttpResponseHead read(PooledConnection c, HttpHeadParser parser) throws IOException {
        long before = c.bytesRead();
        boolean nothingBuffered = c.in.buffered() == 0;
        for (int interim = 0; ; interim++) {
            HttpResponseHead head;
            try {
                head = parser.readResponse(c.in);
            } catch (IOException e) {
                if (interim == 0 && nothingBuffered && c.bytesRead() == before) {
                    throw new NoResponseException(e instanceof EOFException ? e.getMessage()
                            : "the connection failed before a response: " + e.getMessage(), e);
                }
                throw e;
            }
            if (head.status() == 101) {
                throw new IOException("the server switched protocols (101) although the client asked for no upgrade");
            }
            if (!head.isInterim()) return head;
            if (interim == MAX_INTERIM) throw new IOException("more than " + MAX_INTERIM + " interim (1xx) responses");
        }
    }
}
