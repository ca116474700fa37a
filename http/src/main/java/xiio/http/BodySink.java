package xiio.http;

import java.io.IOException;

/** Where body bytes go, piece by piece: a file, a digest, a counter. */
@FunctionalInterface
public interface BodySink {
    /**
     * Takes {@code b[off, off+len)}; the array is reused after this returns.
     *
     * @param b   the bytes
     * @param off where they start
     * @param len how many
     * @throws IOException if the sink fails; the body is then left unread
     */
    void accept(byte[] b, int off, int len) throws IOException;
}
