package xiio.support;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Registered for every test (by service-loader autodetection): fails a test that
 * leaves behind what it did not find, with the list of what leaked:
 * <ul>
 * <li>fds the library can make (pipes, sockets, eventfds, epoll and pidfds; the JVM
 *     opening a jar lazily is not a leak);
 * <li>child processes, running or unreaped;
 * <li>threads the library starts (pool workers, loop threads): non-daemon platform
 *     threads, and any thread named {@code xiio-*}, except the shared, idle-cached
 *     pools (common, DNS, TLS, files) and the slow-step watchdog.
 * </ul>
 * Other threads may close or reap a little after the test, so the check waits up to
 * two seconds for the counts to settle.
 *
 * <p>Every module's tests use it: lib publishes this package as a test-jar, and each
 * module names the guard in {@code META-INF/services/org.junit.jupiter.api.extension.Extension}
 * and turns autodetection on in {@code junit-platform.properties}.
 */
public final class LeakGuard implements BeforeEachCallback, AfterEachCallback {
    private static final ExtensionContext.Namespace NS = ExtensionContext.Namespace.create(LeakGuard.class);
    private static final long SETTLE_MILLIS = 2000;
    /** The library's JVM-wide pools (runInThread's, DNS's, TLS's, AsyncFile's): idle-cached, never closed. */
    private static final Pattern SHARED_POOLS = Pattern.compile("xiio-(common|dns|tls|files)-\\d+");

    static {
        JdkWarmUp.openWhatTheJdkKeepsOpen();
    }

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

    /** Live threads of the kind the library starts, by name. */
    static Set<Thread> libraryThreads() {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.isAlive() && !t.isVirtual())
                .filter(t -> !t.isDaemon() || t.getName().startsWith("xiio-"))
                .filter(t -> !SHARED_POOLS.matcher(t.getName()).matches() && !t.getName().equals("xiio-slow-step-watchdog"))
                .filter(t -> !t.getName().startsWith("junit-")) // the test framework's own
                .collect(Collectors.toSet());
    }

    @Override
    public void beforeEach(ExtensionContext context) {
        ExtensionContext.Store store = context.getStore(NS);
        store.put("fds", openFds());
        store.put("children", Children.list());
        store.put("threads", libraryThreads());
    }

    @Override
    @SuppressWarnings("unchecked")
    public void afterEach(ExtensionContext context) throws InterruptedException {
        ExtensionContext.Store store = context.getStore(NS);
        TreeMap<Integer, String> fdsBefore = store.get("fds", TreeMap.class);
        TreeMap<Integer, String> childrenBefore = store.get("children", TreeMap.class);
        Set<Thread> threadsBefore = store.get("threads", Set.class);
        long deadline = System.nanoTime() + SETTLE_MILLIS * 1_000_000;
        List<String> leaked = new ArrayList<>();
        while (true) {
            leaked.clear();
            openFds().forEach((fd, target) -> {
                if (!target.equals(fdsBefore.get(fd))) leaked.add("fd " + fd + " -> " + target);
            });
            Children.list().forEach((pid, what) -> {
                if (!childrenBefore.containsKey(pid)) leaked.add("child " + what);
            });
            for (Thread t : libraryThreads()) {
                if (!threadsBefore.contains(t)) leaked.add("thread '" + t.getName() + "'");
            }
            if (leaked.isEmpty()) return;
            if (System.nanoTime() > deadline) break;
            Thread.sleep(20);
        }
        throw new AssertionError("test leaked " + leaked.size() + " resource(s): " + leaked);
    }
}
