package xiio.soak;

import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

/** What the soak run counts, and the process-level figures it samples. Single-loop: no locking. */
final class SoakStats {
    long connectionsServed;
    long bytesVerified;
    long processesRun;
    long poolJobs;
    /** Data that arrived wrong: any of these fails the run. */
    long corrupted;
    final Map<String, Long> errors = new TreeMap<>();

    void error(String kind) {
        errors.merge(kind, 1L, Long::sum);
    }

    /**
     * Open fds that could leak: every fd but the jars of the class path, which the JVM's
     * class loader opens lazily (the first lookup that reaches them, often well after the
     * run started) and keeps open for the life of the JVM.
     */
    static long openFds() {
        return openFdTargets().size();
    }

    /** What each fd of {@link #openFds} refers to ("socket:[1234]", "/dev/null"), for naming a leak. */
    static List<String> openFdTargets() {
        List<String> targets = new ArrayList<>();
        try (Stream<Path> fds = Files.list(Path.of("/proc/self/fd"))) {
            for (Path fd : (Iterable<Path>) fds::iterator) {
                try {
                    String target = Files.readSymbolicLink(fd).toString();
                    if (!target.endsWith(".jar")) targets.add(target);
                } catch (Exception closedMeanwhile) {
                    // the directory listing's own fd, or one closed since the listing
                }
            }
        } catch (Exception e) {
            targets.add("(cannot list /proc/self/fd: " + e + ")");
        }
        return targets;
    }

    /** The entries of {@code after} that {@code before} does not account for (a multiset difference). */
    static List<String> grown(List<String> before, List<String> after) {
        List<String> extra = new ArrayList<>(after);
        for (String b : before) extra.remove(b);
        return extra;
    }

    /** Heap in use after a full collection, in bytes. */
    static long heapAfterGc() {
        System.gc();
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }

    String line(long elapsedSeconds) {
        return String.format("%4ds  connections %7d  bytes verified %,14d  processes %5d  pool jobs %6d"
                        + "  corrupted %d  fds %4d  heap %6.1f MiB  errors %s",
                elapsedSeconds, connectionsServed, bytesVerified, processesRun, poolJobs, corrupted,
                openFds(), heapAfterGc() / 1048576.0, errors);
    }
}
