package xiio.bench.http;

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
 * Fails a test that leaves more pipes, sockets or eventfds open than it found, or a
 * child process behind (a server JVM, wrk), running or unreaped. The examples'
 * LeakGuard, trimmed; the benchmarks module cannot see the examples' test classes.
 */
final class LeakGuard implements BeforeEachCallback, AfterEachCallback {
    private static final ExtensionContext.Namespace NS = ExtensionContext.Namespace.create(LeakGuard.class);

    static {
        // The JDK's socket code opens one socket of its own on first use and keeps it (the
        // fd it dup2()s over a socket being closed); open it now, before anything is counted.
        try {
            InetAddress loopback = InetAddress.getByAddress(new byte[] {127, 0, 0, 1});
            try (ServerSocket server = new ServerSocket(0, 1, loopback);
                 Socket client = new Socket(loopback, server.getLocalPort());
                 Socket accepted = server.accept()) {
                client.shutdownOutput();
                accepted.getInputStream().read();
            }
        } catch (IOException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private static TreeMap<String, String> resources() {
        TreeMap<String, String> all = new TreeMap<>();
        try (Stream<Path> fds = Files.list(Path.of("/proc/self/fd"))) {
            for (Path p : (Iterable<Path>) fds::iterator) {
                try {
                    String target = Files.readSymbolicLink(p).toString();
                    if (target.startsWith("pipe:") || target.startsWith("socket:") || target.startsWith("anon_inode:")) {
                        all.put("fd " + p.getFileName(), target);
                    }
                } catch (IOException gone) {
                    // closed while we listed (the listing's own fd, for one)
                }
            }
        } catch (IOException e) {
            throw new IllegalStateException("cannot list /proc/self/fd", e);
        }
        try (Stream<Path> tasks = Files.list(Path.of("/proc/self/task"))) {
            for (Path task : (Iterable<Path>) tasks::iterator) {
                try {
                    for (String pid : Files.readString(task.resolve("children")).trim().split("\\s+")) {
                        if (!pid.isEmpty()) all.put("child " + pid, "process");
                    }
                } catch (IOException threadGone) {
                    // the thread ended while we listed
                }
            }
        } catch (IOException e) {
            throw new IllegalStateException("cannot list /proc/self/task", e);
        }
        return all;
    }

    @Override
    public void beforeEach(ExtensionContext context) {
        context.getStore(NS).put("before", resources());
    }

    @Override
    public void afterEach(ExtensionContext context) throws InterruptedException {
        @SuppressWarnings("unchecked")
        TreeMap<String, String> before = context.getStore(NS).get("before", TreeMap.class);
        List<String> leaked = new ArrayList<>();
        // fds closed by other threads (the JDK's process reaper) may lag a little
        for (int attempt = 0; attempt < 100; attempt++) {
            leaked.clear();
            resources().forEach((what, target) -> {
                if (!target.equals(before.get(what))) leaked.add(what + " -> " + target);
            });
            if (leaked.isEmpty()) return;
            Thread.sleep(20);
        }
        throw new AssertionError("test leaked " + leaked.size() + " resource(s): " + leaked);
    }
}
