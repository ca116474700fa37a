package xiio.process;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import xiio.core.Xiio;
import xiio.support.NoChildLeft;
import xiio.unix.Errno;
import xiio.unix.ErrnoException;
import xiio.unix.sys.Constants;

/** Subprocess.run and Builder.run: capture, check, environment, directory, redirects. */
@ExtendWith(NoChildLeft.class)
class SubprocessRunTest {
    static List<String> sh(String script) {
        return List.of("sh", "-c", script);
    }

    @Test
    void capturesStdoutAndStderrSeparately() throws Exception {
        CompletedProcess p = Xiio.run(() -> Subprocess.run(sh("echo out; echo err >&2; exit 3")));
        assertEquals("out\n", p.stdoutText());
        assertEquals("err\n", p.stderrText());
        assertEquals(ExitStatus.exited(3), p.status());
        assertEquals(3, p.status().shellCode());
        assertFalse(p.status().success());
    }

    @Test
    void tenMebibytesOnBothStdoutAndStderrDoNotDeadlock() throws Exception {
        // each stream alone is 160 times a pipe buffer: reading them one after the other would hang
        String script = "head -c 10485760 /dev/zero | tr '\\0' o & head -c 10485760 /dev/zero | tr '\\0' e >&2; wait";
        CompletedProcess p = Xiio.run(() -> Subprocess.run(sh(script)));
        assertTrue(p.status().success(), p.toString());
        assertEquals(10 * 1024 * 1024, p.stdout().length);
        assertEquals(10 * 1024 * 1024, p.stderr().length);
        for (byte b : p.stdout()) if (b != 'o') throw new AssertionError("stdout has a byte that is not 'o': " + b);
        for (byte b : p.stderr()) if (b != 'e') throw new AssertionError("stderr has a byte that is not 'e': " + b);
    }

    @Test
    void inputIsFedWhileOutputIsRead() throws Exception {
        byte[] input = new byte[3 * 1024 * 1024];
        for (int i = 0; i < input.length; i++) input[i] = (byte) (i * 31);
        CompletedProcess p = Xiio.run(() -> Subprocess.builder("cat").input(input).stdout(Redirect.PIPE).run());
        assertArrayEquals(input, p.stdout());
    }

    @Test
    void aStdinPipeWithoutInputIsClosedAtOnce() throws Exception {
        CompletedProcess p = Xiio.run(() -> Subprocess.builder("cat").stdin(Redirect.PIPE).stdout(Redirect.PIPE).run());
        assertEquals(0, p.stdout().length);
        assertTrue(p.status().success());
    }

    @Test
    void checkFailureNamesCommandStatusAndStderrTail() {
        String script = "i=0; while [ $i -lt 500 ]; do echo \"noise line $i\" >&2; i=$((i+1)); done;"
                + " echo 'fatal: the last words' >&2; exit 42";
        ProcessFailedException e = assertThrows(ProcessFailedException.class, () -> Xiio.run(() ->
                Subprocess.builder(sh(script)).stderr(Redirect.PIPE).check(true).run()));
        assertEquals(sh(script), e.command());
        assertEquals(ExitStatus.exited(42), e.status());
        assertTrue(e.getMessage().startsWith("command [sh, -c, "), e.getMessage());
        assertTrue(e.getMessage().contains("exited with code 42; stderr ends with:\n"), e.getMessage());
        assertTrue(e.getMessage().endsWith("fatal: the last words"), e.getMessage());
        assertTrue(e.stderrTail().length() <= ProcessFailedException.TAIL_BYTES);
        assertFalse(e.stderrTail().contains("noise line 0\n"), "only the tail is quoted");
        assertTrue(e.stderrTail().startsWith("noise line "), "the quote starts at a line boundary: " + e.stderrTail());
    }

    @Test
    void checkSaysWhenStderrWasNotCapturedAndWhenAKillEndedIt() {
        ProcessFailedException e = assertThrows(ProcessFailedException.class, () -> Xiio.run(() ->
                Subprocess.builder(sh("exit 1")).check(true).run()));
        assertTrue(e.getMessage().endsWith("exited with code 1 (stderr was not captured)"), e.getMessage());
        assertNull(e.stderrTail());

        e = assertThrows(ProcessFailedException.class, () -> Xiio.run(() ->
                Subprocess.builder(sh("kill -KILL $$")).stderr(Redirect.PIPE).check(true).run()));
        assertEquals(ExitStatus.killed(Constants.SIGKILL, false), e.status());
        assertTrue(e.getMessage().contains("killed by SIGKILL and wrote nothing to stderr"), e.getMessage());
    }

    @Test
    void environmentCanBeExtendedReducedOrReplaced() throws Exception {
        CompletedProcess added = Xiio.run(() -> Subprocess.builder(sh("echo \"$XIIO_A|$HOME\""))
                .env("XIIO_A", "a value with spaces").stdout(Redirect.PIPE).run());
        assertEquals("a value with spaces|" + System.getenv("HOME") + "\n", added.stdoutText());

        CompletedProcess removed = Xiio.run(() -> Subprocess.builder(sh("echo \"${HOME-unset}\""))
                .unsetEnv("HOME").stdout(Redirect.PIPE).run());
        assertEquals("unset\n", removed.stdoutText());

        // /usr/bin/env with a replaced environment prints exactly that environment
        CompletedProcess replaced = Xiio.run(() -> Subprocess.builder("/usr/bin/env")
                .environment(Map.of("ONLY", "this")).stdout(Redirect.PIPE).run());
        assertEquals("ONLY=this\n", replaced.stdoutText());
    }

    @Test
    void workingDirectory(@TempDir Path dir) throws Exception {
        CompletedProcess p = Xiio.run(() -> Subprocess.builder("pwd").directory(dir).stdout(Redirect.PIPE).run());
        assertEquals(dir.toRealPath() + "\n", p.stdoutText());
    }

    @Test
    void fileAndNullRedirects(@TempDir Path dir) throws Exception {
        Path in = dir.resolve("in.txt");
        Path out = dir.resolve("out.txt");
        Path log = dir.resolve("log.txt");
        Files.writeString(in, "from a file\n");
        Files.writeString(log, "old line\n");
        Files.writeString(out, "this will be truncated away\n");
        CompletedProcess p = Xiio.run(() -> Subprocess.builder(sh("cat; echo to-log >&2"))
                .stdin(Redirect.file(in))
                .stdout(Redirect.file(out))
                .stderr(Redirect.appendTo(log))
                .run());
        assertTrue(p.status().success());
        assertEquals(0, p.stdout().length, "stdout went to the file, not to us");
        assertEquals("from a file\n", Files.readString(out));
        assertEquals("old line\nto-log\n", Files.readString(log));

        CompletedProcess nul = Xiio.run(() -> Subprocess.builder(sh("wc -c; echo discarded; echo gone >&2"))
                .stdin(Redirect.NULL).stdout(Redirect.PIPE).stderr(Redirect.NULL).run());
        assertEquals("0\ndiscarded\n", nul.stdoutText());
        assertEquals(0, nul.stderr().length);
    }

    @Test
    void stderrCanFollowStdout() throws Exception {
        CompletedProcess p = Xiio.run(() -> Subprocess.builder(sh("echo one; echo two >&2; echo three"))
                .stdout(Redirect.PIPE).stderr(Redirect.STDOUT).run());
        assertEquals("one\ntwo\nthree\n", p.stdoutText());
    }

    @Test
    void theChildGetsNoFdOfOursAndACleanSignalState() throws Exception {
        // /proc/self/fd of `ls` shows fds 0-2 and the one ls opened to list the directory
        CompletedProcess fds = Xiio.run(() -> Subprocess.builder("ls", "/proc/self/fd")
                .stdout(Redirect.PIPE).stderr(Redirect.PIPE).run());
        assertEquals(List.of("0", "1", "2", "3"), List.of(fds.stdoutText().trim().split("\\s+")), fds.stdoutText());

        CompletedProcess status = Xiio.run(() -> Subprocess.builder("cat", "/proc/self/status").stdout(Redirect.PIPE).run());
        String text = status.stdoutText();
        assertTrue(text.contains("SigBlk:\t0000000000000000\n"), "no blocked signals:\n" + text);
        assertTrue(text.contains("SigIgn:\t0000000000000000\n"), "no ignored signals:\n" + text);
    }

    @Test
    void aMissingProgramOrDirectoryIsAClearError(@TempDir Path dir) {
        ErrnoException e = assertThrows(ErrnoException.class, () -> Xiio.run(() -> Subprocess.run("xiio-no-such-program", "x")));
        assertEquals(Errno.ENOENT, e.errno());
        assertTrue(e.getMessage().contains("start [xiio-no-such-program, x] ('xiio-no-such-program' not found on PATH)"),
                e.getMessage());

        Path missing = dir.resolve("missing");
        e = assertThrows(ErrnoException.class, () -> Xiio.run(() -> Subprocess.builder("pwd").directory(missing).run()));
        assertTrue(e.getMessage().contains("in " + missing + " (no such directory)"), e.getMessage());

        e = assertThrows(ErrnoException.class, () -> Xiio.run(() -> Subprocess.builder("cat")
                .stdin(Redirect.file(missing)).run()));
        assertTrue(e.getMessage().contains("open(" + missing + "): ENOENT"), e.getMessage());

        Path notExecutable = dir.resolve("script.sh");
        e = assertThrows(ErrnoException.class, () -> {
            Files.writeString(notExecutable, "#!/bin/sh\necho hi\n");
            Xiio.run(() -> Subprocess.run(notExecutable.toString()));
        });
        assertEquals(Errno.EACCES, e.errno());
        assertTrue(e.getMessage().contains("is not executable"), e.getMessage());
    }

    @Test
    void badOptionsAreRejectedAtOnce() {
        assertThrows(IllegalArgumentException.class, () -> Subprocess.builder(List.of()));
        assertThrows(IllegalArgumentException.class, () -> Subprocess.builder(""));
        assertThrows(IllegalArgumentException.class, () -> Subprocess.builder("echo", "a\0b"));
        assertThrows(NullPointerException.class, () -> Subprocess.builder("echo", null));
        assertThrows(IllegalArgumentException.class, () -> Subprocess.builder("cat").env("A=B", "c"));
        assertThrows(IllegalArgumentException.class, () -> Subprocess.builder("cat").stdout(Redirect.STDOUT));
        assertThrows(IllegalArgumentException.class, () -> Subprocess.builder("cat").stdin(Redirect.appendTo(Path.of("x"))));
        assertThrows(IllegalArgumentException.class, () -> Subprocess.builder("cat").terminationGrace(java.time.Duration.ofSeconds(-1)));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ExitStatus.exited(256));
        assertTrue(e.getMessage().contains("0..255"), e.getMessage());
    }

    @Test
    void statusNamesTheSignal() {
        assertEquals("killed by SIGTERM", ExitStatus.killed(Constants.SIGTERM, false).toString());
        assertEquals("killed by SIGSEGV (core dumped)", ExitStatus.killed(11, true).toString());
        assertEquals(128 + 9, ExitStatus.killed(9, false).shellCode());
        assertEquals("exited with code 0", ExitStatus.exited(0).toString());
    }
}
