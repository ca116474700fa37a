package xiio.bench.echo;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import xiio.bench.CpuPinning;
import xiio.bench.Executables;
import xiio.bench.ServerProcess;
import xiio.support.OutputCollector;

/** Runs the C load generator (pinned) against one server and reads its result line. */
final class LoadGen {
    private static final Pattern RESULT = Pattern.compile("(?m)^rt_per_s=.*$");
    private static final Pattern WARM = Pattern.compile("(?m)^warm$");
    /** The load generator's own limit for opening every connection (SETUP_LIMIT_S), plus room. */
    private static final Duration SETUP_ALLOWANCE = Duration.ofSeconds(150);

    /** Children that read nothing get /dev/null, not a pipe we would have to close. */

    private final Path binary;
    private final CpuPinning pinning;

    LoadGen(Path binary, CpuPinning pinning) {
        this.binary = binary;
        this.pinning = pinning;
    }

    List<String> command(int port, long serverPid, Scenario s, double warmup, double duration, long syncMinRoundTrips) {
        List<String> cmd = new ArrayList<>(pinning.prefix(CpuPinning.LOADGEN_CPU));
        cmd.addAll(List.of(binary.toString(), "--port", Integer.toString(port),
                "--connections", Integer.toString(s.connections()), "--size", Integer.toString(s.size()),
                "--idle", Integer.toString(s.idle()), "--warmup", Double.toString(warmup),
                "--duration", Double.toString(duration), "--server-pid", Long.toString(serverPid)));
        if (syncMinRoundTrips > 0) cmd.addAll(List.of("--sync", "--min-round-trips", Long.toString(syncMinRoundTrips)));
        return cmd;
    }

    /** One measured window against the server on {@code port}: warm-up, then {@code duration} seconds of ping-pong. */
    LoadResult run(int port, long serverPid, Scenario s, double warmup, double duration)
            throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command(port, serverPid, s, warmup, duration, 0))
                .redirectInput(Executables.NO_INPUT).start();
        OutputCollector out = new OutputCollector(p.getInputStream(), "loadgen stdout");
        OutputCollector err = new OutputCollector(p.getErrorStream(), "loadgen stderr");
        Duration limit = SETUP_ALLOWANCE.plusMillis((long) ((warmup + duration) * 1000));
        if (!p.waitFor(limit.toMillis(), TimeUnit.MILLISECONDS)) {
            p.destroyForcibly();
            p.waitFor();
            return LoadResult.failed("the load generator did not finish within " + limit + "; stderr: " + err.text().strip());
        }
        out.join(Duration.ofSeconds(5));
        err.join(Duration.ofSeconds(5));
        return judge(LoadResult.parse(out.text()), p.exitValue(), err.text());
    }

    /**
     * Starts a run with {@code --sync}: it pauses after the warm-up and before closing,
     * and its window lasts until {@code minRoundTrips} went through (see loadgen.c).
     */
    Synced startSynced(ServerProcess server, Scenario s, double warmup, double duration, long minRoundTrips)
            throws IOException {
        List<String> cmd = command(server.port(), server.pid(), s, warmup, duration, minRoundTrips);
        return new Synced(new ProcessBuilder(cmd).start(), warmup + duration);
    }

    private static LoadResult judge(LoadResult r, int status, String stderr) {
        if (status == 0) return r;
        String why = "load generator exit " + status + (stderr.isBlank() ? "" : ": " + stderr.strip().replace('\n', ' '));
        return r.withFailure(why);
    }

    /** A load generator run that waits for the caller at the start and at the end of its window. */
    static final class Synced implements AutoCloseable {
        private final Process process;
        private final OutputCollector out, err;
        private final double seconds;

        private Synced(Process process, double seconds) {
            this.process = process;
            this.seconds = seconds;
            this.out = new OutputCollector(process.getInputStream(), "loadgen stdout");
            this.err = new OutputCollector(process.getErrorStream(), "loadgen stderr");
        }

        /** Waits until it is warm and paused; false if it failed before. */
        boolean awaitWarm() throws InterruptedException {
            return out.await(WARM, SETUP_ALLOWANCE.plusSeconds((long) seconds)) != null;
        }

        /** Starts the measured window. */
        void go() throws IOException {
            OutputStream in = process.getOutputStream();
            in.write('\n');
            in.flush();
        }

        /** Waits for the window's result; the connections stay open until {@link #close()}. */
        LoadResult awaitResult() throws InterruptedException {
            if (out.await(RESULT, Duration.ofSeconds(60).plusSeconds((long) seconds)) == null) {
                return LoadResult.failed("no result from the load generator; stderr: " + err.text().strip());
            }
            return LoadResult.parse(out.text());
        }

        String stderr() {
            return err.text();
        }

        /** Lets it close its connections and exit; kills it if it does not. */
        @Override
        public void close() throws IOException, InterruptedException {
            try {
                process.getOutputStream().close();
            } catch (IOException gone) {
                // it exited already
            }
            if (!process.waitFor(30, TimeUnit.SECONDS)) process.destroyForcibly();
            process.waitFor();
            out.join(Duration.ofSeconds(5));
            err.join(Duration.ofSeconds(5));
        }
    }
}
