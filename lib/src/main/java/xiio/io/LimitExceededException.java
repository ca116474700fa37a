package xiio.io;

import java.io.IOException;

/**
 * A {@link StreamReader} found no delimiter (or line end) within the allowed length.
 * Nothing was consumed: the bytes stay buffered, and the next read sees them, so the
 * caller can skip, drain or reject them as it sees fit.
 */
public final class LimitExceededException extends IOException {
    private static final long serialVersionUID = 1L;
    private final int limit;

    LimitExceededException(String message, int limit) {
        super(message);
        this.limit = limit;
    }

    /** The length limit that was exceeded, in bytes. */
    public int limit() {
        return limit;
    }
}
