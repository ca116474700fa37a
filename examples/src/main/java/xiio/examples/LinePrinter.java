package xiio.examples;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.function.Supplier;
import xiio.concurrent.Channel;
import xiio.io.ByteStream;
import xiio.io.StreamWriter;

/**
 * Lines from many coroutines onto one stream, whole and in order. A writer that
 * suspends halfway through a line (the pipe is full) would let another coroutine's
 * bytes into the middle of it, so all writing happens in {@link #run()}, one
 * coroutine fed through a bounded {@link Channel}: producers that outpace the
 * reader of our output wait in {@link #print}, which is the backpressure we want.
 *
 * <p>With a status supplier (for a terminal), a status line is kept at the bottom:
 * erased before new lines are written, redrawn after.
 *
 * {@snippet :
 * LinePrinter out = new LinePrinter(stdout, 256, null);
 * TaskGroup.scope(g -> {
 *     g.spawn("printer", out::run);
 *     ... out.print("a line") from any task ...
 *     out.close();               // run() writes what is queued, then returns
 *     return null;
 * });
 * }
 */
final class LinePrinter implements AutoCloseable {
    /** A line to write, or (text null) a request to redraw the status line. */
    private record Item(String text) {}

    private static final Item REFRESH = new Item(null);

    private final StreamWriter out;
    private final Channel<Item> lines;
    private final Supplier<String> status;
    private boolean statusShown;

    /** @param status the status line to keep at the bottom (a terminal only), or null */
    LinePrinter(ByteStream stream, int capacity, Supplier<String> status) {
        this.out = new StreamWriter(stream, 64 * 1024);
        this.lines = new Channel<>(capacity);
        this.status = status;
    }

    /** Queues {@code line} (without its newline), waiting while the queue is full. */
    void print(String line) {
        lines.send(new Item(line));
    }

    /** Asks for the status line to be redrawn (no-op without one). */
    void refresh() {
        if (status != null && !lines.isClosed()) lines.trySend(REFRESH); // a refresh may be skipped; the next line redraws anyway
    }

    /** Writes queued lines until {@link #close()}; run it as a task of its own. */
    Void run() throws IOException {
        try {
            for (Item item : lines) {
                if (statusShown) write(Terminal.CLEAR_LINE);
                statusShown = false;
                if (item.text() != null) write(item.text() + "\n");
                if (lines.size() == 0) { // caught up: draw the status, and send the batch
                    if (status != null) {
                        write(status.get());
                        statusShown = true;
                    }
                    out.flush();
                }
            }
            out.flush();
        } finally {
            // also when cancelled (Ctrl-C): no status line left under the shell's prompt (a
            // terminal only; flushing a pipe that nobody reads would hold up the exit)
            if (statusShown) {
                write(Terminal.CLEAR_LINE);
                out.flush();
            }
        }
        return null;
    }

    private void write(String s) throws IOException {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        out.writeAll(b, 0, b.length);
    }

    /** No more lines: {@link #run()} writes what is queued, then returns. */
    @Override
    public void close() {
        lines.close();
    }
}
