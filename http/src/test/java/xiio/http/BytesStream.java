package xiio.http;

import java.io.IOException;
import xiio.io.ByteStream;

/** A stream that reads the given bytes, at most {@code step} at a time (to cut lines and chunks anywhere), then ends. */
final class BytesStream implements ByteStream {
    private final byte[] bytes;
    private final int step;
    private int at;

    BytesStream(byte[] bytes, int step) {
        this.bytes = bytes;
        this.step = step;
    }

    @Override
    public int read(byte[] buf, int off, int len) {
        if (at == bytes.length) return -1;
        int n = Math.min(Math.min(len, step), bytes.length - at);
        System.arraycopy(bytes, at, buf, off, n);
        at += n;
        return n;
    }

    @Override
    public int write(byte[] buf, int off, int len) throws IOException {
        throw new IOException("read-only");
    }

    @Override
    public void shutdownOutput() {}

    @Override
    public void close() {}
}
