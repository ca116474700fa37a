package xiio.core;

import java.io.IOException;
import java.lang.foreign.MemorySegment;

/**
 * Operations that complete later, on the run's io_uring: the capability a poller with
 * a completion queue offers ({@link Poller#ringOps()}; epoll has none). A submitted
 * operation is awaited like a promise, through {@link RingOp#completion()}, so the loop
 * keeps its one primitive: nothing here adds a kind of wait.
 *
 * <p>The entry is written into the submission queue at once and reaches the kernel in
 * the {@code io_uring_enter} of the loop's next wait, with every other submission and
 * wait of that turn (or earlier, when the queue is full).
 *
 * {@snippet :
 * RingOps ring = RingOps.current();           // null on epoll: use a plain syscall there
 * try (Arena arena = Arena.ofConfined()) {
 *     MemorySegment buf = arena.allocate(4096);
 *     RingOp op = ring.submit(Constants.IORING_OP_READ, fd, buf, 0L, 0, true);
 *     int n = op.await();                     // bytes read, or -errno
 * }                                           // safe: await returns only once the kernel let go of buf
 * }
 *
 * <p>Not thread-safe: use it from the coroutines of the run it belongs to.
 */
public interface RingOps {

    /**
     * The ring operations of the current run, or null when its poller has none (epoll,
     * or a virtual clock over epoll) or when not called from a coroutine.
     */
    static RingOps current() {
        Coroutine<?> c = Coroutine.currentOrNull();
        return c == null ? null : c.engine.poller.ringOps();
    }

    /**
     * Submits one operation: {@code opcode} ({@code IORING_OP_*}) on {@code fd}, with
     * {@code buffer} as its address and length ({@link MemorySegment#NULL} for none),
     * {@code offset} as its {@code off} field and {@code opFlags} as its per-operation
     * flags word ({@code rw_flags}, {@code msg_flags}, ...).
     *
     * <p>{@code buffer} must be native memory that stays valid until the operation is
     * done: the kernel reads or writes it asynchronously. {@link RingOp#await()} returns
     * (or throws) only once it is done, so memory freed after it is safe.
     *
     * @param answeredByKernel true when the kernel completes it by itself (a regular
     *        file's read or write): a virtual clock never jumps while such an operation
     *        is pending, as for work on a thread. False when the outside world must act
     *        (a socket's peer), which is like waiting for an fd to be ready.
     * @throws IllegalArgumentException if {@code buffer} is a heap segment or longer than 2 GiB
     * @throws IOException if the submission queue cannot be flushed to make room
     */
    RingOp submit(byte opcode, int fd, MemorySegment buffer, long offset, int opFlags, boolean answeredByKernel)
            throws IOException;

    /**
     * The receive queue of the stream socket {@code fd}, started on first use: a
     * multishot receive into the run's provided buffers. The fd's readability (for
     * {@link Condition#readable}) is then its queue's: fulfilled while data, end of
     * stream or an error is queued. Only the fd's one owning stream may use it, and
     * nothing else may read the socket while it runs ({@link RingReceiver#receiving()}).
     *
     * @return the receiver, or null if this ring cannot receive (no buffer rings here)
     */
    RingReceiver receiver(int fd);
}
