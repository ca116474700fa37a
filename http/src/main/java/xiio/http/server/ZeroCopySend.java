package xiio.http.server;

import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Set;
import java.util.concurrent.atomic.LongAdder;
import xiio.core.Xiio;
import xiio.file.AsyncFile;

/**
 * One region of a file sent by the kernel with sendfile(2), from the page cache to the
 * socket: no byte is copied into the JVM and back (Netty's {@code FileRegion},
 * nginx's {@code sendfile on}). {@link FileBody} uses it over plain TCP for a whole
 * file or a single range.
 *
 * <p>sendfile reads the file in the calling thread, which is the loop's: a page that
 * is not cached would stall every connection while the disk answers. So the region
 * goes in pieces of {@link #PIECE}, and a piece the mapping says is not resident
 * ({@code mincore}) is first read on a worker, as the copying path does; the sendfile
 * after it then finds the pages cached.
 *
 * <p>The fd: a {@code FileChannel} does not give its fd away (it is behind
 * {@code sun.nio.ch}), so the real path the lookup opened is opened again as an
 * {@link AsyncFile} (in the run's ring, or on the file pool), with
 * {@code NOFOLLOW_LINKS} as the lookup did.
 *
 * <p>Off with {@code -Dxiio.http.sendfile=false}: every body then takes the copying
 * path. It exists to measure the difference, not to tune a server.
 */
final class ZeroCopySend {
    /** Whether bodies may use sendfile at all (read once). */
    static final boolean ENABLED = !"false".equals(System.getProperty("xiio.http.sendfile"));
    /** The most one sendfile call is asked for, and the size of a residency check. */
    static final long PIECE = 1 << 20;
    /**
     * The smallest region worth it: the second open of the file goes to a worker on epoll
     * (a thread round trip, tens of microseconds of loop CPU), where copying a small file
     * from its mapping costs a few microseconds.
     */
    static final long MIN_BYTES = 64 * 1024;
    /** Bodies sent with sendfile in this JVM: the tests check plain HTTP really takes this path. */
    static final LongAdder BODIES = new LongAdder();

    /** Brings a region of the file into the page cache off the loop thread. */
    interface Warmer {
        void warm(long position, long length) throws Exception;
    }

    private final Path path;
    private final MemorySegment mapped;
    private final Warmer warmer;

    /**
     * @param path   the real path of the file, to open it again
     * @param mapped the whole file mapped, for residency checks; null to skip them
     * @param warmer reads a piece that is not resident on a worker
     */
    ZeroCopySend(Path path, MemorySegment mapped, Warmer warmer) {
        this.path = path;
        this.mapped = mapped;
        this.warmer = warmer;
    }

    /** Sends {@code length} bytes from {@code first}, after what {@code out} has buffered. */
    void send(BodyWriter out, long first, long length) throws Exception {
        BODIES.increment();
        try (AsyncFile source = AsyncFile.open(path, Set.of(StandardOpenOption.READ, LinkOption.NOFOLLOW_LINKS))) {
            for (long position = first, end = first + length; position < end; ) {
                long n = Math.min(PIECE, end - position);
                // a fast client takes every piece at once: without this checkpoint a 5 GB file
                // would hold the loop (and every other connection) until its last byte
                Xiio.yieldNow();
                if (!resident(position, n)) warmer.warm(position, n);
                out.sendFile(source, position, n);
                position += n;
            }
        }
    }

    private boolean resident(long position, long n) {
        if (mapped == null || position + n > mapped.byteSize()) return true; // no check possible: let sendfile read
        return mapped.asSlice(position, n).isLoaded();
    }

    /** The IOException for a file that ended before its declared length. */
    static IOException shrank() {
        return new IOException("the file shrank while it was being sent");
    }
}
