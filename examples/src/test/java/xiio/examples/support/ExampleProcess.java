package xiio.examples.support;

import java.io.File;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import xiio.signal.Signal;
import xiio.signal.Signals;
import xiio.support.OutputCollector;

/**
 * An example run for real in a child JVM: {@code java <the project's flags> -cp <this
 * JVM's class path> xiio.examples.Main args...}, as {@code ./xiio} runs it. Its stdout
 * and stderr are collected by two threads (so it never blocks on a full pipe), and
 * every wait is bounded: a test that waits too long fails with what the example
 * printed so far. Closing kills it if it still runs and releases every pipe.
 */
public final class ExampleProcess implements AutoCloseable {
    private static final Duration JOIN_LIMIT = Duration.ofSeconds(10);

    private final String commandLine; // for failure messages
    private final Process process;
    private final OutputCollector out, err;

    private ExampleProcess(String commandLine, List<String> args, Process process) {
        this.commandLine = commandLine;
        this.process = process;
        this.out = new OutputCollector(process.getInputStream(), "stdout of " + args);
        this.err = new OutputCollector(process.getErrorStream(), "stderr of " + args);
    }

    /** The java command line for {@code args}: the project's JVM flags, the same backend and class path (jars). */
    public static List<String> javaCommand(String... args) {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.addAll(List.of("--enable-native-access=ALL-UNNAMED", "--add-exports", "java.base/jdk.internal.vm=ALL-UNNAMED"));
        String backend = System.getProperty("xiio.backend");
        if (backend != null) cmd.add("-Dxiio.backend=" + backend);
        // a quicker start on a small machine; the examples' own behaviour does not depend on the JIT
        cmd.addAll(List.of("-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC"));
        // class directories as jars, as the launcher runs them (see ClassesJar for why)
        cmd.addAll(List.of("-cp", ClassesJar.classPath(), "xiio.examples.Main"));
        cmd.addAll(Arrays.asList(args));
        return cmd;
    }

    /** Starts {@code ./xiio args...} with stdin a pipe ({@link #stdin()}). */
    public static ExampleProcess start(String... args) throws IOException {
        return start(null, Map.of(), args);
    }

    /**
     * Starts {@code ./xiio args...} with stdin from {@code stdinFile} (a pipe if null)
     * and {@code env} added to the environment.
     */
    public static ExampleProcess start(File stdinFile, Map<String, String> env, String... args) throws IOException {
        ProcessBuilder pb = new ProcessBuilder(javaCommand(args));
        pb.environment().putAll(env);
        if (stdinFile != null) pb.redirectInput(stdinFile);
        return new ExampleProcess("./xiio " + String.join(" ", args), List.of(args), pb.start());
    }

    /**
     * Starts any {@code command} in {@code dir} (this JVM's working directory if null)
     * with stdin a pipe, for programs that are not one of the examples: the README's.
     */
    public static ExampleProcess startCommand(List<String> command, File dir) throws IOException {
        return new ExampleProcess(String.join(" ", command), command, new ProcessBuilder(command).directory(dir).start());
    }

    /** Runs {@code ./xiio args...} with {@code input} on stdin, to completion within {@code limit}. */
    public static Result run(Duration limit, byte[] input, String... args) throws Exception {
        try (ExampleProcess p = start(args)) {
            p.writeStdin(input);
            int status = p.waitFor(limit);
            return new Result(status, p.stdoutBytes(), p.stderr());
        }
    }

    /** {@link #run} of {@code ./xiio command args...}, for helpers that take the arguments of one command. */
    public static Result run(Duration limit, byte[] input, String command, List<String> args) throws Exception {
        List<String> all = new ArrayList<>(args.size() + 1);
        all.add(command);
        all.addAll(args);
        return run(limit, input, all.toArray(String[]::new));
    }

    /** The seconds that {@code text} gives right after {@code words}, as summary lines print them ("failed in 1.234 s"). */
    public static double secondsAfter(String words, String text) {
        Matcher m = Pattern.compile(Pattern.quote(words) + " (\\d+\\.\\d+) s").matcher(text);
        if (!m.find()) throw new AssertionError("no '" + words + " <seconds> s' in:\n" + text);
        return Double.parseDouble(m.group(1));
    }

    /** What a finished example printed. */
    public record Result(int status, byte[] stdoutBytes, String stderr) {
        public String stdout() {
            return new String(stdoutBytes, StandardCharsets.UTF_8);
        }

        @Override
        public String toString() {
            return "exit " + status + "\n--- stdout:\n" + stdout() + "\n--- stderr:\n" + stderr;
        }
    }

    public long pid() {
        return process.pid();
    }

    public OutputStream stdin() {
        return process.getOutputStream();
    }

    /** Writes {@code input} to stdin and closes it, so the example reads end of file. */
    public void writeStdin(byte[] input) throws IOException {
        try (OutputStream in = process.getOutputStream()) {
            in.write(input);
        } catch (IOException exited) {
            // it may have exited without reading everything; its status tells
        }
    }

    /** Sends {@code signal} (kill(2)); xiio's own call, which needs no run. */
    public void signal(Signal signal) throws IOException {
        Signals.send(process.pid(), signal);
    }

    public byte[] stdoutBytes() {
        return out.bytes();
    }

    public String stdout() {
        return new String(out.bytes(), StandardCharsets.UTF_8);
    }

    public String stderr() {
        return new String(err.bytes(), StandardCharsets.UTF_8);
    }

    /**
     * Waits until stdout (or stderr, with {@code fromStderr}) has a line matching
     * {@code regex} and returns the match; fails after {@code limit} with the output so far.
     */
    public Matcher awaitLine(String regex, Duration limit, boolean fromStderr) throws InterruptedException {
        Pattern p = Pattern.compile(regex, Pattern.MULTILINE);
        OutputCollector c = fromStderr ? err : out;
        long deadline = System.nanoTime() + limit.toNanos();
        while (true) {
            Matcher m = p.matcher(new String(c.bytes(), StandardCharsets.UTF_8));
            if (m.find()) return m;
            if (!process.isAlive() && c.ended()) {
                throw new AssertionError("exited (" + process.exitValue() + ") without printing /" + regex + "/\n" + describe());
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("no line /" + regex + "/ within " + limit + "\n" + describe());
            }
            c.awaitMore(20);
        }
    }

    /** {@link #awaitLine(String, Duration, boolean)} on stdout, 20 s at most. */
    public Matcher awaitLine(String regex) throws InterruptedException {
        return awaitLine(regex, Duration.ofSeconds(20), false);
    }

    /** Waits for the exit status; fails after {@code limit} with what it printed. */
    public int waitFor(Duration limit) throws InterruptedException {
        if (!process.waitFor(limit.toMillis(), TimeUnit.MILLISECONDS)) {
            throw new AssertionError("still running after " + limit + "\n" + describe());
        }
        out.join(JOIN_LIMIT);
        err.join(JOIN_LIMIT);
        return process.exitValue();
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    /** The command and its output so far, for failure messages. */
    public String describe() {
        return commandLine + "\n--- stdout:\n" + stdout() + "\n--- stderr:\n" + stderr();
    }

    /** Kills it if it still runs (a test that failed midway), waits for it, and closes every pipe. */
    @Override
    public void close() throws Exception {
        if (process.isAlive()) process.destroyForcibly();
        process.waitFor(10, TimeUnit.SECONDS);
        try {
            process.getOutputStream().close();
        } catch (IOException alreadyGone) {
            // a broken pipe on the final flush: nothing left to release
        }
        out.join(JOIN_LIMIT);
        err.join(JOIN_LIMIT);
    }
}
