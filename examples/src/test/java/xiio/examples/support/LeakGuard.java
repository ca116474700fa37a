package xiio.examples.support;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
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
 * Registered for every example test (service-loader autodetection, see
 * {@code junit-platform.properties}): fails a test that leaves more pipes, sockets or
 * eventfds open than it found, or a child process behind (an example JVM, curl),
 * running or unreaped. The same idea as the library's own LeakGuard; the examples
 * module cannot see the library's test classes, hence the copy.
 */
public final class LeakGuard implements BeforeEachCallback, AfterEachCallback {
    private static final ExtensionContext.Namespace NS = ExtensionContext.Namespace.create(LeakGuard.class);

    static {
        InetAddress loopback;
        try {
            loopback = InetAddress.getByAddress(new byte[] {127, 0, 0, 1});
        } catch (IOException e) {
            throw new ExceptionInInitializerError(e);
        }
        // The JDK's socket code opens one socket of its own on first use and keeps it (the
        // fd it dup2()s over a socket being closed); open it now, before anything is counted.
        try (ServerSocket server = new ServerSocket(0, 1, loopback);
             Socket client = new Socket(loopback, server.getLocalPort());
             Socket accepted = server.accept()) {
            client.shutdownOutput();
            accepted.getInputStream().read();
        } catch (IOException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    /** The open fds an example or a test could have made: fd number to link target. */
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

    /** Our child processes, zombies included: pid to name. Each thread lists the children it forked. */
    public static TreeMap<Integer, String> children() {
        TreeMap<Integer, String> children = new TreeMap<>();
        try (Stream<Path> tasks = Files.list(Path.of("/proc/self/task"))) {
            for (Path task : (Iterable<Path>) tasks::iterator) {
                try {
                    for (String pid : Files.readString(task.resolve("children")).trim().split("\\s+")) {
                        if (!pid.isEmpty()) children.put(Integer.parseInt(pid), describe(pid));
                    }
                } catch (IOException threadGone) {
                    // the thread ended while we listed
                }
            }
        } catch (IOException e) {
            throw new IllegalStateException("cannot list /proc/self/task", e);
        }
        return children;
    }

    private static String describe(String pid) {
        try {
            String stat = Files.readString(Path.of("/proc", pid, "stat"));
            return "pid " + pid + " " + stat.substring(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
        } catch (IOException | RuntimeException gone) {
            return "pid " + pid + " (gone)";
        }
    }

    @Override
    public void beforeEach(ExtensionContext context) {
        context.getStore(NS).put("fds", openFds());
        context.getStore(NS).put("children", children());
    }

    @Override
    public void afterEach(ExtensionContext context) throws InterruptedException {
        @SuppressWarnings("unchecked")
        TreeMap<Integer, String> fdsBefore = context.getStore(NS).get("fds", TreeMap.class);
        @SuppressWarnings("unchecked")
        TreeMap<Integer, String> childrenBefore = context.getStore(NS).get("children", TreeMap.class);
        List<String> leaked = new ArrayList<>();
        // fds closed by other threads (the JDK's process reaper, a pool shutting down) may lag a little
        for (int attempt = 0; attempt < 100; attempt++) {
            leaked.clear();
            openFds().forEach((fd, target) -> {
                if (!target.equals(fdsBefore.get(fd))) leaked.add("fd " + fd + " -> " + target);
            });
            children().forEach((pid, what) -> {
                if (!childrenBefore.containsKey(pid)) leaked.add("child " + what);
            });
            if (leaked.isEmpty()) return;
            Thread.sleep(20);
        }
        throw new AssertionError("test leaked " + leaked.size() + " resource(s): " + leaked);
    }
}
