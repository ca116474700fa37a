package xiio.bench.files;

import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.io.IOException;
import java.io.PrintStream;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import xiio.bench.BenchDir;
import xiio.bench.MachineInfo;

/**
 * {@code ./xiio bench files [--smoke] [--output FILE]}: 4 KB random reads of one file
 * by 64 concurrent readers, through io_uring, through xiio's thread pool and through
 * the JDK's FileChannel on virtual threads, cold (the file's pages dropped from the
 * page cache with posix_fadvise(DONTNEED), so every read may go to the disk) and warm
 * (the whole file cached, which makes it a benchmark of the CPU path: the disk is never
 * touched). Written to benchmarks/results/files.md, or {@code --output}.
 */
public final class FileBench {
    static final String USAGE = """
            usage: ./xiio bench files [--smoke] [--output FILE]
              64 readers x 4 KB random reads of a 256 MB file (made once under benchmarks/target/), cold and warm,
              then 64 writers x 4 KB random buffered writes, io_uring vs xiio's thread pool vs JDK FileChannel on
              virtual threads; about 20 s;
              --smoke: a 16 MB file and few reads, figures that mean nothing""";

    static final int TASKS = 64;
    private static final int POSIX_FADV_DONTNEED = 4;

    /** The sizes of one run: full, or tiny for the smoke test. */
    record Plan(boolean smoke, long fileSize, int coldReadsPerTask, int warmReadsPerTask, int writesPerTask) {
        static Plan of(boolean smoke) {
            return smoke ? new Plan(true, 16L << 20, 20, 100, 50) : new Plan(false, 256L << 20, 200, 5000, 1000);
        }
    }

    /** One row of the table. */
    record Row(RandomBlocks.Way way, String cache, RandomBlocks.Figures figures) {}
    // cache: "warm" or "cold" for reads, "write" for buffered writes (the page cache takes them)

    private FileBench() {}

    /** Runs the section alone, without regenerating BENCHMARKS.md (as {@code xiio.bench.Bench files} would). */
    public static void main(String[] args) throws Exception {
        System.exit(run(args));
    }

    /** The section's entry for {@code xiio.bench.Bench}: 0, 1 if the benchmark failed, 2 on bad options. */
    public static int run(String[] args) throws Exception {
        boolean smoke = false;
        Path output = null;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--smoke" -> smoke = true;
                case "--output" -> {
                    if (++i == args.length) return usage("--output needs a file");
                    output = Path.of(args[i]).toAbsolutePath();
                }
                case "--help", "-h" -> {
                    System.err.println(USAGE);
                    return 0;
                }
                default -> {
                    return usage("unknown option " + args[i]);
                }
            }
        }
        BenchDir dir = BenchDir.locate();
        if (output == null) output = smoke ? dir.target().resolve("files-smoke.md") : dir.results().resolve("files.md");
        String markdown = measureAndRender(Plan.of(smoke), dir.target().resolve("bench-files"), System.err);
        Files.createDirectories(output.getParent());
        Files.writeString(output, markdown);
        System.out.print(markdown);
        System.err.println("xiio bench files: wrote " + output);
        return 0;
    }

    private static int usage(String why) {
        System.err.println("xiio bench files: " + why + "\n" + USAGE);
        return 2;
    }

    static String measureAndRender(Plan plan, Path workDir, PrintStream progress) throws Exception {
        String loadBefore = loadAverage();
        Path file = dataFile(workDir, plan.fileSize(), progress);
        List<Row> rows = new ArrayList<>();
        // Warm first: the page cache holds the whole file, and each way has one unmeasured
        // pass as long as the measured one, so the JIT has compiled its path (with a quarter
        // of it, the first way measured paid ~0.4 us per read more than when run alone).
        cacheWholeFile(file);
        for (RandomBlocks.Way way : RandomBlocks.Way.values()) {
            RandomBlocks.run(way, false, file, plan.fileSize(), TASKS, plan.warmReadsPerTask(), 99);
        }
        for (RandomBlocks.Way way : RandomBlocks.Way.values()) {
            progress.println("xiio bench files: warm, " + way.label);
            rows.add(new Row(way, "warm", RandomBlocks.run(way, false, file, plan.fileSize(), TASKS, plan.warmReadsPerTask(), 1)));
        }
        for (RandomBlocks.Way way : RandomBlocks.Way.values()) {
            progress.println("xiio bench files: cold, " + way.label);
            dropFromPageCache(file);
            rows.add(new Row(way, "cold", RandomBlocks.run(way, false, file, plan.fileSize(), TASKS, plan.coldReadsPerTask(), 1000)));
        }
        // writes last: the pages they dirty could not be dropped for the cold reads
        for (RandomBlocks.Way way : RandomBlocks.Way.values()) {
            RandomBlocks.run(way, true, file, plan.fileSize(), TASKS, plan.writesPerTask() / 4 + 1, 98);
        }
        for (RandomBlocks.Way way : RandomBlocks.Way.values()) {
            progress.println("xiio bench files: writes, " + way.label);
            rows.add(new Row(way, "write", RandomBlocks.run(way, true, file, plan.fileSize(), TASKS, plan.writesPerTask(), 2)));
        }
        return render(plan, rows, loadBefore, loadAverage());
    }

    /** The data file, made once (random bytes, so no file system can compress it away). */
    private static Path dataFile(Path workDir, long size, PrintStream progress) throws IOException {
        Files.createDirectories(workDir);
        Path file = workDir.resolve("random-" + (size >> 20) + "m.bin");
        if (Files.exists(file) && Files.size(file) == size) return file;
        progress.println("xiio bench files: writing " + file);
        SplittableRandom random = new SplittableRandom(15);
        try (FileChannel out = FileChannel.open(file, StandardOpenOption.WRITE, StandardOpenOption.CREATE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            ByteBuffer chunk = ByteBuffer.allocate(1 << 20);
            for (long at = 0; at < size; at += chunk.capacity()) {
                chunk.clear();
                while (chunk.hasRemaining()) chunk.putLong(random.nextLong());
                chunk.flip();
                while (chunk.hasRemaining()) out.write(chunk);
            }
            out.force(true);
        }
        return file;
    }

    private static void cacheWholeFile(Path file) throws IOException {
        try (FileChannel in = FileChannel.open(file, StandardOpenOption.READ)) {
            ByteBuffer buf = ByteBuffer.allocateDirect(1 << 20);
            while (in.read(buf) > 0) buf.clear();
        }
    }

    /**
     * posix_fadvise(fd, 0, 0, POSIX_FADV_DONTNEED): the kernel drops the file's clean
     * pages from the page cache. Only this file's: dropping every cache
     * (/proc/sys/vm/drop_caches) would slow every other process on the machine. Under a
     * virtual machine the host may still cache the disk, so "cold" is as cold as the
     * guest can make it.
     */
    private static void dropFromPageCache(Path file) throws IOException {
        // dirty pages (an earlier run's writes) are not dropped: write them back first
        try (FileChannel sync = FileChannel.open(file, StandardOpenOption.WRITE)) {
            sync.force(false);
        }
        Linker linker = Linker.nativeLinker();
        MethodHandle open = linker.downcallHandle(linker.defaultLookup().find("open").orElseThrow(),
                FunctionDescriptor.of(JAVA_INT, java.lang.foreign.ValueLayout.ADDRESS, JAVA_INT));
        MethodHandle fadvise = linker.downcallHandle(linker.defaultLookup().find("posix_fadvise").orElseThrow(),
                FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_LONG, JAVA_LONG, JAVA_INT));
        MethodHandle close = linker.downcallHandle(linker.defaultLookup().find("close").orElseThrow(),
                FunctionDescriptor.of(JAVA_INT, JAVA_INT));
        try (java.lang.foreign.Arena arena = java.lang.foreign.Arena.ofConfined()) {
            MemorySegment path = arena.allocateFrom(file.toString());
            int fd = (int) open.invokeExact(path, 0);
            if (fd < 0) throw new IOException("open(" + file + ") failed");
            try {
                int r = (int) fadvise.invokeExact(fd, 0L, 0L, POSIX_FADV_DONTNEED);
                if (r != 0) throw new IOException("posix_fadvise(DONTNEED) of " + file + " failed: " + r);
            } finally {
                int ignored = (int) close.invokeExact(fd);
            }
        } catch (IOException e) {
            throw e;
        } catch (Throwable t) {
            throw new IOException("posix_fadvise(DONTNEED) of " + file + " failed", t);
        }
    }

    private static String loadAverage() {
        try {
            return Files.readString(Path.of("/proc/loadavg")).split(" ")[0];
        } catch (IOException e) {
            return "unknown";
        }
    }

    static String render(Plan plan, List<Row> rows, String loadBefore, String loadAfter) {
        MachineInfo machine = MachineInfo.current();
        StringBuilder md = new StringBuilder();
        md.append("## Regular files: 4 KB random reads and writes (").append(plan.smoke() ? "smoke, figures mean nothing" : "issue 15")
                .append(")\n\n");
        md.append(String.format(Locale.ROOT, "%d readers, each %d (cold) or %d (warm) reads of 4 KB at random"
                + " 4 KB-aligned offsets of a %d MB file, then %d writers of %d 4 KB blocks each (buffered: the page"
                + " cache takes them, no fsync); every way moves the same blocks. ", TASKS,
                plan.coldReadsPerTask(), plan.warmReadsPerTask(), plan.fileSize() >> 20, TASKS, plan.writesPerTask()));
        md.append("Warm: the whole file is in the page cache, so this measures the CPU path (submission, wake-up, copy),"
                + " not the disk. Cold: the file's pages dropped with posix_fadvise(DONTNEED) before each way"
                + " (a virtual machine's host may still cache its disk). CPU is the whole process's, per read"
                + " (worker threads, carriers and the kernel's io_uring workers included). xiio reads ask the page"
                + " cache first (preadv2 RWF_NOWAIT on the loop thread), so warm reads hardly reach the ring or the"
                + " pool; writes always do (ext4 answers EOPNOTSUPP to a non-blocking buffered write).\n\n");
        md.append("| way | what | ops | ops/s | vs thread pool | CPU µs/op | p50 µs | p99 µs |\n");
        md.append("|---|---|---:|---:|---:|---:|---:|---:|\n");
        for (Row r : rows) {
            double pool = rows.stream().filter(o -> o.cache().equals(r.cache()) && o.way() == RandomBlocks.Way.POOL)
                    .findFirst().orElseThrow().figures().readsPerSecond();
            RandomBlocks.Figures f = r.figures();
            md.append(String.format(Locale.ROOT, "| %s | %s | %,d | %,.0f | %.2fx | %.1f | %.1f | %.1f |\n", r.way().label,
                    r.cache().equals("write") ? "write" : "read, " + r.cache(), f.reads(), f.readsPerSecond(), f.readsPerSecond() / pool, f.cpuMicrosPerRead(),
                    f.p50() / 1e3, f.p99() / 1e3));
        }
        md.append(String.format(Locale.ROOT, "\nxiio's thread pool: the default `xiio-files` pool (%d workers here)."
                + " Machine: %s, %s, %s; load average %s at the start, %s at the end; %s. Command: `%s`.\n",
                xiio.file.AsyncFile.defaultPool().maxWorkers(), machine.cpu(), machine.kernel(), machine.jdk(),
                loadBefore, loadAfter, machine.date(),
                System.getProperty("xiio.bench.command", "./xiio bench files")));
        return md.toString();
    }
}
