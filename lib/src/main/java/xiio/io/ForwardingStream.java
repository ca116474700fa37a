package xiio.io;

import java.io.IOException;
import java.util.Objects;

/**
 * A stream that hands every call to another one: the base of a decorator that changes
 * only the calls it cares about, as {@code java.io.FilterInputStream} is for blocking
 * streams.
 *
 * {@snippet :
 * // a stream that counts what is written through it
 * final class Counting extends ForwardingStream {
 *     long written;
 *
 *     Counting(ByteStream stream) {
 *         super(stream);
 *     }
 *
 *     @Override
 *     public int write(byte[] buf, int off, int len) throws IOException {
 *         int n = stream.write(buf, off, len);
 *         written += n;
 *         return n;
 *     }
 * }
 * }
 */
public abstract class ForwardingStream implements ByteStream {
    /** The stream every call goes to unless a subclass overrides it. */
    protected final ByteStream stream;

    /** Forwards to {@code stream}; closing this stream closes it. */
    protected ForwardingStream(ByteStream stream) {
        this.stream = Objects.requireNonNull(stream, "stream");
    }

    @Override
    public int read(byte[] buf, int off, int len) throws IOException {
        return stream.read(buf, off, len);
    }

    @Override
    public int write(byte[] buf, int off, int len) throws IOException {
        return stream.write(buf, off, len);
    }

    @Override
    public void shutdownOutput() throws IOException {
        stream.shutdownOutput();
    }

    @Override
    public void close() throws IOException {
        stream.close();
    }
}
