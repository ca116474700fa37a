package xiio.core;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import xiio.concurrent.TaskGroup;
import xiio.support.TestPipe;
import xiio.testing.VirtualClock;
import xiio.unix.Errno;
import xiio.unix.ErrnoException;
import xiio.unix.sys.FileSyscalls;

class ConditionTest {

    @Test
    void readableFiresWhenDataArrives() throws Exception {
        try (TestPipe p = new TestPipe()) {
            String got = VirtualClock.run(() -> TaskGroup.scope(g -> {
                g.spawn(() -> {
                    Xiio.sleep(Duration.ofMillis(10));
                    p.put("ping");
                    return null;
                });
                Xiio.await(Condition.readable(p.readFd));
                byte[] buf = new byte[8];
                return new String(buf, 0, Xiio.read(p.readFd, buf));
            }));
            assertEquals("ping", got);
        }
    }

    @Test
    void readReturnsMinusOneAtEndOfFile() throws Exception {
        try (TestPipe p = new TestPipe()) {
            p.put("x");
            p.closeWriteEnd();
            List<Integer> reads = Xiio.run(() -> {
                byte[] buf = new byte[8];
                return List.of(Xiio.read(p.readFd, buf), Xiio.read(p.readFd, buf));
            });
            assertEquals(List.of(1, -1), reads);
        }
    }

    @Test
    void writableWaitsForRoomInAFullPipe() throws Exception {
        try (TestPipe p = new TestPipe()) {
            byte[] chunk = new byte[65536];
            // fill the pipe until the kernel says EAGAIN
            while (FileSyscalls.get().write(p.writeFd, chunk, 0, chunk.length) > 0) { }
            List<String> order = VirtualClock.run(() -> {
                List<String> events = new ArrayList<>();
                TaskGroup.scope(g -> {
                    g.spawn(() -> {
                        Xiio.await(Condition.writable(p.writeFd));
                        events.add("writable");
                        return null;
                    });
                    g.spawn(() -> {
                        Xiio.sleep(Duration.ofMillis(20));
                        events.add("draining");
                        byte[] buf = new byte[65536];
                        while (FileSyscalls.get().read(p.readFd, buf, 0, buf.length) > 0) { }
                        return null;
                    });
                    return null;
                });
                return events;
            });
            assertEquals(List.of("draining", "writable"), order);
        }
    }

    @Test
    void writeAllMovesMoreThanAPipeBufferThroughAConcurrentReader() throws Exception {
        byte[] data = new byte[1 << 20];
        for (int i = 0; i < data.length; i++) data[i] = (byte) (i * 31 + 7);
        try (TestPipe p = new TestPipe()) {
            byte[] received = Xiio.run(() -> TaskGroup.scope(g -> {
                g.spawn(() -> {
                    Xiio.writeAll(p.writeFd, data);
                    p.closeWriteEnd();
                    return null;
                });
                byte[] out = new byte[data.length];
                int total = 0;
                for (int n; (n = Xiio.read(p.readFd, out, total, Math.min(8192, out.length - total))) > 0; ) {
                    total += n;
                    if (total == out.length) break;
                }
                assertEquals(data.length, total);
                return out;
            }));
            assertArrayEquals(data, received);
        }
    }

    @Test
    void unionIsFulfilledByItsFirstPart() throws Exception {
        try (TestPipe quiet = new TestPipe(); TestPipe loud = new TestPipe()) {
            loud.put("!");
            VirtualClock.run(() -> {
                long t0 = Xiio.nanoTime();
                Xiio.await(Condition.anyOf(
                        Condition.readable(quiet.readFd),
                        Condition.readable(loud.readFd),
                        Condition.after(Duration.ofSeconds(30))));
                assertTrue(Xiio.nanoTime() - t0 < Duration.ofSeconds(10).toNanos());
                // the deadline part fires when nothing else does
                Xiio.await(Condition.readable(quiet.readFd).or(Condition.after(Duration.ofMillis(10))));
                return null;
            });
        }
    }

    @Test
    void promiseConditionFiresWhenCompleted() throws Exception {
        Promise<String> p = new Promise<>();
        assertEquals("done", VirtualClock.run(() -> TaskGroup.scope(g -> {
            g.spawn(() -> {
                Xiio.sleep(Duration.ofMillis(5));
                p.complete("done");
                return null;
            });
            Xiio.await(Condition.done(p));
            return p.get();
        })));
    }

    @Test
    void waitingOnAClosedFdFailsWithEbadfAndTheLoopGoesOn() throws Exception {
        int fd = 4000; // not open in a test JVM; a just-closed number could be reused by the epoll fd itself
        String after = VirtualClock.run(() -> {
            ErrnoException e = assertThrows(ErrnoException.class, () -> Xiio.await(Condition.readable(fd)));
            assertEquals(Errno.EBADF, e.errno());
            assertTrue(e.getMessage().contains("fd " + fd) && e.getMessage().contains("EBADF"), e.getMessage());
            assertThrows(ErrnoException.class, () -> Xiio.read(fd, new byte[1]));
            Xiio.sleep(Duration.ofMillis(1));
            return "usable";
        });
        assertEquals("usable", after);
    }

    @Test
    void negativeFdsAndDurationsAreRejected() throws Exception {
        Xiio.run(() -> {
            assertThrows(IllegalArgumentException.class, () -> Condition.readable(-1));
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> Xiio.sleep(Duration.ofSeconds(-1)));
            assertTrue(e.getMessage().contains("negative duration"), e.getMessage());
            assertThrows(IndexOutOfBoundsException.class, () -> Xiio.read(0, new byte[4], 2, 4));
            return null;
        });
    }

    @Test
    void hugeDurationsMeanNever() throws Exception {
        VirtualClock.run(() -> {
            Xiio.await(Condition.after(ChronoUnitForever.DURATION).or(Condition.after(Duration.ofMillis(1))));
            return null;
        });
    }

    @Test
    void regularFilesAreAlwaysReady(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("data.txt");
        Files.writeString(file, "file contents");
        int fd = FileSyscalls.get().open(file.toString(), xiio.unix.sys.Constants.O_RDONLY, 0);
        try {
            String text = Xiio.run(() -> {
                byte[] buf = new byte[64];
                return new String(buf, 0, Xiio.read(fd, buf));
            });
            assertEquals("file contents", text);
        } finally {
            FileSyscalls.get().close(fd);
        }
    }

    @Test
    void closingFailsTheWaitersOfAnFd() throws Exception {
        try (TestPipe p = new TestPipe()) {
            VirtualClock.run(() -> TaskGroup.scope(g -> {
                var reader = g.spawn(() -> {
                    IOException e = assertThrows(IOException.class, () -> Xiio.await(Condition.readable(p.readFd)));
                    assertTrue(e.getMessage().contains("was closed"), e.getMessage());
                    return "failed cleanly";
                });
                Xiio.sleep(Duration.ofMillis(5));
                Xiio.closing(p.readFd);
                assertEquals("failed cleanly", reader.join());
                assertFalse(false);
                return null;
            }));
        }
    }

    /** A duration too long for nanoseconds. */
    private static final class ChronoUnitForever {
        static final Duration DURATION = java.time.temporal.ChronoUnit.FOREVER.getDuration();
    }
}
