package xiio.process;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import xiio.io.ByteStream;
import xiio.unix.sys.Constants;

/**
 * A running child process: started from an argv list (no shell), awaited on a
 * pidfd, its pipes read and written as {@link ByteStream}s by coroutines.
 *
 * <p>Leaving a {@code try}-with-resources block means the process is gone: if it
 * still runs, {@link #close()} closes our pipe ends and sends SIGTERM, then SIGKILL
 * after the builder's {@linkplain Builder#terminationGrace grace period}, and reaps
 * it. A coroutine cancelled inside the block gets exactly that (its cleanup may
 * suspend), so cancellation never leaves a child running, a zombie or an open fd.
 * Call {@link #waitFor()} first to let the process finish on its own.
 *
 * {@snippet :
 * try (Subprocess cat = Subprocess.builder("cat").stdin(Redirect.PIPE).stdout(Redirect.PIPE).start()) {
 *     cat.stdin().writeAll("hello\n".getBytes(), 0, 6);
 *     byte[] buf = new byte[6];
 *     int n = cat.stdout().read(buf, 0, buf.length);     // "hello\n"
 *     cat.stdin().close();                               // cat reads end of file and exits
 *     ExitStatus status = cat.waitFor();
 * }
 * }
 *
 * <p>For the common case, {@link #run(String...)} and {@link Builder#run()} start
 * the process, feed its stdin, capture stdout and stderr concurrently (a child that
 * writes megabytes to both cannot deadlock), and wait for it:
 *
 * {@snippet :
 * CompletedProcess ls = Subprocess.run("ls", "-l", "/tmp");
 * System.out.print(ls.check().stdoutText());
 * }
 *
 * <p>All methods that wait must run inside {@code Xiio.run}; {@link #pid()},
 * {@link #command()}, {@link #exitStatus()}, {@link #isAlive()}, {@link #terminate()}
 * and {@link #kill()} never suspend.
 */
public final class Subprocess implements AutoCloseable {
    private final List<String> command;
    private final Child child;
    private final ChildPipe stdin, stdout, stderr;
    private final Duration grace;

    Subprocess(List<String> command, Child child, ChildPipe stdin, ChildPipe stdout, ChildPipe stderr,
               Duration grace) {
        this.command = command;
        this.child = child;
        this.stdin = stdin;
        this.stdout = stdout;
        this.stderr = stderr;
        this.grace = grace;
    }

    /** A builder for the process {@code argv}: {@code argv[0]} is the program, looked up on PATH if it has no '/'. */
    public static Builder builder(List<String> argv) {
        return new Builder(argv);
    }

    /** A builder for the process {@code argv}; see {@link #builder(List)}. */
    public static Builder builder(String... argv) {
        return new Builder(List.of(argv));
    }

    /**
     * Runs {@code argv} to completion with stdout and stderr captured (stdin inherited)
     * and returns what it wrote; does not check the exit status (see
     * {@link CompletedProcess#check()}). Cancelling the caller terminates the process.
     */
    public static CompletedProcess run(List<String> argv) throws IOException {
        return builder(argv).stdout(Redirect.PIPE).stderr(Redirect.PIPE).run();
    }

    /** {@link #run(List)} for a fixed argv. */
    public static CompletedProcess run(String... argv) throws IOException {
        return run(List.of(argv));
    }

    /**
     * The process id. It names this process until it is reaped (by {@link #waitFor()},
     * {@link #exitStatus()}, {@link #isAlive()} or {@link #close()}); after that the
     * number may be reused by another process.
     */
    public int pid() {
        return child.pid;
    }

    /** The argv it was started with. */
    public List<String> command() {
        return command;
    }

    /**
     * The write end of its stdin.
     *
     * @throws IllegalStateException unless stdin was {@link Redirect#PIPE}
     */
    public ByteStream stdin() {
        return pipe(stdin, "stdin");
    }

    /**
     * The read end of its stdout.
     *
     * @throws IllegalStateException unless stdout was {@link Redirect#PIPE}
     */
    public ByteStream stdout() {
        return pipe(stdout, "stdout");
    }

    /**
     * The read end of its stderr.
     *
     * @throws IllegalStateException unless stderr was {@link Redirect#PIPE}
     */
    public ByteStream stderr() {
        return pipe(stderr, "stderr");
    }

    private ByteStream pipe(ChildPipe s, String name) {
        if (s == null) {
            throw new IllegalStateException(name + " of " + command + " is not a pipe: start it with ."
                    + name + "(Redirect.PIPE)");
        }
        return s;
    }

    ChildPipe stdinPipe() {
        return stdin;
    }

    ChildPipe stdoutPipe() {
        return stdout;
    }

    ChildPipe stderrPipe() {
        return stderr;
    }

    /**
     * Suspends until the process exits, and returns how it ended. Cancel-safe: a
     * cancelled wait leaves the process running (until {@link #close()}). Several
     * coroutines may wait at once; later calls return the same status.
     */
    public ExitStatus waitFor() throws IOException {
        return child.await();
    }

    /** How it ended, if it has exited (reaping it then); empty while it runs. Never suspends. */
    public Optional<ExitStatus> exitStatus() throws IOException {
        return Optional.ofNullable(child.poll());
    }

    /** Whether it still runs. Never suspends. */
    public boolean isAlive() throws IOException {
        return child.poll() == null;
    }

    /**
     * Sends SIGTERM (through the pidfd, so never to a recycled pid; to the whole group
     * with {@link Builder#newProcessGroup}); nothing once it has been reaped.
     */
    public void terminate() throws IOException {
        child.signal(Constants.SIGTERM);
    }

    /** Sends SIGKILL; nothing once it has been reaped. */
    public void kill() throws IOException {
        child.signal(Constants.SIGKILL);
    }

    /**
     * Closes our pipe ends and, if the process still runs, terminates it: SIGTERM,
     * then SIGKILL once the grace period has passed (with {@link Builder#newProcessGroup},
     * to the group, which also gets a final SIGKILL); then reaps it. May suspend for
     * up to the grace period. If this wait is itself cancelled, or cannot happen
     * (outside a run), the process gets SIGKILL at once and a short-lived daemon
     * thread reaps it, and the cancellation is rethrown. Idempotent.
     */
    @Override
    public void close() {
        if (stdin != null) stdin.close();
        if (stdout != null) stdout.close();
        if (stderr != null) stderr.close();
        child.stop(grace);
    }

    @Override
    public String toString() {
        return "Subprocess[" + command + ", " + child + "]";
    }

    /**
     * What to run and how. Defaults: this process's environment and working
     * directory, stdin, stdout and stderr {@link Redirect#INHERIT inherited}, no exit
     * status check, 5 seconds between SIGTERM and SIGKILL. (Unlike
     * {@link ProcessBuilder}, streams default to inherit: an unread pipe is the
     * classic way to hang a child.)
     *
     * {@snippet :
     * CompletedProcess p = Subprocess.builder("sh", "-c", "echo $GREETING; pwd")
     *         .env("GREETING", "hi")
     *         .directory(Path.of("/tmp"))
     *         .stdout(Redirect.PIPE)
     *         .check(true)
     *         .run();                        // p.stdoutText() is "hi\n/tmp\n"
     * }
     */
    public static final class Builder {
        final List<String> argv;
        Map<String, String> env; // null: inherit ours unchanged
        Path directory;
        Redirect stdin = Redirect.INHERIT, stdout = Redirect.INHERIT, stderr = Redirect.INHERIT;
        byte[] input;
        boolean check;
        boolean newProcessGroup;
        Duration grace = Duration.ofSeconds(5);

        Builder(List<String> argv) {
            Objects.requireNonNull(argv, "argv");
            if (argv.isEmpty()) throw new IllegalArgumentException("argv is empty: it needs at least the program to run");
            for (String a : argv) noNul(Objects.requireNonNull(a, "argv contains null"), "argument");
            if (argv.get(0).isEmpty()) throw new IllegalArgumentException("argv[0] is empty: name the program to run");
            this.argv = List.copyOf(argv);
        }

        /** The working directory of the child (relative paths are relative to ours). */
        public Builder directory(Path directory) {
            this.directory = Objects.requireNonNull(directory, "directory");
            noNul(directory.toString(), "directory");
            return this;
        }

        /** Replaces the whole environment of the child with {@code environment}. */
        public Builder environment(Map<String, String> environment) {
            Objects.requireNonNull(environment, "environment");
            Map<String, String> copy = new LinkedHashMap<>();
            environment.forEach((k, v) -> copy.put(checkName(k), checkValue(k, v)));
            this.env = copy;
            return this;
        }

        /** Sets one variable, on top of this process's environment (or the one given to {@link #environment}). */
        public Builder env(String name, String value) {
            ownEnv().put(checkName(name), checkValue(name, value));
            return this;
        }

        /** Removes one variable from the child's environment. */
        public Builder unsetEnv(String name) {
            ownEnv().remove(checkName(name));
            return this;
        }

        private Map<String, String> ownEnv() {
            if (env == null) env = new LinkedHashMap<>(System.getenv());
            return env;
        }

        /** Where the child's stdin comes from; {@link Redirect#STDOUT} and {@link Redirect#appendTo} are not valid here. */
        public Builder stdin(Redirect redirect) {
            Objects.requireNonNull(redirect, "redirect");
            if (redirect.kind == Redirect.Kind.STDOUT) throw new IllegalArgumentException("Redirect.STDOUT is for stderr only");
            if (redirect.append) throw new IllegalArgumentException("stdin cannot append to a file: use Redirect.file(path) to read one");
            this.stdin = redirect;
            return this;
        }

        /** Where the child's stdout goes. */
        public Builder stdout(Redirect redirect) {
            Objects.requireNonNull(redirect, "redirect");
            if (redirect.kind == Redirect.Kind.STDOUT) throw new IllegalArgumentException("Redirect.STDOUT is for stderr only");
            this.stdout = redirect;
            return this;
        }

        /** Where the child's stderr goes; {@link Redirect#STDOUT} merges it into stdout. */
        public Builder stderr(Redirect redirect) {
            this.stderr = Objects.requireNonNull(redirect, "redirect");
            return this;
        }

        /** For {@link #run()}: bytes written to the child's stdin, which then reads end of file. Sets stdin to a pipe. */
        public Builder input(byte[] input) {
            this.input = Objects.requireNonNull(input, "input").clone();
            this.stdin = Redirect.PIPE;
            return this;
        }

        /** {@link #input(byte[])} for UTF-8 text. */
        public Builder input(String input) {
            return input(Objects.requireNonNull(input, "input").getBytes(StandardCharsets.UTF_8));
        }

        /** For {@link #run()}: throw {@link ProcessFailedException} unless the process exits with code 0. */
        public Builder check(boolean check) {
            this.check = check;
            return this;
        }

        /**
         * Starts the child as the leader of a new process group. {@link Subprocess#terminate()},
         * {@link Subprocess#kill()} and {@link Subprocess#close()} then signal the whole group,
         * so what the child started (a shell's commands) is stopped too, and a Ctrl-C at the
         * terminal no longer reaches it directly. Processes of the group that outlive a child
         * already reaped by {@link Subprocess#waitFor()} are not signalled.
         */
        public Builder newProcessGroup(boolean newProcessGroup) {
            this.newProcessGroup = newProcessGroup;
            return this;
        }

        /** How long a process may take to exit after SIGTERM before it gets SIGKILL (zero: SIGKILL at once). */
        public Builder terminationGrace(Duration grace) {
            Objects.requireNonNull(grace, "grace");
            if (grace.isNegative()) throw new IllegalArgumentException("grace must not be negative, got " + grace);
            this.grace = grace;
            return this;
        }

        /**
         * Starts the process. Does not suspend.
         *
         * @throws xiio.unix.ErrnoException if it cannot start; ENOENT names the program or
         *                                  directory that does not exist
         */
        public Subprocess start() throws IOException {
            return Launcher.launch(this);
        }

        /**
         * Starts the process and waits for it: writes {@link #input} to its stdin (a
         * stdin pipe without input is closed at once), captures stdout and stderr that
         * are {@link Redirect#PIPE} concurrently, and returns once it has exited and
         * both reached end of file. Cancelling the caller terminates the process.
         *
         * @throws ProcessFailedException with {@link #check} set, unless it exited with code 0
         */
        public CompletedProcess run() throws IOException {
            return Capture.run(this);
        }

        private static String checkName(String name) {
            Objects.requireNonNull(name, "environment variable name");
            if (name.isEmpty() || name.indexOf('=') >= 0) {
                throw new IllegalArgumentException("invalid environment variable name '" + name + "': it must be"
                        + " non-empty and contain no '='");
            }
            return noNul(name, "environment variable name");
        }

        private static String checkValue(String name, String value) {
            Objects.requireNonNull(value, () -> "value of environment variable " + name);
            return noNul(value, "value of environment variable " + name);
        }

        private static String noNul(String s, String what) {
            if (s.indexOf('\0') >= 0) throw new IllegalArgumentException(what + " contains a NUL character: " + s.replace('\0', '?'));
            return s;
        }
    }
}
