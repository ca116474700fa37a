package xiio.bench.files;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import xiio.concurrent.TaskGroup;
import xiio.core.Poller;
import xiio.core.Xiio;
import xiio.file.AsyncFile;

/**
 * The workload: {@code tasks} concurrent coroutines or threads, each making
 * {@code opsPerTask} reads (or writes) of {@link #BLOCK} bytes at random block-aligned
 * offsets of one file, every latency recorded. Three ways, the same blocks (each task's
 * offsets come from its own seeded generator):
 * <ul>
 * <li>{@code xiio io_uring}: one run on an io_uring poller, {@link AsyncFile} (page cache first, then the ring);
 * <li>{@code xiio thread pool}: one run on epoll, {@link AsyncFile} (page cache first, then its default pool);
 * <li>{@code JDK FileChannel, virtual threads}: a virtual thread per task, positional
 *     {@code FileChannel.read}/{@code write} with a heap buffer (what a Java user writes today).
 * </ul>
 */
final class RandomBlocks {
    static final int BLOCK = 4096;

    /** One measured pass: how many reads, wall and process CPU time, and latency percentiles (ns). */
    record Figures(long reads, long wallNanos, long cpuNanos, long p50, long p99) {
        double readsPerSecond() {
            return reads * 1e9 / wallNanos;
        }

        double cpuMicrosPerRead() {
            return cpuNanos / 1e3 / reads;
        }
    }

    /** What carries the reads. */
    enum Way {
        RING("xiio, io_uring"),
        POOL("xiio, thread pool"),
        JDK("JDK FileChannel, virtual threads");

        final String label;

        Way(String label) {
            this.label = label;
        }
    }

    private RandomBlocks() {}

    static Figures run(Way way, boolean write, Path file, long fileSize, int tasks, int readsPerTask, long seed) throws Exception {
        long blocks = fileSize / BLOCK;
        long[][] latencies = new long[tasks][readsPerTask];
        long cpu0 = cpuNanos();
        long t0 = System.nanoTime();
        switch (way) {
            case RING -> xiio(Poller.ioUring(), write, file, blocks, latencies, seed);
            case POOL -> xiio(Poller.epoll(), write, file, blocks, latencies, seed);
            case JDK -> virtualThreads(write, file, blocks, latencies, seed);
        }
        long wall = System.nanoTime() - t0;
        long cpu = cpuNanos() - cpu0;
        long[] all = Arrays.stream(latencies).flatMapToLong(Arrays::stream).sorted().toArray();
        return new Figures(all.length, wall, cpu, all[all.length / 2], all[(int) (all.length * 0.99)]);
    }

    private static void xiio(Poller poller, boolean write, Path file, long blocks, long[][] latencies, long seed)
            throws Exception {
        Xiio.run(poller, () -> {
            try (AsyncFile f = write ? AsyncFile.open(file, StandardOpenOption.WRITE) : AsyncFile.open(file)) {
                TaskGroup.scope(g -> {
                    for (int t = 0; t < latencies.length; t++) {
                        long[] mine = latencies[t];
                        SplittableRandom random = new SplittableRandom(seed + t);
                        g.spawn(() -> {
                            byte[] buf = new byte[BLOCK];
                            for (int i = 0; i < mine.length; i++) {
                                long at = random.nextLong(blocks) * BLOCK;
                                long s = System.nanoTime();
                                if (write) f.writeAll(at, buf, 0, BLOCK);
                                else if (f.read(at, buf, 0, BLOCK) != BLOCK) throw new IOException("short read at " + at);
                                mine[i] = System.nanoTime() - s;
                            }
                            return null;
                        });
                    }
                    return null;
                });
            }
            return null;
        });
    }

    private static void virtualThreads(boolean write, Path file, long blocks, long[][] latencies, long seed) throws Exception {
        try (FileChannel channel = FileChannel.open(file, write ? StandardOpenOption.WRITE : StandardOpenOption.READ)) {
            List<Thread> threads = new ArrayList<>();
            Throwable[] failure = new Throwable[1];
            for (int t = 0; t < latencies.length; t++) {
                long[] mine = latencies[t];
                SplittableRandom random = new SplittableRandom(seed + t);
                threads.add(Thread.ofVirtual().start(() -> {
                    ByteBuffer buf = ByteBuffer.allocate(BLOCK);
                    try {
                        for (int i = 0; i < mine.length; i++) {
                            long at = random.nextLong(blocks) * BLOCK;
                            long s = System.nanoTime();
                            buf.clear();
                            while (buf.hasRemaining()) {
                                if (write) channel.write(buf, at + buf.position());
                                else if (channel.read(buf, at + buf.position()) < 0) throw new IOException("EOF at " + at);
                            }
                            mine[i] = System.nanoTime() - s;
                        }
                    } catch (Throwable e) {
                        synchronized (failure) {
                            failure[0] = e;
                        }
                    }
                }));
            }
            for (Thread t : threads) t.join();
            if (failure[0] != null) throw new IllegalStateException("a reader failed", failure[0]);
        }
    }

    /** CPU time of the whole process (every thread: workers, carriers, the kernel's io_uring workers). */
    static long cpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean()).getProcessCpuTime();
    }
}
