package xiio.net;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import org.junit.jupiter.api.Test;
import xiio.core.Xiio;
import xiio.io.ByteStream;
import xiio.io.Pipe;

/**
 * The steady-state read and write paths allocate nothing per call. Not timing-based:
 * it counts the bytes the driving thread allocates over many round trips.
 */
class AllocationTest {
    static final int WARMUP = 100_000;
    static final int MEASURED = 50_000;

    // Looked up reflectively: the tests are compiled as part of module xiio, which does
    // not read java.management (and should not, for a test).
    private static final MethodHandle ALLOCATED;

    static {
        try {
            Object bean = Class.forName("java.lang.management.ManagementFactory").getMethod("getThreadMXBean").invoke(null);
            Class<?> type = Class.forName("com.sun.management.ThreadMXBean");
            ALLOCATED = MethodHandles.publicLookup()
                    .findVirtual(type, "getCurrentThreadAllocatedBytes", MethodType.methodType(long.class))
                    .bindTo(bean);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    static long allocatedBytes() {
        try {
            return (long) ALLOCATED.invokeExact();
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
    }

    /** Bytes allocated per write+read round trip, after warm-up. */
    static double perRoundTrip(ByteStream writer, ByteStream reader) throws Exception {
        byte[] msg = new byte[64];
        byte[] buf = new byte[256];
        for (int i = 0; i < WARMUP; i++) roundTrip(writer, reader, msg, buf);
        long before = allocatedBytes();
        for (int i = 0; i < MEASURED; i++) roundTrip(writer, reader, msg, buf);
        long after = allocatedBytes();
        return (after - before) / (double) MEASURED;
    }

    /** Odd offsets on purpose: a sliced heap segment must not allocate either. */
    static void roundTrip(ByteStream writer, ByteStream reader, byte[] msg, byte[] buf) throws Exception {
        writer.writeAll(msg, 3, msg.length - 3);
        int got = 0;
        while (got < msg.length - 3) got += reader.read(buf, 7, buf.length - 7);
    }

    static void assumeMeasurable() {
        assumeTrue(allocatedBytes() >= 0, "allocation counting is not available on this thread");
    }

    @Test
    void tcpReadAndWriteAllocateNothing() throws Exception {
        double perCall = Xiio.run(() -> {
            // Under the virtual-thread backend the coroutine is a virtual thread, for which the
            // JDK reports -1: the test then only runs on the continuation backend.
            assumeMeasurable();
            try (TcpListener l = TcpListener.bind(TcpTest.V4);
                    TcpStream a = TcpStream.connect(l.localAddress());
                    TcpStream b = l.accept()) {
                return perRoundTrip(a, b);
            }
        });
        // well under one byte per round trip: an occasional allocation elsewhere is noise,
        // a per-call one (a MemorySegment slice, a boxed result, a lambda) is 16+ bytes
        assertTrue(perCall < 1.0, "allocated " + perCall + " bytes per round trip");
    }

    @Test
    void pipeReadAndWriteAllocateNothing() throws Exception {
        double perCall = Xiio.run(() -> {
            assumeMeasurable();
            try (Pipe p = Pipe.open()) {
                return perRoundTrip(p.writer(), p.reader());
            }
        });
        assertTrue(perCall < 1.0, "allocated " + perCall + " bytes per round trip");
    }
}
