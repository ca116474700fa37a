package xiio.examples;

import java.io.IOException;
import xiio.io.ByteStream;

/** A stream that passes every call on to another; subclasses change the calls they care about. */
abstract class ForwardingStream implements ByteStream {
    final ByteStream stream;

    ForwardingStream(ByteStream stream) {
        this.stream = stream;
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
