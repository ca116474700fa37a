package xiio.bench.http;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import xiio.bench.CpuPinning;

/**
 * Runs wrk, the HTTP load generator (Debian package {@code wrk}): C keep-alive
 * connections, each sending its next request (or pipelined batch) when the last
 * answer came, with {@code --latency} for the percentiles. One thread pinned to CPU 1
 * against a one-core server; two threads on both CPUs against a multi-core one.
 */
final class Wrk {
    static final String DEBIAN_PACKAGE = "wrk";

    private final CpuPinning pinning;

    Wrk(CpuPinning pinning) {
        this.pinning = pinning;
    }

    /**
     * The command line of one run, as the report prints it: against a one-core server
     * one thread on CPU 1, against a multi-core one ({@code multiCore}) two threads
     * on both CPUs; {@code script} is the scenario's Lua file, or null.
     */
    List<String> command(int connections, Duration duration, String url, Path script, boolean multiCore) {
        List<String> cmd = new ArrayList<>();
        if (multiCore) {
            cmd.addAll(pinning.enabled() ? List.of("taskset", "-c", CpuPinning.SERVER_CPU + "," + CpuPinning.LOADGEN_CPU) : List.of());
        } else {
            cmd.addAll(pinning.prefix(CpuPinning.LOADGEN_CPU));
        }
        int threads = multiCore ? Math.min(2, connections) : 1; // wrk needs a connection per thread
        cmd.addAll(List.of("wrk", "-t" + threads, "-c" + connections, "-d" + duration.toSeconds() + "s", "--latency"));
        if (script != null) cmd.addAll(List.of("-s", script.toString()));
        cmd.add(url);
        return cmd;
    }

    /** Runs wrk and parses what it printed. */
    WrkResult run(int connections, Duration duration, String url, Path script, boolean multiCore) throws IOException, InterruptedException {
        String out = exec(command(connections, duration, url, script, multiCore));
        return WrkResult.parse(out);
    }

    /** wrk's version line, such as {@code wrk debian/4.1.0-3+b2 [epoll]}. */
    static String version() throws IOException, InterruptedException {
        requireInstalled();
        Process p = new ProcessBuilder("wrk", "-v").redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        p.waitFor(); // wrk -v exits 1 after printing its version and usage
        String first = out.lines().findFirst().orElse("wrk (unknown version)");
        int copyright = first.indexOf(" Copyright");
        return copyright > 0 ? first.substring(0, copyright) : first;
    }

    /** Fails with the package to install when wrk is not on the PATH. */
    static void requireInstalled() throws IOException {
        try {
            Process p = new ProcessBuilder("wrk", "-v").redirectErrorStream(true).start();
            p.getInputStream().readAllBytes();
            p.waitFor();
        } catch (IOException e) {
            throw new IOException("wrk is not installed: install the Debian package '" + DEBIAN_PACKAGE
                    + "' (apt-get install " + DEBIAN_PACKAGE + "; CI installs it from .ci/packages)", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static String exec(List<String> command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        int status = p.waitFor();
        if (status != 0) throw new IOException(String.join(" ", command) + " exited with status " + status + ":\n" + out);
        return out;
    }
}
