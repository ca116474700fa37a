package xiio.http.server;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.Arrays;
import java.util.List;
import xiio.thread.ThreadPool;

/**
 * Finds and opens the file that safe names lead to under a root, on a worker thread:
 * {@code stat}, {@code realpath} and {@code open} block on a cold disk (or an NFS
 * mount), and a blocked loop thread stalls every connection.
 *
 * <p><b>Symbolic links</b> are followed, and whatever they lead to must lie under the
 * root's real path, compared on real paths ({@link Path#toRealPath}) after every link
 * is resolved; a link that leads out is refused (403), whether it names a file or a
 * directory on the way. The file is then opened by its real path with
 * {@code O_NOFOLLOW}, so a last component swapped for a link after the check fails
 * rather than being followed (a swapped directory higher up is not caught: serve
 * trees that strangers cannot write to).
 */
final class FileLookup {
    /** What a lookup found. */
    sealed interface Found {}

    /**
     * A regular file: open (the caller owns the channel), or, if it was small enough to
     * read at once, its bytes and a null channel. {@code path} is the real path that was
     * opened (sendfile opens it again: a FileChannel does not give its fd away). {@code name} is the name asked for
     * (its extension gives the type); {@code coding} is the content coding of the
     * precompressed sibling that was opened instead, or null.
     */
    record OpenFile(FileChannel channel, byte[] content, Path path, BasicFileAttributes attributes, String name, String coding) implements Found {}

    /** A directory asked for with a trailing slash, without an index file. */
    record Directory(Path path) implements Found {}

    /** A directory asked for without a trailing slash: to be redirected to the slashed form. */
    record NeedsSlash() implements Found {}

    /** 404: nothing there, or not a way to a file ({@code ENOTDIR}, {@code ELOOP}, {@code ENAMETOOLONG}). */
    record Missing() implements Found {}

    /** 403, with the reason. */
    record Refused(String why) implements Found {}

    private final Path root;
    private final String indexFile;
    private final boolean hidden;
    private final ThreadPool pool;

    /**
     * @param root      a real path (no links)
     * @param indexFile served for a directory, or null
     * @param hidden    whether real paths with a name starting with a dot are served
     */
    FileLookup(Path root, String indexFile, boolean hidden, ThreadPool pool) {
        this.root = root;
        this.indexFile = indexFile;
        this.hidden = hidden;
        this.pool = pool;
    }

    /**
     * Looks up {@code names} on a worker. If the caller is cancelled while the worker
     * runs, the pool drops the result: the hand-off then closes a file it opened.
     *
     * @param readUpTo a file of at most this many bytes is read in the same trip to the
     *                 worker, and closed (a second trip costs more than the read): 0 for none
     * @param codings  the content codings the client takes, best first: a regular file
     *                 {@code name.br} or {@code name.gz} under the root is opened instead
     */
    Found find(List<String> names, boolean slash, int readUpTo, List<String> codings) throws Exception {
        Handoff handoff = new Handoff();
        try {
            return pool.call(() -> handoff.deliver(findBlocking(names, slash, readUpTo, codings)));
        } catch (Throwable cancelledOrFailed) {
            handoff.abandon();
            throw cancelledOrFailed;
        }
    }

    private Found findBlocking(List<String> names, boolean slash, int readUpTo, List<String> codings) throws IOException {
        Path path = root;
        for (String name : names) path = path.resolve(name); // a name has no '/': it stays one component
        Path real;
        try {
            real = path.toRealPath();
        } catch (NoSuchFileException e) {
            return new Missing();
        } catch (AccessDeniedException e) {
            return new Refused("permission denied");
        } catch (FileSystemException e) {
            return new Missing();
        }
        if (!real.startsWith(root)) return new Refused("the path leads outside the served directory");
        if (!hidden && isHidden(real)) return new Missing(); // a link to .git/config is as private as .git/config
        BasicFileAttributes attributes = Files.readAttributes(real, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        if (attributes.isDirectory()) {
            if (!slash) return new NeedsSlash();
            Path index = indexFile == null ? null : real.resolve(indexFile);
            if (index == null || !Files.isRegularFile(index)) return new Directory(real);
            real = index.toRealPath();
            if (!real.startsWith(root)) return new Refused("the index file leads outside the served directory");
            if (!hidden && isHidden(real)) return new Missing();
            attributes = Files.readAttributes(real, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        } else if (slash) {
            return new Missing(); // "a.txt/": a file is not a directory
        }
        // a FIFO would block the open until a writer comes, a device is not content
        if (!attributes.isRegularFile()) return new Refused("not a regular file");
        String name = real.getFileName().toString(), coding = null;
        for (String c : codings) {
            Path sibling = precompressed(real.resolveSibling(name + AcceptEncoding.suffix(c)));
            if (sibling != null) {
                real = sibling;
                attributes = Files.readAttributes(real, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
                coding = c;
                break;
            }
        }
        FileChannel channel;
        try {
            channel = FileChannel.open(real, StandardOpenOption.READ, LinkOption.NOFOLLOW_LINKS);
        } catch (AccessDeniedException e) {
            return new Refused("permission denied");
        }
        if (readUpTo == 0 || attributes.size() > readUpTo) return new OpenFile(channel, null, real, attributes, name, coding);
        try (channel) {
            return new OpenFile(null, readAll(channel, (int) attributes.size()), real, attributes, name, coding);
        }
    }

    /** Whether a name below the root, in the real path, starts with a dot. */
    private boolean isHidden(Path real) {
        for (Path name : root.relativize(real)) if (name.toString().startsWith(".")) return true;
        return false;
    }

    /** The real path of a precompressed sibling if it is a regular file under the root, else null (the plain file is served). */
    private Path precompressed(Path sibling) {
        try {
            Path real = sibling.toRealPath();
            return real.startsWith(root) && Files.isRegularFile(real, LinkOption.NOFOLLOW_LINKS) ? real : null;
        } catch (IOException absent) {
            return null;
        }
    }

    /** The file's bytes, at most {@code size} (it may have shrunk since the stat). */
    private static byte[] readAll(FileChannel channel, int size) throws IOException {
        ByteBuffer b = ByteBuffer.allocate(size);
        while (b.hasRemaining() && channel.read(b) > 0) {
            // until full or the end
        }
        return b.position() == size ? b.array() : Arrays.copyOf(b.array(), b.position());
    }

    /**
     * Who closes an opened file when the coroutine that asked for it is gone: the worker
     * delivers, the caller abandons if it was cancelled or failed, and whichever comes
     * second closes the file.
     */
    static final class Handoff {
        private boolean abandoned;
        private Found found;

        synchronized Found deliver(Found f) {
            if (abandoned) close(f);
            found = f;
            return f;
        }

        synchronized void abandon() {
            abandoned = true;
            close(found);
        }

        private static void close(Found f) {
            if (f instanceof OpenFile file && file.channel() != null) {
                try {
                    file.channel().close();
                } catch (IOException ignored) {
                    // read-only: nothing was lost
                }
            }
        }
    }
}
