package xiio.file;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * The fds of this process open on files under a directory: the leak check of the file
 * tests (the LeakGuard counts pipes, sockets and anonymous inodes, not regular files).
 * A worker may close a file's fd a little after the test (the last user of a
 * cancelled read), so the check waits up to two seconds for the list to empty.
 */
final class FileFds {
    private FileFds() {}

    static List<String> openUnder(Path dir) {
        String prefix = dir.toAbsolutePath().toString();
        List<String> open = new ArrayList<>();
        try (Stream<Path> list = Files.list(Path.of("/proc/self/fd"))) {
            for (Path p : (Iterable<Path>) list::iterator) {
                try {
                    String target = Files.readSymbolicLink(p).toString();
                    if (target.startsWith(prefix)) open.add("fd " + p.getFileName() + " -> " + target);
                } catch (IOException gone) {
                    // closed while we listed
                }
            }
        } catch (IOException e) {
            throw new IllegalStateException("cannot list /proc/self/fd", e);
        }
        return open;
    }

    static void assertNoneOpenUnder(Path dir) throws InterruptedException {
        long deadline = System.nanoTime() + 2_000_000_000L;
        List<String> open;
        while (!(open = openUnder(dir)).isEmpty() && System.nanoTime() < deadline) Thread.sleep(10);
        if (!open.isEmpty()) throw new AssertionError("files left open under " + dir + ": " + open);
    }
}
