package xiio.examples;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeoutException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import xiio.concurrent.Semaphore;
import xiio.concurrent.TaskGroup;
import xiio.concurrent.Timeout;
import xiio.core.Xiio;
import xiio.http.client.HttpClient;
import xiio.io.FdStream;
import xiio.io.Stdio;
import xiio.signal.SignalExitException;
import xiio.signal.Signals;
import xiio.tls.TlsConfig;
import xiio.tls.TlsContextBuilder;

/**
 * Fetches many URLs concurrently. Usage:
 * {@code ./xiio fetch -c 8 --timeout 5s http://127.0.0.1:8080/ http://127.0.0.1:8080/files/}
 * or {@code ./xiio fetch -i urls.txt}.
 *
 * <p>Every URL is a task; a {@link Semaphore} lets at most {@code -c} of them hold a
 * connection at a time, and each request (connect, send, read the whole answer) has
 * {@code --timeout}. A line per URL reports its status, size and time as it
 * finishes; on a terminal, a progress line stays at the bottom. Exits 0 if every
 * answer was 2xx or 3xx, else 1.
 */
@Command(name = "fetch", mixinStandardHelpOptions = true,
        description = {"Fetch http:// (and https://) URLs concurrently: status, size and time per URL.",
            "At most -c requests at a time, each within --timeout. Exit status 1 if any failed or answered 4xx/5xx."})
final class Fetch implements Callable<Integer> {
    @Parameters(paramLabel = "URL", arity = "0..*", description = "URLs to fetch.")
    List<String> urls = new ArrayList<>();

    @Option(names = {"-i", "--input"}, paramLabel = "FILE", description = "Also fetch the URLs in FILE, one per line ('-' for stdin; '#' starts a comment).")
    Path input;

    @Option(names = {"-c", "--concurrency"}, defaultValue = "8", description = "Requests at a time (default: ${DEFAULT-VALUE}).")
    int concurrency;

    @Option(names = "--timeout", defaultValue = "10s", converter = DurationConverter.class,
            description = "Limit per request, connecting included (default: ${DEFAULT-VALUE}).")
    Duration timeout;

    @Option(names = "--cacert", paramLabel = "PEM", description = "Trust these certificates for https (instead of the JDK's authorities).")
    Path caCert;

    private int done, running, failed;

    @Override
    public Integer call() throws Exception {
        if (concurrency < 1) throw new IllegalArgumentException("-c must be at least 1, got " + concurrency);
        List<String> all = new ArrayList<>(urls);
        // read up front, before the loop starts: a URL list is small, and this is plain blocking I/O
        if (input != null) all.addAll(input.toString().equals("-") ? List.of(new String(System.in.readAllBytes()).split("\n"))
                : Files.readAllLines(input));
        all.removeIf(u -> u.isBlank() || u.strip().startsWith("#"));
        if (all.isEmpty()) throw new IllegalArgumentException("no URLs: give some as arguments or with -i FILE");
        TlsConfig tls = caCert == null ? TlsConfig.defaults() : TlsConfig.of(new TlsContextBuilder().trustPem(caCert).build());
        try {
            return Signals.runCancellable(() -> fetchAll(all.stream().map(String::strip).toList(), tls));
        } catch (SignalExitException stopped) {
            return stopped.exitStatus();
        }
    }

    private int fetchAll(List<String> all, TlsConfig tls) throws Exception {
        boolean tty = Terminal.isTerminal(1);
        long t0 = Xiio.nanoTime();
        // one client: connections to a host are kept alive and reused, at most -c of them
        try (FdStream stdout = Stdio.stdout(); HttpClient client = HttpClient.builder().tls(tls).userAgent("xiio-fetch")
                .maxConnectionsPerOrigin(concurrency).maxConnections(concurrency).build()) {
            LinePrinter out = new LinePrinter(stdout, 256, tty ? () -> "[ " + done + "/" + all.size() + " done, "
                    + running + " running, " + failed + " failed ]" : null);
            Semaphore slots = new Semaphore(concurrency);
            TaskGroup.scope(group -> {
                group.spawn("printer", out::run);
                TaskGroup.scope(requests -> {
                    for (String url : all) requests.spawn(url, () -> slots.withPermit(() -> fetchOne(url, client, out)));
                    return null;
                });
                double seconds = (Xiio.nanoTime() - t0) / 1e9;
                out.print(String.format("%d URLs: %d ok, %d failed in %.2f s (at most %d at a time)",
                        all.size(), all.size() - failed, failed, seconds, concurrency));
                out.close();
                return null;
            });
        }
        return failed == 0 ? 0 : 1;
    }

    /** Fetches one URL and prints its line; never throws for a failed request. */
    private Void fetchOne(String url, HttpClient client, LinePrinter out) throws Exception {
        running++;
        out.refresh();
        long t0 = Xiio.nanoTime();
        String status = "ERR", size = "-", error = "";
        try {
            HttpGet.Result r = Timeout.withTimeout(timeout, () -> HttpGet.get(client, URI.create(url)));
            status = String.valueOf(r.status());
            size = r.bodyBytes() + " B";
        } catch (TimeoutException e) {
            error = "timed out after " + DurationConverter.format(timeout);
        } catch (IOException | IllegalArgumentException e) {
            error = e.getMessage() != null ? e.getMessage() : e.getClass().getSimpleName();
        }
        running--;
        done++;
        if (status.equals("ERR") || status.compareTo("400") >= 0) failed++;
        out.print(String.format("%-4s %12s %9.1f ms  %s%s", status, size, (Xiio.nanoTime() - t0) / 1e6, url,
                error.isEmpty() ? "" : "  (" + error + ")"));
        return null;
    }
}
