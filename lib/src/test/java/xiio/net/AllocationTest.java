package xiio.net;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import org.junit.jupiter.api.Test;
import xiio.concurrent.TaskGroup;
import xiio.core.Xiio;
import xiio.io.ByteStream;
import xiio.io.Pipe;

/**
 * The steady-state read and write paths allocate nothing per call. Not timing-based:
 * it counts the bytes the driving thread allocates over many round trips.
 *
 * <p>It measures in a child JVM of its own. "Nothing" relies on C2's escape analysis
 * for the JDK's own downcall plumbing (the errno capture segment is sliced per call
 * inside the linker), and after a few hundred other tests in one JVM the shared call
 * sites' profiles are polluted enough that C2 sometimes gives up: 40 bytes per round
 * trip in the suite's JVM, 0 in a fresh one, where a server's hot loop also lives.
 */
public class AllocationTest {
    static final int WARMUP = 100_000;
    static final int MEASURED = 50_000;
    /** Windows of MEASURED / 5 round trips at most, while none is clean. */
    static final int MAX_WINDOWS = 60;

    // Looked up reflectively: the tests are compiled as part of module xiio, which does
    // not read java.management (and should not, for a test).
    private static final MethodHandle ALLOCATED;

    static {
        try {
            Object bean = Class.forName("java.lang.management.ManagementFactory").getMethod("getThreadMXBean").invoke(null);
            Class<?> type = Class.forName("com.sun.management.ThreadMXBean");
            ALLOCATED = MethodHandles.publicLookup()
                    .findVirtual(type, "getCurrentThreadAllocatedBytes", MethodType.methodType(long.class))
                    .bindTo(bean);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    static long allocatedBytes() {
        try {
            return (long) ALLOCATED.invokeExact();
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
    }

    /**
     * Bytes allocated per write+read round trip, after warm-up: the least of several
     * windows. A per-call allocation shows in every window; a one-off (a JIT
     * recompilation, a stack chunk growing once) shows in one at most, and must not
     * make the test flaky. On a loaded machine C2's background compiles can land after
     * the warm-up, so windows go on (up to {@link #MAX_WINDOWS}) until one is clean:
     * a path that allocates per call never gets a clean one.
     */
    static double perRoundTrip(ByteStream writer, ByteStream reader) throws Exception {
        byte[] msg = new byte[64];
        byte[] buf = new byte[256];
        for (int i = 0; i < WARMUP; i++) roundTrip(writer, reader, msg, buf);
        double least = Double.MAX_VALUE;
        for (int window = 0; window < MAX_WINDOWS && least >= 1.0; window++) {
            long before = allocatedBytes();
            for (int i = 0; i < MEASURED / 5; i++) roundTrip(writer, reader, msg, buf);
            long after = allocatedBytes();
            least = Math.min(least, (after - before) / (double) (MEASURED / 5));
        }
        return least;
    }

    /** A write and the reads that bring it back (a stream may split it). */
    static void roundTrip(ByteStream writer, ByteStream reader, byte[] msg, byte[] buf) throws Exception {
        writer.writeAll(msg, 0, msg.length);
        int got = 0;
        while (got < msg.length) got += reader.read(buf, 0, buf.length);
    }

    /** Run in the child JVM: prints "tcp X", "pipe Y" and "group Z", bytes per round trip. */
    public static void main(String[] args) throws Exception {
        System.out.println("tcp " + tcp());
        System.out.println("pipe " + pipe());
        System.out.println("group " + echoThroughATaskGroup());
    }

    private static double inChildJvm(String which) throws Exception {
        assumeTrue(!Xiio.backend().equals("vthread"),
                "the JDK reports no allocation count for a virtual thread, which every coroutine is on this backend");
        String javaBin = java.nio.file.Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process p = new ProcessBuilder(javaBin, "--enable-native-access=ALL-UNNAMED",
                "--add-exports", "java.base/jdk.internal.vm=ALL-UNNAMED", "-Dxiio.backend=" + Xiio.backend(),
                "-cp", System.getProperty("java.class.path"), AllocationTest.class.getName())
                .redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        assertTrue(p.waitFor(60, java.util.concurrent.TimeUnit.SECONDS) && p.exitValue() == 0, out);
        for (String line : out.split("\n")) {
            if (line.startsWith(which + " ")) return Double.parseDouble(line.substring(which.length() + 1));
        }
        throw new AssertionError("no '" + which + "' line in: " + out);
    }

    @Test
    void tcpReadAndWriteAllocateNothing() throws Exception {
        double perCall = inChildJvm("tcp");
        // well under one byte per round trip: an occasional allocation elsewhere is noise,
        // a per-call one (a MemorySegment slice, a boxed result, a lambda) is 16+ bytes
        assertTrue(perCall < 1.0, "allocated " + perCall + " bytes per round trip");
    }

    @Test
    void pipeReadAndWriteAllocateNothing() throws Exception {
        double perCall = inChildJvm("pipe");
        assertTrue(perCall < 1.0, "allocated " + perCall + " bytes per round trip");
    }

    @Test
    void anEchoServerInATaskGroupAllocatesNothingPerMessage() throws Exception {
        double perCall = inChildJvm("group");
        assertTrue(perCall < 1.0, "allocated " + perCall + " bytes per round trip");
    }

    /**
     * The whole path of a server: echo tasks and client tasks in task groups on one
     * loop, so every wakeup goes epoll_wait, fd table, wait set, resume. Bytes per
     * round trip over the least of five windows, counted across all clients.
     */
    static double echoThroughATaskGroup() throws Exception {
        int clients = 8;
        int window = MEASURED / 5;
        long[] checkpoints = new long[6];
        int[] roundTrips = {0};
        Xiio.run(() -> {
            try (TcpListener l = TcpListener.bind(TcpTest.V4)) {
                return TaskGroup.scope(g -> {
                    g.spawn("accept", () -> {
                        for (int i = 0; i < clients; i++) {
                            TcpStream conn = l.accept();
                            g.spawn("echo", () -> {
                                try (conn) {
                                    byte[] buf = new byte[256];
                                    for (int n; (n = conn.read(buf, 0, buf.length)) > 0; ) conn.writeAll(buf, 0, n);
                                }
                                return null;
                            });
                        }
                        return null;
                    });
                    for (int c = 0; c < clients; c++) {
                        g.spawn("client", () -> {
                            try (TcpStream s = TcpStream.connect(l.localAddress())) {
                                byte[] msg = new byte[64];
                                byte[] buf = new byte[256];
                                while (roundTrips[0] < WARMUP + MEASURED) {
                                    roundTrip(s, s, msg, buf);
                                    int done = ++roundTrips[0];
                                    if (done >= WARMUP && (done - WARMUP) % window == 0 && done - WARMUP <= MEASURED) {
                                        checkpoints[(done - WARMUP) / window] = allocatedBytes();
                                    }
                                }
                            }
                            return null;
                        });
                    }
                    return null;
                });
            }
        });
        double least = Double.MAX_VALUE;
        for (int i = 0; i < 5; i++) least = Math.min(least, (checkpoints[i + 1] - checkpoints[i]) / (double) window);
        return least;
    }

    static double tcp() throws Exception {
        return Xiio.run(() -> {
            try (TcpListener l = TcpListener.bind(TcpTest.V4);
                    TcpStream a = TcpStream.connect(l.localAddress());
                    TcpStream b = l.accept()) {
                return perRoundTrip(a, b);
            }
        });
    }

    static double pipe() throws Exception {
        return Xiio.run(() -> {
            try (Pipe p = Pipe.open()) {
                return perRoundTrip(p.writer(), p.reader());
            }
        });
    }
}
