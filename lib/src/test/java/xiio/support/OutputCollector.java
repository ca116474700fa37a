package xiio.support;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads one output stream of a child process to its end on a thread of its own, so the
 * child never blocks on a full pipe, and lets the caller wait (bounded) for what it
 * prints. The examples' tests and the benchmark runners watch their children with it.
 */
public final class OutputCollector {
    private final ByteArrayOutputStream buf = new ByteArrayOutputStream();
    private final Thread thread;
    private boolean ended;

    /** Starts reading {@code in} on a daemon thread called {@code name}. */
    public OutputCollector(InputStream in, String name) {
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

    /** What it read so far. */
    public synchronized byte[] bytes() {
        return buf.toByteArray();
    }

    /** What it read so far, as UTF-8. */
    public synchronized String text() {
        return buf.toString(StandardCharsets.UTF_8);
    }

    /** Whether the stream ended (the child closed it or exited). */
    public synchronized boolean ended() {
        return ended;
    }

    /** Waits at most {@code millis} for more output or the end, whichever comes first. */
    public synchronized void awaitMore(long millis) throws InterruptedException {
        if (!ended) wait(millis);
    }

    /**
     * The first match of {@code regex} in the output, waiting for it at most {@code limit};
     * null if the stream ended or the time ran out first.
     */
    public Matcher await(Pattern regex, Duration limit) throws InterruptedException {
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

    /** Waits until the stream ended, at most {@code limit}. */
    public void join(Duration limit) throws InterruptedException {
        thread.join(limit);
    }
}
