package xiio.support;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Registered for every test (by service-loader autodetection): fails a test that
 * leaves more fds open than it found. Only fds the library creates are counted
 * (pipes, sockets, eventfds, epoll and pidfds), so the JVM opening a jar lazily is
 * not a leak.
 */
public final class LeakGuard implements BeforeEachCallback, AfterEachCallback {
    private static final ExtensionContext.Namespace NS = ExtensionContext.Namespace.create(LeakGuard.class);

    /** The open fds that the library could have made: fd number to link target. */
    public static TreeMap<Integer, String> openFds() {
        TreeMap<Integer, String> fds = new TreeMap<>();
        try (Stream<Path> list = Files.list(Path.of("/proc/self/fd"))) {
            for (Path p : (Iterable<Path>) list::iterator) {
                try {
                    String target = Files.readSymbolicLink(p).toString();
                    if (target.startsWith("pipe:") || target.startsWith("socket:") || target.startsWith("anon_inode:")) {
                        fds.put(Integer.parseInt(p.getFileName().toString()), target);
                    }
                } catch (IOException gone) {
                    // closed while we listed (the listing's own fd, for one)
                }
            }
        } catch (IOException e) {
            throw new IllegalStateException("cannot list /proc/self/fd", e);
        }
        return fds;
    }

    @Override
    public void beforeEach(ExtensionContext context) {
        context.getStore(NS).put("fds", openFds());
    }

    @Override
    public void afterEach(ExtensionContext context) throws InterruptedException {
        @SuppressWarnings("unchecked")
        TreeMap<Integer, String> before = context.getStore(NS).get("fds", TreeMap.class);
        List<String> leaked = new ArrayList<>();
        // fds closed by other threads (a pool shutting down) may lag the test a little
        for (int attempt = 0; attempt < 50; attempt++) {
            leaked.clear();
            openFds().forEach((fd, target) -> {
                if (!target.equals(before.get(fd))) leaked.add("fd " + fd + " -> " + target);
            });
            if (leaked.isEmpty()) return;
            Thread.sleep(20);
        }
        throw new AssertionError("test leaked " + leaked.size() + " fd(s): " + leaked);
    }
}
