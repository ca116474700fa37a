package xiio.testing;

import java.io.IOException;
import java.time.Duration;
import java.util.Arrays;
import java.util.Objects;
import xiio.core.Suspendable;
import xiio.io.ByteStream;

/**
 * Conformance checks for a {@link ByteStream} implementation (trio's
 * {@code check_two_way_stream}): run them, inside a run, against a factory of
 * connected pairs of your own stream, and they throw an {@link AssertionError} naming
 * the first promise of the interface that the stream breaks. Each check gets a fresh
 * pair and closes it, and fails if it takes more than 10 s on the run's clock (a
 * stream that hangs instead of delivering): on a {@link VirtualClock} that costs no
 * real time for streams without fds.
 *
 * {@snippet :
 * Xiio.run(() -> {
 *     StreamChecks.checkTwoWayStream(() -> {
 *         MemoryStream[] p = MemoryStream.pair();
 *         return new StreamChecks.Pair(p[0], p[1]);
 *     });
 *     return null;
 * });
 * }
 */
public final class StreamChecks {
    /** How long one check may take on the run's clock before its hang is a failure. */
    static final Duration LIMIT = Duration.ofSeconds(10);

    private StreamChecks() {}

    /** Two connected ends of a stream: what {@code a} writes {@code b} reads, and back. */
    public record Pair(ByteStream a, ByteStream b) {
        /** @throws NullPointerException if either end is null */
        public Pair {
            Objects.requireNonNull(a, "a");
            Objects.requireNonNull(b, "b");
        }
    }

    /**
     * Checks, each on a new pair from {@code pairs}: bytes arrive intact and in order in
     * both directions at once, more than any buffer holds; a zero-length write returns
     * 0; {@code shutdownOutput} gives the peer end of stream (again and again) while the
     * other direction still works; a closed end fails its own reads and writes with an
     * {@link IOException} and gives its peer end of stream or an {@code IOException};
     * close is idempotent; a read cancelled while it waits consumes nothing; bad
     * offsets are an {@link IndexOutOfBoundsException}.
     *
     * @throws AssertionError naming the check that failed
     */
    public static void checkTwoWayStream(Suspendable<Pair> pairs) throws Exception {
        Objects.requireNonNull(pairs, "pairs");
        check(pairs, "bytes arrive intact in both directions at once", StreamChecks::bothWays);
        check(pairs, "a zero-length write returns 0", p -> assertTrue(p.a().write(new byte[1], 0, 0) == 0, "write of 0 bytes did not return 0"));
        check(pairs, "shutdownOutput gives the peer end of stream, the other way still works", StreamChecks::halfClose);
        check(pairs, "close fails the closed end and ends the peer's stream", StreamChecks::closing);
        check(pairs, "a cancelled read consumes nothing", StreamChecks::cancelledRead);
        check(pairs, "bad offsets are refused", StreamChecks::badOffsets);
    }

    private interface Check {
        void run(Pair p) throws Exception;
    }

    private static void check(Suspendable<Pair> pairs, String name, Check check) throws Exception {
        Pair p = pairs.call();
        if (p == null) throw new NullPointerException("the pair factory returned null");
        try {
            xiio.concurrent.Timeout.withTimeout(LIMIT, () -> {
                check.run(p);
                return null;
            });
        } catch (java.util.concurrent.TimeoutException e) {
            throw new AssertionError("stream check '" + name + "' failed on " + p + ": it did not finish within " + LIMIT
                    + " on the run's clock (a read waiting for bytes or an end of stream that never came?)", e);
        } catch (AssertionError e) {
            throw new AssertionError("stream check '" + name + "' failed on " + p + ": " + e.getMessage(), e);
        } catch (IOException | RuntimeException e) {
            throw new AssertionError("stream check '" + name + "' failed on " + p + ": unexpected " + e, e);
        } finally {
            p.a().close();
            p.b().close();
        }
    }

    private static void bothWays(Pair p) throws Exception {
        byte[] ab = pattern(300_000, 1), ba = pattern(300_000, 7);
        byte[][] got = new byte[2][];
        xiio.concurrent.TaskGroup.scope(g -> {
            g.spawn(() -> send(p.a(), ab));
            g.spawn(() -> send(p.b(), ba));
            g.spawn(() -> got[0] = readAll(p.b(), ab.length));
            g.spawn(() -> got[1] = readAll(p.a(), ba.length));
            return null;
        });
        assertTrue(Arrays.equals(ab, got[0]), "a to b: " + firstDifference(ab, got[0]));
        assertTrue(Arrays.equals(ba, got[1]), "b to a: " + firstDifference(ba, got[1]));
    }

    // Writers run beside the readers: a stream may need its peer to read before a write
    // completes (a TLS handshake, a transport without a buffer).
    private static void halfClose(Pair p) throws Exception {
        byte[] hello = "hello".getBytes();
        byte[] buf = new byte[16];
        xiio.concurrent.TaskGroup.scope(g -> {
            g.spawn(() -> {
                p.a().writeAll(hello, 0, hello.length);
                p.a().shutdownOutput();
                return null;
            });
            assertTrue(Arrays.equals(hello, readAll(p.b(), hello.length)), "data written before shutdownOutput was lost");
            assertTrue(p.b().read(buf, 0, buf.length) == -1, "no end of stream after shutdownOutput");
            assertTrue(p.b().read(buf, 0, buf.length) == -1, "end of stream was not repeated");
            return null;
        });
        byte[] back = "back".getBytes();
        xiio.concurrent.TaskGroup.scope(g -> {
            g.spawn(() -> send(p.b(), back));
            assertTrue(Arrays.equals(back, readAll(p.a(), back.length)), "the other direction stopped working after shutdownOutput");
            return null;
        });
    }

    private static void closing(Pair p) throws Exception {
        p.a().close();
        p.a().close(); // idempotent
        byte[] buf = new byte[16];
        assertThrowsIo(() -> p.a().read(buf, 0, buf.length), "a read on a closed end");
        assertThrowsIo(() -> p.a().write(buf, 0, 1), "a write on a closed end");
        int n;
        try {
            n = p.b().read(buf, 0, buf.length);
        } catch (IOException e) {
            return; // a reset is as good as end of stream
        }
        assertTrue(n == -1, "the peer of a closed end read " + n + " bytes instead of end of stream");
    }

    private static void cancelledRead(Pair p) throws Exception {
        byte[] first = "first".getBytes(), x = "xyz".getBytes();
        byte[] buf = new byte[16];
        xiio.concurrent.TaskGroup.scope(g -> {
            g.spawn(() -> send(p.a(), first)); // the stream is working before the cancelled read
            assertTrue(Arrays.equals(first, readAll(p.b(), first.length)), "bytes were lost before any cancellation");
            return null;
        });
        Object r = xiio.concurrent.Timeout.withTimeoutOrNull(Duration.ofMillis(20), () -> p.b().read(buf, 0, buf.length));
        assertTrue(r == null, "a read returned " + r + " with nothing written");
        xiio.concurrent.TaskGroup.scope(g -> {
            g.spawn(() -> send(p.a(), x));
            assertTrue(Arrays.equals(x, readAll(p.b(), x.length)), "bytes written after a cancelled read were lost");
            return null;
        });
    }

    private static void badOffsets(Pair p) throws Exception {
        byte[] buf = new byte[4];
        for (int[] bad : new int[][] {{-1, 1}, {0, 5}, {3, 2}, {0, -1}}) {
            assertThrowsIndex(() -> p.a().write(buf, bad[0], bad[1]), "write(buf[4], " + bad[0] + ", " + bad[1] + ")");
            assertThrowsIndex(() -> p.b().read(buf, bad[0], bad[1]), "read(buf[4], " + bad[0] + ", " + bad[1] + ")");
        }
    }

    private static Void send(ByteStream s, byte[] data) throws IOException {
        for (int off = 0; off < data.length; ) {
            int n = s.write(data, off, Math.min(8191, data.length - off));
            assertTrue(n > 0 && n <= data.length - off, "write returned " + n);
            off += n;
        }
        return null;
    }

    private static byte[] readAll(ByteStream s, int length) throws IOException {
        byte[] out = new byte[length];
        for (int off = 0; off < length; ) {
            int n = s.read(out, off, length - off);
            if (n == -1) return Arrays.copyOf(out, off);
            assertTrue(n > 0 && n <= length - off, "read returned " + n + " for room of " + (length - off));
            off += n;
        }
        return out;
    }

    private static byte[] pattern(int length, int step) {
        byte[] b = new byte[length];
        for (int i = 0; i < length; i++) b[i] = (byte) (i * step + i / 251);
        return b;
    }

    private static String firstDifference(byte[] want, byte[] got) {
        int n = Math.min(want.length, got.length);
        for (int i = 0; i < n; i++) if (want[i] != got[i]) return "first difference at byte " + i;
        return want.length == got.length ? "equal" : "got " + got.length + " of " + want.length + " bytes";
    }

    private interface Call {
        Object run() throws Exception;
    }

    private static void assertThrowsIo(Call c, String what) throws Exception {
        try {
            c.run();
        } catch (IOException expected) {
            return;
        }
        throw new AssertionError(what + " did not throw an IOException");
    }

    private static void assertThrowsIndex(Call c, String what) throws Exception {
        try {
            c.run();
        } catch (IndexOutOfBoundsException expected) {
            return;
        }
        throw new AssertionError(what + " did not throw an IndexOutOfBoundsException");
    }

    private static void assertTrue(boolean ok, String message) {
        if (!ok) throw new AssertionError(message);
    }
}
