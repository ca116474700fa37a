package xiio.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import xiio.concurrent.TaskGroup;
import xiio.core.Xiio;
import xiio.net.UnixAddress;
import xiio.net.UnixListener;
import xiio.net.UnixStream;
import xiio.support.TestPipe;
import xiio.unix.Errno;
import xiio.unix.ErrnoException;
import xiio.unix.sys.Constants;
import xiio.unix.sys.FileSyscalls;

/**
 * The stdio code path on fds we open ourselves (made blocking, as inherited ones
 * are), plus one real subprocess whose stdin is a pipe and one whose stdin is a file.
 */
class StdioTest {

    static boolean nonBlocking(int fd) {
        int flags = FileSyscalls.get().fcntl(fd, Constants.F_GETFL, 0);
        assertTrue(flags >= 0, "fcntl failed: " + flags);
        return (flags & Constants.O_NONBLOCK) != 0;
    }

    @Test
    void anInheritedPipeIsReopenedAndItsSharedFlagsAreLeftAlone() throws Exception {
        try (TestPipe p = new TestPipe()) {
            FileSyscalls.get().setNonBlocking(p.readFd, false); // as a shell hands it over
            String got = Xiio.run(() -> {
                try (FdStream in = Stdio.inherit(p.readFd, FdStream.Access.READ, "stdin")) {
                    assertNotEquals(p.readFd, in.fd());
                    assertTrue(nonBlocking(in.fd()), "our own description is non-blocking");
                    assertTrue(!nonBlocking(p.readFd), "the shared one is untouched");
                    assertTrue(in.toString().contains("stdin (pipe)"), in.toString());
                    return TaskGroup.scope(g -> {
                        g.spawn(() -> {
                            Xiio.sleep(Duration.ofMillis(10)); // the read must wait, not block the loop
                            FileSyscalls.get().write(p.writeFd, "typed\n".getBytes(), 0, 6);
                            return null;
                        });
                        return new StreamReader(in).readLine(100);
                    });
                }
            });
            assertEquals("typed", got);
            assertTrue(FileSyscalls.get().fcntl(p.readFd, Constants.F_GETFL, 0) >= 0, "the inherited fd stays open");
        }
    }

    @Test
    void anInheritedFileSharesItsOffset(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("input.txt");
        Files.writeString(file, "first\nsecond\n");
        int fd = FileSyscalls.get().open(file.toString(), Constants.O_RDONLY, 0);
        try {
            String first = Xiio.run(() -> {
                try (FdStream in = Stdio.inherit(fd, FdStream.Access.READ, "stdin")) {
                    byte[] buf = new byte[6];
                    new StreamReader(in, 1).readExactly(buf, 0, 6);
                    return new String(buf);
                }
            });
            assertEquals("first\n", first);
            // as with `(prog; cat) < file`: whoever reads fd next continues where we stopped
            byte[] rest = new byte[100];
            long n = FileSyscalls.get().read(fd, rest, 0, rest.length);
            assertEquals("second\n", new String(rest, 0, (int) n));
        } finally {
            FileSyscalls.get().close(fd);
        }
    }

    @Test
    void anInheritedBlockingSocketIsReadWithDontWait() throws Exception {
        UnixAddress name = UnixAddress.ofAbstract("xiio-stdio-" + ProcessHandle.current().pid());
        String got = Xiio.run(() -> {
            try (UnixListener l = UnixListener.bind(name); UnixStream client = UnixStream.connect(name); UnixStream server = l.accept()) {
                FileSyscalls.get().setNonBlocking(client.fd(), false); // as inetd or systemd hand it over
                try (FdStream s = Stdio.inherit(client.fd(), FdStream.Access.READ_WRITE, "fd 3")) {
                    assertTrue(s.toString().contains("(socket)"), s.toString());
                    return TaskGroup.scope(g -> {
                        g.spawn(() -> {
                            Xiio.sleep(Duration.ofMillis(10)); // the read must wait, not block the loop
                            server.writeAll("over a socket\n".getBytes(), 0, 14);
                            return null;
                        });
                        String line = new StreamReader(s).readLine(100);
                        assertTrue(!nonBlocking(client.fd()), "the shared description stays blocking");
                        return line;
                    });
                }
            }
        });
        assertEquals("over a socket", got);
    }

    @Test
    void whenTheReopenIsRefusedTheSharedFlagIsSetAndRestoredOnClose() throws Exception {
        FileSyscalls refusing = new FileSyscalls() {
            @Override
            public int open(String path, int flags, int mode) throws ErrnoException {
                if (path.startsWith("/proc/self/fd/")) throw new ErrnoException("open(" + path + ")", Errno.EACCES);
                return super.open(path, flags, mode);
            }
        };
        try (TestPipe p = new TestPipe()) {
            FileSyscalls previous = FileSyscalls.install(refusing);
            try {
                FileSyscalls.get().setNonBlocking(p.readFd, false);
                Xiio.run(() -> {
                    FdStream in = Stdio.inherit(p.readFd, FdStream.Access.READ, "stdin");
                    assertTrue(in.toString().contains("shared O_NONBLOCK"), in.toString());
                    assertTrue(nonBlocking(p.readFd), "the fallback sets the shared flag");
                    FileSyscalls.get().write(p.writeFd, "x".getBytes(), 0, 1);
                    assertEquals(1, in.read(new byte[4], 0, 4));
                    in.close();
                    return null;
                });
                assertTrue(!nonBlocking(p.readFd), "closing the stream restored the original flags");
            } finally {
                FileSyscalls.install(previous);
            }
        }
    }

    @Test
    void aClosedFdIsAClearError() {
        IOException e = assertThrows(IOException.class, () -> Stdio.inherit(999_999, FdStream.Access.READ, "stdin"));
        assertTrue(e.getMessage().contains("fd 999999 is not open"), e.getMessage());
    }

    // --- real subprocesses -----------------------------------------------------------

    static List<String> childCommand() {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.add("--enable-native-access=ALL-UNNAMED");
        cmd.add("--add-exports");
        cmd.add("java.base/jdk.internal.vm=ALL-UNNAMED");
        cmd.add("-Dxiio.backend=" + System.getProperty("xiio.backend", "continuation"));
        cmd.add("-XX:TieredStopAtLevel=1");
        cmd.add("-Xshare:auto");
        cmd.add("-cp");
        cmd.add(System.getProperty("java.class.path"));
        cmd.add(StdioChild.class.getName());
        return cmd;
    }

    record Outcome(String stdout, String stderr, int exit) {}

    static Outcome runChild(ProcessBuilder pb, String input) throws Exception {
        Process p = pb.start();
        try (OutputStream in = p.getOutputStream(); InputStream out = p.getInputStream(); InputStream err = p.getErrorStream()) {
            if (input != null) in.write(input.getBytes(StandardCharsets.UTF_8));
            in.close();
            String o = new String(out.readAllBytes(), StandardCharsets.UTF_8);
            String e = new String(err.readAllBytes(), StandardCharsets.UTF_8);
            assertTrue(p.waitFor(60, TimeUnit.SECONDS), "child did not exit");
            return new Outcome(o, e, p.exitValue());
        } finally {
            p.destroyForcibly();
        }
    }

    @Test
    void aChildReadsStdinFromAPipe() throws Exception {
        Outcome r = runChild(new ProcessBuilder(childCommand()), "hello\nworld\n");
        assertEquals(0, r.exit(), r.stderr());
        assertEquals("HELLO\nWORLD\n", r.stdout());
        assertTrue(r.stderr().contains("2 lines via stdin (pipe)"), r.stderr());
    }

    @Test
    void aChildReadsStdinFromAFile(@TempDir Path dir) throws Exception {
        Path input = dir.resolve("in.txt");
        Files.writeString(input, "from\na file");
        Outcome r = runChild(new ProcessBuilder(childCommand()).redirectInput(input.toFile()), null);
        assertEquals(0, r.exit(), r.stderr());
        assertEquals("FROM\nA FILE\n", r.stdout());
        assertTrue(r.stderr().contains("2 lines via stdin (regular file)"), r.stderr());
    }
}
