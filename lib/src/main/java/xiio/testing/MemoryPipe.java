package xiio.testing;

import java.io.IOException;
import java.net.SocketException;
import java.util.ArrayDeque;
import xiio.core.Condition;
import xiio.core.Promise;
import xiio.core.Xiio;

/**
 * One direction of a memory stream: chunks in flight, each readable from its arrival
 * time on. Waiters wait for {@link #changed}, a promise completed and replaced at every
 * change, so nothing is consumed or written before a wait returns (cancel-safe).
 */
final class MemoryPipe {
    private record Chunk(byte[] data, long arrival) {}

    private final Link link;
    private final ArrayDeque<Chunk> chunks = new ArrayDeque<>();
    private int headOffset;
    private int inFlight;
    private long passed;
    private boolean eof, readerGone, reset;
    /** {@link Link#resetAfter()} was reached: the writer fails now, the reader once it read what is in flight. */
    private boolean resetPending;
    private Promise<Void> changed = new Promise<>();

    MemoryPipe(Link link) {
        this.link = link;
    }

    int write(byte[] buf, int off, int len) throws IOException {
        java.util.Objects.checkFromIndexSize(off, len, buf.length);
        while (true) {
            failIfBroken();
            if (resetPending) throw new SocketException("Connection reset (memory stream, after " + passed + " bytes)");
            if (eof) throw new IOException("write after shutdownOutput");
            if (readerGone) throw new SocketException("Broken pipe: the peer closed its memory stream");
            if (len == 0) return 0;
            if (inFlight < link.capacity()) break;
            await(changed.condition());
        }
        int n = Math.min(len, link.capacity() - inFlight);
        if (link.resetAfter() >= 0) n = (int) Math.min(n, Math.max(1, link.resetAfter() - passed));
        long kept = link.dropAfter() < 0 ? n : Math.max(0, Math.min(n, link.dropAfter() - passed));
        if (kept > 0) {
            byte[] copy = java.util.Arrays.copyOfRange(buf, off, off + (int) kept);
            chunks.add(new Chunk(copy, Xiio.nanoTime() + link.latency().toNanos()));
            inFlight += copy.length;
        }
        passed += n;
        if (link.resetAfter() >= 0 && passed >= link.resetAfter()) resetPending = true;
        signal();
        return n;
    }

    int read(byte[] buf, int off, int len) throws IOException {
        java.util.Objects.checkFromIndexSize(off, len, buf.length);
        while (true) {
            failIfBroken();
            Chunk head = chunks.peek();
            if (head != null && head.arrival() <= Xiio.nanoTime()) {
                if (len == 0) return 0;
                int n = Math.min(Math.min(len, link.maxRead()), head.data().length - headOffset);
                System.arraycopy(head.data(), headOffset, buf, off, n);
                headOffset += n;
                if (headOffset == head.data().length) {
                    chunks.poll();
                    headOffset = 0;
                }
                inFlight -= n;
                signal();
                return n;
            }
            if (head == null && resetPending) throw new SocketException("Connection reset (memory stream, after " + passed + " bytes)");
            if (head == null && eof) return -1;
            Condition c = changed.condition();
            await(head == null ? c : c.or(Condition.deadline(head.arrival())));
        }
    }

    /** The writer is done: the reader gets end of stream after what is in flight. */
    void shutdown() {
        eof = true;
        signal();
    }

    /** The reader is gone: writers fail from now on, and what is in flight is dropped. */
    void readerClosed() {
        readerGone = true;
        chunks.clear();
        inFlight = 0;
        signal();
    }

    /** Both sides fail from now on, as after a TCP RST. */
    void reset() {
        reset = true;
        chunks.clear();
        inFlight = 0;
        signal();
    }

    private void failIfBroken() throws SocketException {
        if (reset) throw new SocketException("Connection reset (memory stream)");
    }

    private void signal() {
        Promise<Void> p = changed;
        changed = new Promise<>();
        p.complete(null);
    }

    private static void await(Condition c) throws IOException {
        Xiio.await(c);
    }
}
