package xiio.support;

import xiio.unix.ErrnoException;
import xiio.unix.sys.FileSyscalls;

/** A real non-blocking pipe for tests; closing it closes whichever ends are still open. */
public final class TestPipe implements AutoCloseable {
    public final int readFd;
    public final int writeFd;
    private boolean readClosed, writeClosed;

    public TestPipe() throws ErrnoException {
        int[] fds = FileSyscalls.get().pipe();
        readFd = fds[0];
        writeFd = fds[1];
    }

    /** Writes synchronously (the pipe has room for small writes). */
    public void put(String s) {
        byte[] b = s.getBytes();
        long n = FileSyscalls.get().write(writeFd, b, 0, b.length);
        if (n != b.length) throw new IllegalStateException("short write to test pipe: " + n);
    }

    public void closeWriteEnd() {
        if (!writeClosed) {
            writeClosed = true;
            FileSyscalls.get().close(writeFd);
        }
    }

    public void closeReadEnd() {
        if (!readClosed) {
            readClosed = true;
            FileSyscalls.get().close(readFd);
        }
    }

    @Override
    public void close() {
        closeReadEnd();
        closeWriteEnd();
    }
}
