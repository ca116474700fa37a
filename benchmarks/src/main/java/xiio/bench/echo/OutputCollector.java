package xiio.bench.echo;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads one output stream of a child process to its end on a thread of its own, so the
 * child never blocks on a full pipe, and lets the runner wait (bounded) for a line.
 */
final class OutputCollector {
    private final ByteArrayOutputStream buf = new ByteArrayOutputStream();
    private final Thread thread;
    private boolean ended;

    OutputCollector(InputStream in, String name) {
        thread = Thread.ofPlatform().daemon().name(name).start(() -> pump(in));
    }

    private void pump(InputStream in) {
        byte[] chunk = new byte[8192];
        try (in) {
            for (int n; (n = in.read(chunk)) > 0; ) {
                synchronized (this) {
                    buf.write(chunk, 0, n);
                    notifyAll();
                }
            }
        } catch (IOException closed) {
            // the child went away: what we have is all there is
        } finally {
            synchronized (this) {
                ended = true;
                notifyAll();
            }
        }
    }

    synchronized String text() {
        return buf.toString(StandardCharsets.UTF_8);
    }

    /**
     * The first match of {@code regex} in the output, waiting for it at most {@code limit};
     * null if the stream ended or the time ran out first.
     */
    Matcher await(Pattern regex, Duration limit) throws InterruptedException {
        long deadline = System.nanoTime() + limit.toNanos();
        synchronized (this) {
            while (true) {
                Matcher m = regex.matcher(buf.toString(StandardCharsets.UTF_8));
                if (m.find()) return m;
                long left = deadline - System.nanoTime();
                if (ended || left <= 0) return null;
                wait(Math.max(1, left / 1_000_000));
            }
        }
    }

    /** Waits until the stream ended (the child closed it or exited), at most {@code limit}. */
    void join(Duration limit) throws InterruptedException {
        thread.join(limit);
    }
}
