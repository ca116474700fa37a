package xiio.signal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * {@link Signals#runMain} end to end: a child JVM with the same class path and flags
 * as this one, real signals sent to it, its output and exit status checked.
 */
class RunCancellableTest {
    private static final String EOF = "<eof>";

    @TempDir
    Path tmp;

    /** A running child and its stdout lines. */
    private final class Child implements AutoCloseable {
        final Process process;
        final LinkedBlockingQueue<String> lines = new LinkedBlockingQueue<>();
        final List<String> seen = new ArrayList<>();
        final Path stderr;
        final Thread reader;

        Child(List<String> prefix, String mode) throws IOException {
            List<String> command = new ArrayList<>(prefix);
            command.add(ProcessHandle.current().info().command().orElseThrow());
            command.addAll(jvmFlags());
            command.addAll(List.of("-cp", System.getProperty("java.class.path"), RunCancellableChild.class.getName(), mode));
            stderr = tmp.resolve(mode + ".stderr");
            process = new ProcessBuilder(command)
                    .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                    .redirectError(stderr.toFile())
                    .start();
            reader = Thread.ofPlatform().name("child stdout").start(() -> {
                try (BufferedReader r = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                    for (String l; (l = r.readLine()) != null; ) lines.add(l);
                } catch (IOException ignored) {
                    // the child is gone
                } finally {
                    lines.add(EOF);
                }
            });
        }

        /** Waits for the child to print {@code expected} (skipping nothing). */
        void expect(String expected) throws Exception {
            String line = lines.poll(30, TimeUnit.SECONDS);
            if (line == null) throw new AssertionError("child printed nothing for 30 s; so far " + seen + stderrText());
            seen.add(line);
            assertEquals(expected, line, "child output so far " + seen + stderrText());
        }

        void signal(Signal s) throws Exception {
            Signals.send(process.pid(), s);
        }

        /** Waits for the exit; returns the status and collects the remaining output. */
        int exitStatus() throws Exception {
            assertTrue(process.waitFor(30, TimeUnit.SECONDS), "child did not exit; output " + seen + stderrText());
            reader.join(10_000);
            for (String l; (l = lines.poll()) != null && !l.equals(EOF); ) seen.add(l);
            return process.exitValue();
        }

        String stderrText() throws IOException {
            return "\nchild stderr:\n" + (Files.exists(stderr) ? Files.readString(stderr) : "");
        }

        @Override
        public void close() throws Exception {
            process.destroyForcibly();
            process.waitFor(10, TimeUnit.SECONDS);
            process.getInputStream().close();
            reader.join(10_000);
        }
    }

    /** Options that take the next argument as their value. */
    private static final Set<String> WITH_VALUE = Set.of("--add-exports", "--add-opens", "--add-reads", "--add-modules",
            "--limit-modules", "--patch-module", "--module-path", "-p", "--upgrade-module-path");
    private static final Set<String> CLASS_PATH = Set.of("-cp", "-classpath", "--class-path");

    /** This JVM's own options (surefire's argLine among them), without its class path and main class or jar. */
    private static List<String> jvmFlags() {
        String[] args = ProcessHandle.current().info().arguments().orElseThrow();
        List<String> flags = new ArrayList<>();
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            if (a.equals("-jar") || !a.startsWith("-")) break;
            if (CLASS_PATH.contains(a)) {
                i++;
            } else if (WITH_VALUE.contains(a)) {
                flags.add(a);
                flags.add(args[++i]);
            } else {
                flags.add(a);
            }
        }
        return flags;
    }

    @Test
    void jvmFlagsIncludeTheBackendOfThisRun() {
        assertTrue(jvmFlags().contains("-Dxiio.backend=" + System.getProperty("xiio.backend")), jvmFlags().toString());
    }

    /** The exit status a shell reports for a process ended by the signal: 128 + its number. */
    @ParameterizedTest(name = "{0} gives {1}")
    @CsvSource({"SIGINT, 130", "SIGTERM, 143"})
    void ctrlCOrSigtermCancelsMainItsCleanupRunsAndTheExitStatusSaysWhich(Signal signal, int status) throws Exception {
        try (Child child = new Child(List.of(), "cleanup")) {
            child.expect("ready");
            child.signal(signal);
            child.expect("cleanup started");
            child.expect("cleanup done");
            assertEquals(status, child.exitStatus(), child.stderrText());
            assertEquals(List.of("ready", "cleanup started", "cleanup done"), child.seen);
        }
    }

    @Test
    void aSecondCtrlCStopsAtOnceWithoutWaitingForCleanup() throws Exception {
        try (Child child = new Child(List.of(), "stuck-cleanup")) {
            child.expect("ready");
            child.signal(Signal.SIGINT);
            child.expect("cleanup started");
            long sent = System.nanoTime();
            child.signal(Signal.SIGINT);
            assertEquals(130, child.exitStatus(), child.stderrText());
            assertTrue(System.nanoTime() - sent < TimeUnit.SECONDS.toNanos(20), "it stopped at once, not after the cleanup");
            assertEquals(List.of("ready", "cleanup started"), child.seen);
            assertTrue(child.stderrText().contains("SIGINT again; exiting without waiting for cleanup"), child.stderrText());
        }
    }

    @Test
    void aProcessStartedWithSigintIgnoredRunsNormallyAndSubscribingSaysWhy() throws Exception {
        // what a non-interactive shell does to a background job
        List<String> ignoreSigint = List.of("bash", "-c", "trap '' INT; exec \"$0\" \"$@\"");
        try (Child child = new Child(ignoreSigint, "sigint-ignored")) {
            child.expect("refused: cannot subscribe to SIGINT: this process ignores it (started under nohup, as a"
                    + " background job of a script, or set to SIG_IGN), and the JVM does not let Java code handle"
                    + " an ignored SIGINT");
            child.expect("ready");
            child.signal(Signal.SIGINT);
            child.expect("main ended");
            assertEquals(0, child.exitStatus(), child.stderrText());
        }
    }
}
