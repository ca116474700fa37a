package xiio.bench.http;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One server under test, in its own process: started, waited for until it prints
 * its {@code listening on http://HOST:PORT/} line, and stopped with SIGTERM (then
 * SIGKILL if it does not exit). Its output goes to a log file, named in errors.
 */
final class ServerProcess implements AutoCloseable {
    private static final Pattern LISTENING = Pattern.compile("listening on http://[^\\s/]+:(\\d+)/");
    private static final long START_TIMEOUT_MS = 30_000;

    private final Process process;
    private final Path log;
    private final int port;

    private ServerProcess(Process process, Path log, int port) {
        this.process = process;
        this.log = log;
        this.port = port;
    }

    /** Starts {@code command} and waits until it listens. */
    static ServerProcess start(List<String> command, Path log) throws IOException, InterruptedException {
        Files.createDirectories(log.getParent());
        Process p = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        try {
            return new ServerProcess(p, log, awaitPort(p, log));
        } catch (IOException | InterruptedException | RuntimeException e) {
            p.destroyForcibly();
            p.waitFor(5, TimeUnit.SECONDS);
            throw e;
        }
    }

    private static int awaitPort(Process p, Path log) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(START_TIMEOUT_MS);
        while (System.nanoTime() < deadline) {
            Matcher m = LISTENING.matcher(Files.readString(log));
            if (m.find()) return Integer.parseInt(m.group(1));
            if (!p.isAlive()) throw new IOException("the server exited with status " + p.exitValue() + " before listening; see " + log);
            Thread.sleep(20);
        }
        throw new IOException("the server printed no 'listening on' line within " + START_TIMEOUT_MS + " ms; see " + log);
    }

    int port() {
        return port;
    }

    long pid() {
        return process.pid();
    }

    /** CPU time the server has used so far, in nanoseconds. */
    long cpuNanos() throws IOException {
        return ProcCpu.nanos(process.pid());
    }

    /** CPU time each of the server's threads has used so far: thread id to nanoseconds. */
    Map<Long, Long> threadCpuNanos() throws IOException {
        return ProcCpu.threadNanos(process.pid());
    }

    /** Stops the server: SIGTERM, then SIGKILL after 15 s. Returns its exit status, 0 for a clean stop (also 143). */
    int stop() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(15, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            process.waitFor();
        }
        // 143 = 128 + SIGTERM: how every xiio example reports a clean stop on the signal we sent
        return process.exitValue() == 143 ? 0 : process.exitValue();
    }

    @Override
    public void close() throws InterruptedException {
        if (process.isAlive()) stop();
    }

    Path log() {
        return log;
    }
}
