package xiio.bench;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import xiio.signal.Signal;
import xiio.support.OutputCollector;

/**
 * One server under test in a process of its own, for the echo and the HTTP benchmark:
 * started (pinned, if the command says so), ready once it printed "listening on
 * HOST:PORT" (or {@code http://HOST:PORT/}), stopped with SIGTERM. Its stdout and stderr
 * are collected from pipes, so what it printed is at hand for failure messages
 * ({@link #describe()}) and for a log ({@link #output()}).
 */
public final class ServerProcess implements AutoCloseable {
    private static final Pattern LISTENING = Pattern.compile("listening on \\S*:(\\d+)");
    private static final Pattern PID = Pattern.compile("pid (\\d+)");
    private static final Duration START_LIMIT = Duration.ofSeconds(30);
    private static final Duration STOP_LIMIT = Duration.ofSeconds(15);

    private final Process process;
    private final OutputCollector out, err;
    private final String name;
    private int port;
    private long pid;

    private ServerProcess(String name, Process process) {
        this.name = name;
        this.process = process;
        this.out = new OutputCollector(process.getInputStream(), name + " stdout");
        this.err = new OutputCollector(process.getErrorStream(), name + " stderr");
    }

    /** Starts {@code command} and waits until it listens; closes it and throws if it does not. */
    public static ServerProcess start(String name, List<String> command) throws IOException, InterruptedException {
        ServerProcess server = new ServerProcess(name, new ProcessBuilder(command).redirectInput(Executables.NO_INPUT).start());
        try {
            Matcher m = server.out.await(LISTENING, START_LIMIT);
            if (m == null) throw new IOException(name + " did not print its listening line: " + server.describe());
            server.port = Integer.parseInt(m.group(1));
            // taskset execs the server, so this is its pid; the printed one says the same
            Matcher printed = PID.matcher(server.out.text());
            server.pid = printed.find() ? Long.parseLong(printed.group(1)) : server.process.pid();
            return server;
        } catch (IOException | InterruptedException | RuntimeException e) {
            server.close();
            throw e;
        }
    }

    public int port() {
        return port;
    }

    public long pid() {
        return pid;
    }

    /**
     * SIGTERM, then its exit status; -1 if it had to be killed. Sent with kill(2), not
     * {@link Process#destroy()}, which would also close our ends of its pipes before
     * it had a chance to say why it failed.
     */
    public int stop() throws InterruptedException {
        ChildSignals.kill(process, Signal.SIGTERM);
        if (!process.waitFor(STOP_LIMIT.toMillis(), TimeUnit.MILLISECONDS)) {
            process.destroyForcibly();
            process.waitFor();
            return -1;
        }
        return cleanStopIsZero(process.exitValue());
    }

    /**
     * 143 is 128 + SIGTERM: the server stopped on the signal we sent, as every xiio
     * example does after a clean shutdown; the C and Netty peers exit 0. Both mean "stopped cleanly".
     */
    static int cleanStopIsZero(int status) {
        return status == 143 ? 0 : status;
    }

    /** What it printed, for failure messages. */
    public String describe() {
        List<String> parts = new ArrayList<>();
        if (!process.isAlive()) parts.add("exit " + process.exitValue());
        parts.add("stdout: " + out.text().strip());
        parts.add("stderr: " + err.text().strip());
        return String.join("; ", parts);
    }

    /** Everything it printed so far, stdout then stderr, for a log file. */
    public String output() {
        return "--- stdout of " + name + "\n" + out.text() + "--- stderr of " + name + "\n" + err.text();
    }

    @Override
    public void close() throws InterruptedException {
        if (process.isAlive()) {
            process.destroyForcibly();
            process.waitFor(STOP_LIMIT.toMillis(), TimeUnit.MILLISECONDS);
        }
        out.join(Duration.ofSeconds(5));
        err.join(Duration.ofSeconds(5));
    }

    @Override
    public String toString() {
        return name + " (pid " + pid + ", port " + port + ")";
    }
}
