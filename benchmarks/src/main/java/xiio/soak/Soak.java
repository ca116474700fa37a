package xiio.soak;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.zip.CRC32;
import xiio.concurrent.Semaphore;
import xiio.concurrent.TaskGroup;
import xiio.concurrent.Timeout;
import xiio.core.CancelledError;
import xiio.core.Xiio;
import xiio.net.TcpListener;
import xiio.net.TcpStream;
import xiio.process.Redirect;
import xiio.process.Subprocess;
import xiio.thread.ThreadPool;

/**
 * A soak run: for a given time, thousands of loopback connections open, echo random
 * sizes, half-close, reset and get cancelled by random timeouts, while subprocesses
 * and thread-pool jobs run beside them; every byte is checked end to end. Every 10 s it
 * prints connections served, bytes verified, errors by kind, open fds and heap after
 * GC. It fails (exit 1) if any byte was lost or corrupted, fds grew, or the heap kept
 * growing.
 *
 * <pre>./xiio soak --duration 10m [--connections 500] [--seed N]</pre>
 */
public final class Soak {
    private final Duration duration;
    private final int concurrency;
    private final long seed;
    private final SoakStats stats = new SoakStats();
    private final List<Long> heapSamples = new ArrayList<>();

    Soak(Duration duration, int concurrency, long seed) {
        this.duration = duration;
        this.concurrency = concurrency;
        this.seed = seed;
    }

    public static void main(String[] args) throws Exception {
        Duration duration = Duration.ofSeconds(60);
        int connections = 500;
        long seed = System.nanoTime();
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--duration" -> duration = parseDuration(args[++i]);
                case "--connections" -> connections = Integer.parseInt(args[++i]);
                case "--seed" -> seed = Long.parseLong(args[++i]);
                case "--help", "-h" -> {
                    System.out.println("usage: ./xiio soak [--duration 10m] [--connections 500] [--seed N]");
                    return;
                }
                default -> throw new IllegalArgumentException("unknown option " + args[i] + " (see --help)");
            }
        }
        System.exit(new Soak(duration, connections, seed).run() ? 0 : 1);
    }

    static Duration parseDuration(String text) {
        String t = text.trim();
        if (t.endsWith("ms")) return Duration.ofMillis(Long.parseLong(t.substring(0, t.length() - 2)));
        if (t.endsWith("s")) return Duration.ofSeconds(Long.parseLong(t.substring(0, t.length() - 1)));
        if (t.endsWith("m")) return Duration.ofMinutes(Long.parseLong(t.substring(0, t.length() - 1)));
        return Duration.ofSeconds(Long.parseLong(t));
    }

    /** Runs the soak; returns whether it passed, after printing the verdict. */
    boolean run() throws Exception {
        System.out.printf("soak: %s, %d concurrent connections, seed %d, backend %s%n",
                duration, concurrency, seed, System.getProperty("xiio.backend", "auto"));
        long fdsBefore = SoakStats.openFds();
        List<String> fdTargetsBefore = SoakStats.openFdTargets();
        long start = System.nanoTime();
        try (ThreadPool pool = new ThreadPool("soak-pool", 4)) {
            Xiio.run(() -> {
                try (TcpListener listener = TcpListener.bind(new InetSocketAddress("127.0.0.1", 0))) {
                    Timeout.withTimeoutOrNull(duration, () -> TaskGroup.scope(g -> {
                        g.spawn("server", () -> serve(listener));
                        g.spawn("reporter", () -> report(start));
                        g.spawn("processes", this::processes);
                        g.spawn("pool jobs", () -> poolJobs(pool));
                        clients(listener.localAddress());
                        return null;
                    }));
                }
                return null;
            });
            pool.close();
            pool.awaitTermination(10_000);
        }
        long fdsAfter = SoakStats.openFds();
        long heapEnd = SoakStats.heapAfterGc();
        System.out.println(stats.line((System.nanoTime() - start) / 1_000_000_000));
        List<String> problems = new ArrayList<>();
        if (stats.corrupted > 0) problems.add(stats.corrupted + " transfers lost or corrupted bytes");
        if (stats.bytesVerified == 0) problems.add("no byte was verified");
        if (fdsAfter > fdsBefore) {
            problems.add("open fds grew from " + fdsBefore + " to " + fdsAfter + ": "
                    + SoakStats.grown(fdTargetsBefore, SoakStats.openFdTargets()));
        }
        if (heapGrew(heapEnd)) problems.add("heap kept growing: samples " + heapSamples + ", end " + heapEnd);
        System.out.println(problems.isEmpty() ? "soak: PASSED" : "soak: FAILED: " + String.join("; ", problems));
        return problems.isEmpty();
    }

    /** Growing means: the end is well above the lowest sample after warm-up, by a margin that noise does not reach. */
    private boolean heapGrew(long end) {
        if (heapSamples.size() < 3) return false;
        long floor = heapSamples.subList(1, heapSamples.size()).stream().min(Long::compare).orElse(end);
        return end > floor * 2 && end - floor > 64L << 20;
    }

    private Void report(long start) {
        while (true) {
            Xiio.sleep(Duration.ofSeconds(10));
            heapSamples.add(SoakStats.heapAfterGc());
            System.out.println(stats.line((System.nanoTime() - start) / 1_000_000_000));
        }
    }

    /** The echo server: one task per connection; a reset or cancelled peer ends only its own task. */
    private Void serve(TcpListener listener) throws Exception {
        return TaskGroup.scope(conns -> {
            while (true) {
                TcpStream conn = listener.accept();
                conns.spawn("echo", () -> {
                    try (conn) {
                        byte[] buf = new byte[32 * 1024];
                        for (int n; (n = conn.read(buf, 0, buf.length)) > 0; ) conn.writeAll(buf, 0, n);
                        conn.shutdownOutput();
                    } catch (IOException e) {
                        stats.error("server: " + e.getClass().getSimpleName());
                    }
                    return null;
                });
            }
        });
    }

    /** Keeps {@code concurrency} client connections busy until the soak ends. */
    private void clients(InetSocketAddress server) throws Exception {
        Semaphore slots = new Semaphore(concurrency);
        SplittableRandom random = new SplittableRandom(seed);
        TaskGroup.scope(g -> {
            for (long id = 0; ; id++) {
                slots.acquire();
                SplittableRandom mine = random.split();
                g.spawn("client " + id, () -> {
                    try {
                        client(server, mine);
                    } finally {
                        slots.release();
                    }
                    return null;
                });
            }
        });
    }

    /** One client: a few echo rounds of random sizes, then a half-close, a reset or a timeout. */
    private void client(InetSocketAddress server, SplittableRandom random) {
        int ending = random.nextInt(10); // 0-5 half-close, 6-7 reset, 8-9 a tight timeout
        Duration limit = ending >= 8 ? Duration.ofMillis(random.nextInt(1, 20)) : Duration.ofSeconds(30);
        int rounds = random.nextInt(1, 6);
        Transfer t = new Transfer();
        try {
            Timeout.withTimeoutOrNull(limit, () -> {
                try (TcpStream conn = TcpStream.connect(server)) {
                    for (int r = 0; r < rounds; r++) t.round(conn, random.nextInt(1, 256 * 1024), random.nextLong());
                    if (ending >= 6 && ending < 8) {
                        conn.reset();
                        stats.error("client: reset on purpose");
                    } else {
                        conn.shutdownOutput();
                        if (conn.read(new byte[1], 0, 1) != -1) throw new IOException("data after the echo ended");
                    }
                }
                stats.connectionsServed++;
                return null;
            });
            if (ending >= 8) stats.error("client: cancelled by its timeout");
        } catch (CancelledError e) {
            throw e;
        } catch (Exception e) {
            stats.error("client: " + e.getClass().getSimpleName());
        } finally {
            if (!t.intact) stats.corrupted++;
        }
    }

    /** One connection's echo rounds, checked byte by byte: what came back must be a prefix of what went out. */
    private final class Transfer {
        boolean intact = true;

        void round(TcpStream conn, int size, long fill) throws Exception {
            byte[] out = new byte[size];
            new SplittableRandom(fill).nextBytes(out);
            byte[] in = new byte[size];
            int[] got = {0};
            try {
                TaskGroup.scope(g -> {
                    g.spawn("writer", () -> {
                        conn.writeAll(out, 0, out.length);
                        return null;
                    });
                    while (got[0] < size) {
                        int n = conn.read(in, got[0], size - got[0]);
                        if (n < 0) throw new IOException("EOF after " + got[0] + " of " + size + " bytes");
                        got[0] += n;
                    }
                    return null;
                });
            } finally {
                // whatever arrived, even when cancelled midway, must be exactly what was sent
                if (!Arrays.equals(in, 0, got[0], out, 0, got[0])) intact = false;
                else stats.bytesVerified += got[0];
            }
        }
    }

    /** Subprocesses: random bytes through {@code cat}, checked. */
    private Void processes() throws Exception {
        SplittableRandom random = new SplittableRandom(seed ^ 0x5eed);
        while (true) {
            byte[] data = new byte[random.nextInt(1, 512 * 1024)];
            random.nextBytes(data);
            var done = Subprocess.builder("cat").input(data).stdout(Redirect.PIPE).run();
            stats.processesRun++;
            if (!Arrays.equals(done.stdout(), data)) stats.corrupted++;
            else stats.bytesVerified += data.length;
            Xiio.sleep(Duration.ofMillis(20));
        }
    }

    /** Thread-pool jobs: checksums computed on a worker, checked on the loop. */
    private Void poolJobs(ThreadPool pool) throws Exception {
        SplittableRandom random = new SplittableRandom(seed ^ 0x9001);
        while (true) {
            byte[] data = new byte[random.nextInt(1, 64 * 1024)];
            random.nextBytes(data);
            long remote = pool.call(() -> crc(data));
            stats.poolJobs++;
            if (remote != crc(data)) stats.corrupted++;
            Xiio.sleep(Duration.ofMillis(2));
        }
    }

    private static long crc(byte[] data) {
        CRC32 c = new CRC32();
        c.update(data);
        return c.getValue();
    }
}
