package xiio.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import xiio.concurrent.TaskGroup;
import xiio.concurrent.Timeout;
import xiio.support.TestPipe;
import xiio.testing.VirtualClock;
import xiio.unix.Errno;
import xiio.unix.sys.Constants;

/**
 * Operations submitted to the ring and awaited as promises: results, errors as
 * {@code -errno}, cancellation that waits for the kernel, many completions at once on a
 * tiny ring, and a virtual clock that does not jump past an operation the kernel
 * answers by itself. Runs on io_uring whatever the suite's poller (epoll has no ring).
 */
class RingOpsTest {
    @Test
    void aReadCompletesWithTheBytesOfThePipe() throws Exception {
        try (TestPipe pipe = new TestPipe(); Arena arena = Arena.ofConfined()) {
            MemorySegment buf = arena.allocate(16);
            int n = Xiio.run(Poller.ioUring(), () -> {
                RingOps ring = RingOps.current();
                assertNotNull(ring);
                RingOp op = ring.submit(Constants.IORING_OP_READ, pipe.readFd, buf, 0L, 0, false);
                assertFalse(op.isDone(), "submitted at the next wait, not at once");
                pipe.put("ring");
                return op.await();
            });
            assertEquals(4, n);
            assertEquals("ring", new String(buf.asSlice(0, 4).toArray(ValueLayout.JAVA_BYTE), StandardCharsets.US_ASCII));
        }
    }

    @Test
    void aFailureIsTheNegativeErrno() throws Exception {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment buf = arena.allocate(16);
            int r = Xiio.run(Poller.ioUring(),
                    () -> RingOps.current().submit(Constants.IORING_OP_READ, 19_999, buf, 0L, 0, false).await());
            assertEquals(-Errno.EBADF, r);
        }
    }

    @Test
    void epollHasNoRing() throws Exception {
        assertNull(Xiio.run(Poller.epoll(), RingOps::current));
        assertNull(RingOps.current(), "outside a run");
    }

    @Test
    void aHeapSegmentIsRefusedWithTheReason() throws Exception {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Xiio.run(Poller.ioUring(),
                () -> RingOps.current().submit(Constants.IORING_OP_READ, 0, MemorySegment.ofArray(new byte[8]), 0L, 0, false)));
        assertTrue(e.getMessage().contains("native memory"), e.getMessage());
    }

    @Test
    void aCancelledAwaitCancelsTheOperationAndWaitsForTheKernel() throws Exception {
        try (TestPipe pipe = new TestPipe(); Arena arena = Arena.ofConfined()) {
            MemorySegment buf = arena.allocate(16);
            RingOp[] op = new RingOp[1];
            Object r = Xiio.run(Poller.ioUring(), () -> Timeout.withTimeoutOrNull(Duration.ofMillis(30), () -> {
                op[0] = RingOps.current().submit(Constants.IORING_OP_READ, pipe.readFd, buf, 0L, 0, false);
                return op[0].await();
            }));
            assertNull(r, "timed out");
            assertTrue(op[0].isDone(), "the kernel let go before the cancellation propagated");
            assertEquals(-Errno.ECANCELED, op[0].result());
            // nothing was taken from the pipe: the bytes are still there for a plain read
            pipe.put("x");
            assertEquals(1, Xiio.run(Poller.ioUring(), () -> Xiio.read(pipe.readFd, new byte[4])));
        }
    }

    @Test
    void manyCompletionsAtOnceOnATinyRingLoseNone() throws Exception {
        int n = 500; // 8 submission entries, 16 completions: the queue fills and NODROP keeps the overflow
        try (TestPipe pipe = new TestPipe(); Arena arena = Arena.ofConfined()) {
            MemorySegment buf = arena.allocate(8);
            int sum = Xiio.run(IoUringPoller.open(8), () -> {
                RingOp[] ops = new RingOp[n];
                for (int i = 0; i < n; i++) ops[i] = RingOps.current().submit(Constants.IORING_OP_NOP, -1, MemorySegment.NULL, 0L, 0, true);
                int done = 0;
                for (RingOp op : ops) done += op.await() == 0 ? 1 : 0;
                return done;
            });
            assertEquals(n, sum);
        }
    }

    @Test
    void aVirtualClockDoesNotJumpPastAnOperationTheKernelAnswers() throws Exception {
        // a virtual clock wraps the suite's poller: this runs in the io_uring execution
        Assumptions.assumeTrue(Xiio.run(new VirtualClock(), RingOps::current) != null, "the system poller is epoll");
        try (TestPipe pipe = new TestPipe(); Arena arena = Arena.ofConfined()) {
            MemorySegment buf = arena.allocate(8);
            Thread writer = Thread.ofPlatform().start(() -> {
                try {
                    Thread.sleep(100);
                } catch (InterruptedException e) {
                    return;
                }
                pipe.put("k");
            });
            try {
                String order = Xiio.run(new VirtualClock(), () -> {
                    StringBuilder seen = new StringBuilder();
                    TaskGroup.scope(g -> {
                        g.spawn(() -> {
                            Xiio.sleep(Duration.ofHours(1));
                            seen.append("slept ");
                            return null;
                        });
                        // "answered by the kernel": the clock must wait for it, as for a thread's work
                        RingOp op = RingOps.current().submit(Constants.IORING_OP_READ, pipe.readFd, buf, 0L, 0, true);
                        assertEquals(1, op.await());
                        seen.append("read ");
                        return null;
                    });
                    return seen.toString();
                });
                assertEquals("read slept ", order);
            } finally {
                writer.join();
            }
        }
    }
}
