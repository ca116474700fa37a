package xiio.file;

import java.io.IOException;
import java.nio.file.FileSystems;
import java.nio.file.Path;
import java.util.Objects;
import xiio.core.RingOps;
import xiio.unix.sys.Constants;
import xiio.unix.sys.FileSyscalls;
import xiio.unix.sys.OwnedFd;

/**
 * How an {@link AsyncFile} is opened: open(2) and a statx that refuses anything but a
 * regular file, as OPENAT and STATX in the run's ring or as blocking calls on a pool
 * worker. Whatever was opened for a caller that gave up (cancelled) is closed again.
 */
final class FileOpener {
    private FileOpener() {}

    /** Opens {@code path} on the run's ring, or on {@code pool} (the default pool when null and there is no ring). */
    static AsyncFile open(Path path, OpenFlags how, PoolFileIo pool) throws IOException {
        Objects.requireNonNull(path, "path");
        requireRun("AsyncFile.open");
        if (path.getFileSystem() != FileSystems.getDefault()) {
            throw new IllegalArgumentException(path + " is not on the default file system (" + path.getFileSystem()
                    + "): AsyncFile opens files of the operating system only");
        }
        String name = path.toString();
        RingOps ring = pool == null ? RingOps.current() : null;
        if (ring != null) return openOnRing(path, name, how, new RingFileIo(ring));
        long[] type = new long[1];
        // open(2) may block too (a slow disk's metadata, NFS): it runs in the ring or on a
        // worker, and so does the statx that refuses what is not a regular file. An open
        // whose caller was cancelled closes what it opened.
        long r = (pool != null ? pool : DefaultFilePool.IO).call(() -> openAndCheck(name, how, type),
                orphaned -> {
                    if (orphaned >= 0) FileSyscalls.get().close((int) orphaned);
                });
        if (r < 0) {
            if (type[0] != 0) throw FileErrors.notRegular(path, (int) type[0]);
            throw FileErrors.open(path, how, (int) -r);
        }
        return new AsyncFile(path, new SharedFd(new OwnedFd((int) r, "file " + path)), how, pool, null);
    }

    /** The same on the ring: OPENAT, then STATX; a file that is not regular is closed again. */
    private static AsyncFile openOnRing(Path path, String name, OpenFlags how, RingFileIo ring) throws IOException {
        long r = ring.open(name, how.flags(), how.mode());
        if (r < 0) throw FileErrors.open(path, how, (int) -r);
        SharedFd fd = new SharedFd(new OwnedFd((int) r, "file " + path));
        long[] stat;
        try {
            fd.acquire();
            stat = ring.typeAndSize(fd);
        } catch (Throwable cancelled) {
            fd.close();
            throw cancelled;
        }
        if (stat[0] != Constants.S_IFREG) {
            fd.close();
            if (stat[0] < 0) throw FileErrors.call("statx", path, -1, stat[0]);
            throw FileErrors.notRegular(path, (int) stat[0]);
        }
        return new AsyncFile(path, fd, how, null, ring);
    }

    /** Fails before anything is opened outside a run (a quick worker could otherwise open the file unnoticed). */
    private static void requireRun(String what) {
        try {
            xiio.core.Coroutine.current();
        } catch (IllegalStateException outside) {
            throw new IllegalStateException(what + " must be called inside Xiio.run(...): there is no running coroutine"
                    + " on thread " + Thread.currentThread().getName());
        }
    }

    /** On the worker: open(2), then statx; a file that is not regular is closed again, its type in {@code type[0]}. */
    private static long openAndCheck(String name, OpenFlags how, long[] type) {
        long fd;
        try {
            fd = FileSyscalls.get().open(name, how.flags(), how.mode());
        } catch (xiio.unix.ErrnoException e) {
            return -e.errno();
        }
        long[] stat = FileSyscalls.get().typeAndSize((int) fd);
        if (stat[0] == Constants.S_IFREG) return fd;
        FileSyscalls.get().close((int) fd);
        if (stat[0] < 0) return stat[0];
        type[0] = stat[0];
        return -xiio.unix.Errno.EINVAL;
    }

}
