package xiio.http.client;

import java.io.EOFException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import xiio.http.HttpHeaders;
import xiio.io.LimitExceededException;
import xiio.io.StreamReader;

/**
 * The head of a final response: its status line and header fields, read within
 * limits, with the interim 1xx responses before it (100 Continue, 103 Early Hints)
 * read and dropped.
 *
 * @param status the status line
 * @param headers the header fields
 */
record ResponseHead(StatusLine status, HttpHeaders headers) {
    private static final int MAX_STATUS_LINE = 8192, MAX_INTERIM = 16;

    /**
     * A connection that ended, or failed, before the first byte of a response: on a
     * reused connection, usually a server that closed it while it sat idle.
     */
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
    static ResponseHead read(StreamReader in, int maxHeaderBytes, int maxHeaderFields) throws IOException {
        for (int interim = 0; ; interim++) {
            String line = statusLine(in, interim == 0);
            StatusLine status = StatusLine.parse(line);
            HttpHeaders headers = HttpHeaders.read(in, maxHeaderBytes, maxHeaderFields);
            if (status.status() == 101) {
                throw new IOException("the server switched protocols (101) although the client asked for no upgrade");
            }
            if (status.status() >= 200) return new ResponseHead(status, headers);
            if (interim == MAX_INTERIM) throw new IOException("more than " + MAX_INTERIM + " interim (1xx) responses");
        }
    }

    private static String statusLine(StreamReader in, boolean first) throws IOException {
        boolean nothingYet = first && in.buffered() == 0;
        String line;
        try {
            line = in.readLine(MAX_STATUS_LINE, StandardCharsets.ISO_8859_1);
        } catch (LimitExceededException e) {
            throw new IOException("no status line within " + MAX_STATUS_LINE + " bytes: not an HTTP/1.x server?");
        } catch (IOException e) {
            if (nothingYet && in.buffered() == 0) throw new NoResponseException("the connection failed before a response: " + e.getMessage(), e);
            throw e;
        }
        if (line == null) {
            if (first) throw new NoResponseException("the server closed the connection without answering", null);
            throw new EOFException("the server closed the connection after an interim response");
        }
        return line;
    }
}
