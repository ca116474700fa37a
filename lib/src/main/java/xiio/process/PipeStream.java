package xiio.process;

import java.io.IOException;
import java.util.Objects;
import xiio.core.Xiio;
import xiio.io.ByteStream;
import xiio.unix.sys.FileSyscalls;

/**
 * Our end of one pipe to a child: read-only (its stdout or stderr) or write-only
 * (its stdin). A minimal fd stream built on {@link Xiio#read} and {@link Xiio#write},
 * which are cancel-safe: a cancelled read consumed nothing, a cancelled write wrote
 * nothing. (The io layer's general fd stream will replace it.)
 *
 * <p>Closing the write end is how the child sees end of file on its stdin; closing a
 * read end before the child is done writing makes its next write fail with EPIPE.
 */
final class PipeStream implements ByteStream {
    private final String name;
    private final boolean writable;
    private int fd;

    PipeStream(String name, int fd, boolean writable) {
        this.name = name;
        this.fd = fd;
        this.writable = writable;
    }

    @Override
    public int read(byte[] buf, int off, int len) throws IOException {
        Objects.checkFromIndexSize(off, len, buf.length);
        if (writable) throw new UnsupportedOperationException(name + " is write-only: the child reads it");
        return Xiio.read(open(), buf, off, len);
    }

    @Override
    public int write(byte[] buf, int off, int len) throws IOException {
        Objects.checkFromIndexSize(off, len, buf.length);
        if (!writable) throw new UnsupportedOperationException(name + " is read-only: the child writes it");
        return Xiio.write(open(), buf, off, len);
    }

    /** On stdin: closes it, so the child reads end of file. On a read end: nothing to shut. */
    @Override
    public void shutdownOutput() {
        if (writable) close();
    }

    /** Closes our end; coroutines waiting on it fail. Idempotent. */
    @Override
    public void close() {
        int f = fd;
        if (f < 0) return;
        fd = -1;
        FileSyscalls.get().close(f);
    }

    /** Whether {@link #close()} has not been called. */
    boolean isOpen() {
        return fd >= 0;
    }

    private int open() throws IOException {
        int f = fd;
        if (f < 0) throw new IOException(name + " is closed");
        return f;
    }

    @Override
    public String toString() {
        return name + (fd >= 0 ? " (fd " + fd + ")" : " (closed)");
    }
}
