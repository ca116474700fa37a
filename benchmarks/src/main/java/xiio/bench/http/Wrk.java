package xiio.bench.http;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import xiio.bench.CpuPinning;

/**
 * Runs wrk, the HTTP load generator (Debian package {@code wrk}): one thread, C
 * keep-alive connections, each sending its next request when the last answer came,
 * with {@code --latency} for the percentiles.
 */
final class Wrk {
    static final String DEBIAN_PACKAGE = "wrk";

    private final CpuPinning pinning;

    Wrk(CpuPinning pinning) {
        this.pinning = pinning;
    }

    /** The command line of one run, as the report prints it. */
    List<String> command(int connections, Duration duration, String url) {
        return pinning.pin(CpuPinning.LOADGEN_CPU, List.of("wrk", "-t1", "-c" + connections,
                "-d" + duration.toSeconds() + "s", "--latency", url));
    }

    /** Runs wrk and parses what it printed. */
    WrkResult run(int connections, Duration duration, String url) throws IOException, InterruptedException {
        String out = exec(command(connections, duration, url));
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
