package xiio.support;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import java.util.stream.Stream;

/**
 * Runs a server in a child process out of fds for real: its RLIMIT_NOFILE is lowered
 * with {@code prlimit(1)} to what it has open plus a few, then more clients connect
 * than it can take. The server passes when the connections it took go on being
 * served during the shortage and every client is served once fds are free again.
 * The limit is lowered only after the server printed that it listens, because a JVM
 * needs a few dozen fds to start; the test's own clients live in the test's JVM,
 * which keeps its own limit.
 */
public final class OutOfFds {
    /** Connections beyond what fits: they wait in the listen backlog. */
    private static final int CLIENTS = 40;
    /** fds above what the server has open: room for a few connections, then EMFILE. */
    private static final int SPARE = 8;
    /** Clients kept open once fds are freed: fewer than SPARE, so they all fit. */
    private static final int KEPT = 4;
    /** How long the shortage is held: long enough for eight retries (5 ms doubling: 1.3 s). */
    private static final long HOLD_MILLIS = 2000;

    /** One check that a connection is served: send a request and read its answer, or throw. */
    public interface Probe {
        void check(Socket s) throws IOException;
    }

    private OutOfFds() {}

    /**
     * Exhausts the fds of {@code pid}, listening on {@code port}, holds the shortage for
     * two seconds, and checks that clients are served through it and after it. {@code describe} gives the server's output so far, for failure messages.
     */
    public static void exercise(long pid, int port, Probe probe, Supplier<String> describe) throws Exception {
        int limit = lowerLimit(pid, SPARE);
        List<Socket> clients = new ArrayList<>();
        try {
            for (int i = 0; i < CLIENTS; i++) clients.add(connect(port));
            awaitOpenFds(pid, limit, describe);
            // the shortage: the first connection was taken before fds ran out, and is served
            probe.check(clients.getFirst());
            Thread.sleep(HOLD_MILLIS);
            probe.check(clients.get(1));
            // fds come free: the queued connections are taken and served
            for (Socket s : clients.subList(0, CLIENTS - KEPT)) s.close();
            for (Socket s : clients.subList(CLIENTS - KEPT, CLIENTS)) probe.check(s);
            for (Socket s : clients) s.close();
            // and a new client is served as before
            try (Socket late = connect(port)) {
                probe.check(late);
            }
        } catch (Exception | AssertionError e) {
            throw new AssertionError(e + "\n" + describe.get(), e); // what the server said is what explains it
        } finally {
            for (Socket s : clients) s.close();
        }
    }

    /**
     * Every shortage was logged once when it began and once when it ended, and there were
     * few: the one the test made (held for seconds, through many retries), and perhaps one
     * more brief one if the server had a passing fd open when its limit was set.
     */
    public static void assertShortagesLoggedOnceEach(String log) {
        int began = count(log, "this process is out of file descriptors");
        assertTrue(began >= 1 && began <= 2, "one warning per shortage, not one per retry\n" + log);
        assertEquals(began, count(log, "accepting again on"), "every shortage ends with one line\n" + log);
    }

    private static int count(String text, String what) {
        int n = 0;
        for (int i = text.indexOf(what); i >= 0; i = text.indexOf(what, i + 1)) n++;
        return n;
    }

    /** Sets the soft and hard RLIMIT_NOFILE of {@code pid} to what it has open plus {@code spare}; the limit. */
    public static int lowerLimit(long pid, int spare) throws Exception {
        int limit = openFds(pid) + spare;
        Process p = new ProcessBuilder("prlimit", "--pid", Long.toString(pid), "--nofile=" + limit + ":" + limit)
                .redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        assertTrue(p.waitFor(20, TimeUnit.SECONDS) && p.exitValue() == 0, "prlimit failed: " + out);
        return limit;
    }

    /** How many fds {@code pid} has open. */
    public static int openFds(long pid) throws IOException {
        try (Stream<Path> fds = Files.list(Path.of("/proc", Long.toString(pid), "fd"))) {
            return (int) fds.count();
        }
    }

    /** Waits (20 s at most) until {@code pid} holds {@code limit} fds: the next accept fails with EMFILE. */
    private static void awaitOpenFds(long pid, int limit, Supplier<String> describe) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        int open;
        while ((open = openFds(pid)) < limit) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("the server holds " + open + " fds, never its limit " + limit + "\n" + describe.get());
            }
            Thread.sleep(20);
        }
    }

    /** A blocking client socket with generous timeouts; it connects even while the server cannot accept. */
    public static Socket connect(int port) throws IOException {
        Socket s = new Socket();
        s.connect(new InetSocketAddress("127.0.0.1", port), 10_000);
        s.setSoTimeout(20_000);
        return s;
    }
}
