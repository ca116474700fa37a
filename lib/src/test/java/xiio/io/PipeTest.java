package xiio.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import xiio.concurrent.TaskGroup;
import xiio.core.Xiio;
import xiio.support.TestPipe;
import xiio.unix.Errno;
import xiio.unix.ErrnoException;
import xiio.unix.sys.Constants;
import xiio.unix.sys.FileSyscalls;

class PipeTest {

    @Test
    void bytesGoThroughAndClosingTheWriterGivesEndOfStream() throws Exception {
        List<Object> got = Xiio.run(() -> {
            try (Pipe p = Pipe.open()) {
                p.writer().writeAll("ping".getBytes(), 0, 4);
                p.writer().shutdownOutput(); // closes the write end: the only way to give EOF
                assertFalse(p.writer().isOpen());
                byte[] buf = new byte[16];
                int n = p.reader().read(buf, 0, buf.length);
                return List.of(new String(buf, 0, n), p.reader().read(buf, 0, buf.length));
            }
        });
        assertEquals(List.of("ping", -1), got);
    }

    @Test
    void tryWriteTakesWhatFitsAndAnswersZeroWhenFullWithoutWaiting() throws Exception {
        long[] counts = Xiio.run(() -> {
            try (Pipe p = Pipe.open()) {
                byte[] chunk = new byte[4096];
                long written = 0;
                for (int n; (n = p.writer().tryWrite(chunk, 0, chunk.length)) > 0; ) written += n;
                // full: a plain write would wait here, tryWrite answers 0 again at once
                int again = p.writer().tryWrite(chunk, 0, 1);
                long read = 0;
                byte[] buf = new byte[1 << 16];
                while (read < written) read += p.reader().read(buf, 0, buf.length);
                return new long[] {written, read, again};
            }
        });
        assertTrue(counts[0] >= 4096, "a pipe holds at least a page: " + counts[0]);
        assertEquals(counts[0], counts[1]);
        assertEquals(0, counts[2]);
    }

    @Test
    void aReadWaitsForTheWriter() throws Exception {
        String got = Xiio.run(() -> {
            try (Pipe p = Pipe.open()) {
                return TaskGroup.scope(g -> {
                    g.spawn(() -> {
                        Xiio.sleep(Duration.ofMillis(10));
                        p.writer().writeAll("late".getBytes(), 0, 4);
                        return null;
                    });
                    byte[] buf = new byte[16];
                    return new String(buf, 0, p.reader().read(buf, 0, 16));
                });
            }
        });
        assertEquals("late", got);
    }

    @Test
    void writingToAPipeWithoutReaderIsEpipeNotADeadJvm() throws Exception {
        ErrnoException e = assertThrows(ErrnoException.class, () -> Xiio.run(() -> {
            try (Pipe p = Pipe.open()) {
                p.reader().close();
                return p.writer().write(new byte[10], 0, 10);
            }
        }));
        assertEquals(Errno.EPIPE, e.errno());
        assertTrue(e.getMessage().contains("write(fd "), e.getMessage());
        assertTrue(e.getMessage().contains("pipe write end"), e.getMessage());
    }

    @Test
    void theWrongDirectionIsAClearError() throws Exception {
        IOException e = assertThrows(IOException.class, () -> Xiio.run(() -> {
            try (Pipe p = Pipe.open()) {
                return p.reader().write(new byte[1], 0, 1);
            }
        }));
        assertTrue(e.getMessage().contains("read-only"), e.getMessage());
    }

    @Test
    void closingAStreamFailsTheCoroutineWaitingOnIt() throws Exception {
        IOException e = assertThrows(IOException.class, () -> Xiio.run(() -> {
            try (Pipe p = Pipe.open()) {
                return TaskGroup.scope(g -> {
                    g.spawn(() -> {
                        Xiio.sleep(Duration.ofMillis(10));
                        p.reader().close();
                        p.reader().close(); // idempotent
                        return null;
                    });
                    return p.reader().read(new byte[1], 0, 1);
                });
            }
        }));
        assertTrue(e.getMessage().contains("closed"), e.getMessage());
    }

    @Test
    void aBlockingFdIsRefusedWithAHint() throws Exception {
        try (TestPipe p = new TestPipe()) {
            FileSyscalls.get().setNonBlocking(p.readFd, false);
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> new FdStream(p.readFd, FdStream.Access.READ, "blocking pipe"));
            assertTrue(e.getMessage().contains("Stdio.inherit"), e.getMessage());
        }
    }

    @Test
    void aRegularFileIsAlwaysReadyAndReadInPlace(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("data.txt");
        Files.writeString(file, "line one\nline two\n");
        int fd = FileSyscalls.get().open(file.toString(), Constants.O_RDONLY, 0);
        List<String> lines = Xiio.run(() -> {
            try (FdStream s = new FdStream(fd, FdStream.Access.READ, "data.txt")) {
                StreamReader r = new StreamReader(s);
                return List.of(r.readLine(100), r.readLine(100), String.valueOf(r.readLine(100)));
            }
        });
        assertEquals(List.of("line one", "line two", "null"), lines);
    }

    @Test
    void aPipeCannotBeHalfClosedFromItsReadEnd() throws Exception {
        IOException e = assertThrows(IOException.class, () -> Xiio.run(() -> {
            try (Pipe p = Pipe.open()) {
                p.reader().shutdownOutput();
                return null;
            }
        }));
        assertTrue(e.getMessage().contains("read-only"), e.getMessage());
    }
}
