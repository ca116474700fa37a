package xiio.process;

import java.io.IOException;
import java.util.Objects;
import xiio.io.FdStream;

/**
 * Our end of one pipe to a child: an {@link FdStream}, write-only (its stdin) or
 * read-only (its stdout or stderr), with the process API's answers to misuse on top.
 * Using an end the wrong way is a programming error, so it throws
 * {@link UnsupportedOperationException} saying which side does what; a read end has no
 * output to shut down; and closing never throws, as {@link Subprocess#close()} does
 * not (Linux releases the fd whatever close(2) reports).
 *
 * <p>Closing the write end is how the child sees end of file on its stdin; closing a
 * read end before the child is done writing makes its next write fail with EPIPE.
 */
final class ChildPipe extends FdStream {
    /** Takes ownership of {@code fd}, a non-blocking pipe end made by the launcher. */
    ChildPipe(String name, int fd, boolean childReads) {
        super(fd, childReads ? Access.WRITE : Access.READ, Transfer.FILE, name);
    }

    @Override
    public int read(byte[] buf, int off, int len) throws IOException {
        Objects.checkFromIndexSize(off, len, buf.length);
        if (access() == Access.WRITE) throw new UnsupportedOperationException(description() + " is write-only: the child reads it");
        return super.read(buf, off, len);
    }

    /** Also what {@link #write} calls, so both check the direction here. */
    @Override
    public int tryWrite(byte[] buf, int off, int len) throws IOException {
        Objects.checkFromIndexSize(off, len, buf.length);
        if (access() == Access.READ) throw new UnsupportedOperationException(description() + " is read-only: the child writes it");
        return super.tryWrite(buf, off, len);
    }

    /** On stdin: closes it, so the child reads end of file. On a read end: nothing to shut. */
    @Override
    public void shutdownOutput() {
        if (access() == Access.WRITE) close();
    }

    /** Closes our end; coroutines waiting on it fail. Idempotent. */
    @Override
    public void close() {
        try {
            super.close();
        } catch (IOException released) {
            // the fd is gone either way, and nothing a caller could do about it remains
        }
    }
}
