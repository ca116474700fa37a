package xiio.file;

import java.io.IOException;
import xiio.io.ByteStream;

/**
 * An {@link AsyncFile} as a sequential {@link ByteStream}, with a position of its own
 * that each read and write moves on: what {@link xiio.io.StreamReader}, copy loops and
 * any code written against streams take.
 *
 * {@snippet :
 * try (AsyncFile file = AsyncFile.open(path, StandardOpenOption.READ);
 *         FileStream in = file.stream()) {
 *     StreamReader lines = new StreamReader(in);
 *     String first = lines.readLine(1024);
 * }
 * }
 *
 * <p>Reads return -1 at the end of the file, which is where the file ends when each
 * read is made (a file that grows is read on). Writes go to the stream's position, or
 * to the end of a file opened with {@code APPEND}. A read or write cancelled while
 * pending leaves the position where it was (a cancelled write may still have landed:
 * see {@link AsyncFile}). {@link #shutdownOutput()} ends writing through this stream;
 * {@link #close()} closes the file.
 *
 * <p>Not for concurrent use by several coroutines: the position is shared state. For
 * that, give each its own stream over the same file.
 */
public final class FileStream implements ByteStream {
    private final AsyncFile file;
    private long position;
    private boolean outputShut;

    FileStream(AsyncFile file, long position) {
        this.file = file;
        this.position = position;
    }

    /** The file underneath. */
    public AsyncFile file() {
        return file;
    }

    /** Where the next read (or, unless the file appends, write) happens. */
    public long position() {
        return position;
    }

    /**
     * Reads up to {@code len} bytes at the stream's position and moves it on.
     *
     * @return the number of bytes read, or -1 at the end of the file
     */
    @Override
    public int read(byte[] buf, int off, int len) throws IOException {
        int n = file.read(position, buf, off, len);
        if (n > 0) position += n;
        return n;
    }

    /**
     * Writes up to {@code len} bytes at the stream's position (at the end, for a file
     * opened with {@code APPEND}, where it writes them all) and moves the position on.
     *
     * @return the number of bytes written
     */
    @Override
    public int write(byte[] buf, int off, int len) throws IOException {
        if (outputShut) throw new IOException("cannot write to " + file.path() + " through this stream: its output was shut down");
        if (file.appends()) {
            file.append(buf, off, len);
            position += len;
            return len;
        }
        int n = file.write(position, buf, off, len);
        position += n;
        return n;
    }

    /** No more writes through this stream; reading goes on. Idempotent. */
    @Override
    public void shutdownOutput() {
        outputShut = true;
    }

    /** Closes the file (see {@link AsyncFile#close()}). Idempotent. */
    @Override
    public void close() {
        file.close();
    }

    @Override
    public String toString() {
        return "FileStream[" + file.path() + " at " + position + "]";
    }
}
