package xiio.file;

import static java.nio.file.StandardOpenOption.CREATE_NEW;
import static java.nio.file.StandardOpenOption.READ;
import static java.nio.file.StandardOpenOption.WRITE;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import xiio.concurrent.Task;
import xiio.concurrent.TaskGroup;
import xiio.concurrent.Timeout;
import xiio.core.Xiio;
import xiio.support.Payload;
import xiio.testing.VirtualClock;
import xiio.thread.ThreadPool;

/**
 * A slow disk does not stall the loop; cancellation of a pending read leaves the
 * caller's array alone and the fd open until the worker lets go; closing with a read
 * in flight; a copy cancelled in the middle keeps everything written before.
 */
class AsyncFileCancellationTest {
    @TempDir
    Path dir;

    @AfterEach
    void noFileLeftOpen() throws InterruptedException {
        FileFds.assertNoneOpenUnder(dir);
    }

    private Path fileOf(String name, byte[] data) throws IOException {
        Path p = dir.resolve(name);
        Files.write(p, data);
        return p;
    }

    @Test
    void aReadFromASlowDiskStallsOnlyItsCoroutineWhileATimerKeepsTicking() throws Exception {
        byte[] data = Payload.of(3, 10_000);
        Path file = fileOf("slow", data);
        try (ThreadPool pool = new ThreadPool("slow-disk", 2); SlowDisk disk = SlowDisk.install()) {
            List<Object> got = Xiio.run(() -> {
                try (AsyncFile f = AsyncFile.open(file, Set.of(READ), pool)) {
                    int[] ticksWhilePending = new int[1];
                    byte[] buf = new byte[data.length];
                    TaskGroup.scope(g -> {
                        Task<Integer> reader = g.spawn(() -> f.readNBytes(0, buf, 0, buf.length));
                        g.spawn(() -> {
                            for (int i = 0; i < 10; i++) {
                                Xiio.sleep(Duration.ofMillis(5));
                                if (!reader.isDone()) ticksWhilePending[0]++;
                            }
                            disk.release();
                            return null;
                        });
                        return null;
                    });
                    return List.of(ticksWhilePending[0], Arrays.equals(data, buf));
                }
            });
            assertEquals(List.of(10, true), got, "every tick came while the read hung; then the data arrived");
            assertTrue(disk.started.get() >= 1);
            pool.close();
            assertTrue(pool.awaitTermination(5000));
        }
    }

    @Test
    void aCancelledPendingReadLeavesTheArrayAloneAndTheFdOpenUntilTheWorkerLetsGo() throws Exception {
        Path file = fileOf("cancelled", Payload.of(4, 4096));
        try (ThreadPool pool = new ThreadPool("cancel-read", 1); SlowDisk disk = SlowDisk.install()) {
            byte[] buf = new byte[4096];
            Arrays.fill(buf, (byte) 0x55);
            AsyncFile[] file_ = new AsyncFile[1];
            Object r = Xiio.run(() -> {
                AsyncFile f = AsyncFile.open(file, Set.of(READ), pool);
                file_[0] = f;
                Object timedOut = Timeout.withTimeoutOrNull(Duration.ofMillis(30), () -> f.read(0, buf, 0, buf.length));
                f.close();
                assertFalse(f.fdClosed(), "the worker still reads with it: the number must not be reused yet");
                return timedOut;
            });
            assertNull(r);
            assertEquals(1, disk.started.get());
            assertEquals(0, disk.finished.get());
            disk.release();
            long deadline = System.nanoTime() + 5_000_000_000L;
            while (!file_[0].fdClosed() && System.nanoTime() < deadline) Thread.sleep(5);
            assertTrue(file_[0].fdClosed(), "the worker closed the fd once its pread returned");
            byte[] untouched = new byte[4096];
            Arrays.fill(untouched, (byte) 0x55);
            assertArrayEquals(untouched, buf, "the data that came after the cancellation was dropped");
            pool.close();
            assertTrue(pool.awaitTermination(5000));
        }
    }

    @Test
    void closingWithAReadInFlightLetsItFinishAndClosesTheFdAfterwards() throws Exception {
        byte[] data = Payload.of(5, 8192);
        Path file = fileOf("in-flight", data);
        try (ThreadPool pool = new ThreadPool("close-in-flight", 1); SlowDisk disk = SlowDisk.install()) {
            List<Object> got = Xiio.run(() -> {
                AsyncFile f = AsyncFile.open(file, Set.of(READ), pool);
                byte[] buf = new byte[data.length];
                boolean[] openAfterClose = new boolean[1];
                int n = TaskGroup.scope(g -> {
                    Task<Integer> reader = g.spawn(() -> f.read(0, buf, 0, buf.length));
                    g.spawn(() -> {
                        while (disk.started.get() == 0) Xiio.sleep(Duration.ofMillis(1));
                        f.close();
                        openAfterClose[0] = !f.fdClosed();
                        disk.release();
                        return null;
                    });
                    return reader.join();
                });
                IOException later = assertThrows(IOException.class, () -> f.read(0, buf, 0, 1));
                return List.of(n, Arrays.equals(data, buf), openAfterClose[0], f.fdClosed(), later.getMessage());
            });
            assertEquals(List.of(8192, true, true, true, "cannot read " + file + ": the file is closed"), got);
            pool.close();
            assertTrue(pool.awaitTermination(5000));
        }
    }

    @Test
    void aCloseFromAnotherThreadWhileReadsRunEndsThemCleanly() throws Exception {
        byte[] data = Payload.of(11, 1 << 20);
        Path file = fileOf("closed-elsewhere", data);
        List<Object> got = Xiio.run(() -> {
            AsyncFile f = AsyncFile.open(file);
            Thread closer = Thread.ofPlatform().start(() -> {
                try {
                    Thread.sleep(30);
                } catch (InterruptedException e) {
                    return;
                }
                f.close();
            });
            byte[] buf = new byte[4096];
            long reads = 0;
            String ended;
            try {
                for (long at = 0; ; at = (at + 4096) % data.length) {
                    f.readNBytes(at, buf, 0, buf.length);
                    assertArrayEquals(Arrays.copyOfRange(data, (int) at, (int) at + 4096), buf, "4 KB at " + at);
                    reads++;
                }
            } catch (IOException e) {
                ended = e.getMessage();
            }
            closer.join();
            return List.of(reads > 0, ended, f.fdClosed());
        });
        assertEquals(List.of(true, "cannot read " + file + ": the file is closed", true), got);
    }

    @Test
    void aCopyCancelledInTheMiddleKeepsEveryByteWrittenBeforeAndTheLoopGoesOn() throws Exception {
        byte[] data = Payload.of(6, 16 << 20);
        Path source = fileOf("source", data);
        Path target = dir.resolve("target");
        long[] result = Xiio.run(() -> {
            long[] copied = new long[1];
            try (AsyncFile in = AsyncFile.open(source); AsyncFile out = AsyncFile.open(target, WRITE, CREATE_NEW)) {
                TaskGroup.scope(g -> {
                    Task<Object> copy = g.spawn(() -> {
                        byte[] buf = new byte[64 * 1024];
                        FileStream from = in.stream(), to = out.stream();
                        for (int n; (n = from.read(buf, 0, buf.length)) > 0; ) {
                            to.write(buf, 0, n);
                            copied[0] = to.position();
                        }
                        return "finished";
                    });
                    while (copied[0] < (4 << 20) && !copy.isDone()) Xiio.sleep(Duration.ofMillis(1));
                    copy.cancel();
                    return null;
                });
                // both files still work after the cancellation
                byte[] again = new byte[16];
                assertEquals(16, in.readNBytes(1000, again, 0, 16));
                assertArrayEquals(Arrays.copyOfRange(data, 1000, 1016), again);
                return new long[] {copied[0], out.size()};
            }
        });
        long copied = result[0];
        assertTrue(copied >= 4 << 20 && copied < data.length, "cancelled in the middle: " + copied);
        byte[] onDisk = Files.readAllBytes(target);
        assertTrue(onDisk.length >= copied, "what was reported written is there: " + onDisk.length + " < " + copied);
        // a write cancelled while pending may have landed too: the file is a prefix of the source either way
        assertArrayEquals(Arrays.copyOf(data, onDisk.length), onDisk);
    }

    @Test
    void aVirtualClockDoesNotJumpPastAPendingFileRead() throws Exception {
        byte[] data = Payload.of(8, 4096);
        Path file = fileOf("virtual", data);
        try (SlowDisk disk = SlowDisk.install()) {
            Thread releaser = Thread.ofPlatform().start(() -> {
                try {
                    Thread.sleep(100);
                } catch (InterruptedException e) {
                    return;
                }
                disk.release();
            });
            try {
                String order = Xiio.run(new VirtualClock(), () -> {
                    StringBuilder seen = new StringBuilder();
                    try (AsyncFile f = AsyncFile.open(file)) {
                        TaskGroup.scope(g -> {
                            g.spawn(() -> {
                                Xiio.sleep(Duration.ofHours(1));
                                seen.append("slept ");
                                return null;
                            });
                            byte[] buf = new byte[4096];
                            assertEquals(4096, f.readNBytes(0, buf, 0, buf.length));
                            seen.append("read ");
                            return null;
                        });
                    }
                    return seen.toString();
                });
                assertEquals("read slept ", order, "an hour of virtual time did not pass while the disk was slow");
            } finally {
                releaser.join();
            }
        }
    }
}
