package xiio.unix.sys;

import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static java.lang.foreign.ValueLayout.JAVA_SHORT;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.VarHandle;
import xiio.unix.ErrnoException;

/**
 * A provided-buffer ring (IORING_REGISTER_PBUF_RING, kernel 5.19): buffers the kernel
 * picks from when a receive with IOSQE_BUFFER_SELECT finds data, so an idle socket
 * holds no buffer at all. Not thread-safe: one per ring, used on the loop thread.
 *
 * <p>Facts about buffer rings this class is built around:
 * <ul>
 * <li>The ring is ours to allocate (page-aligned); the kernel only reads it. Its tail
 *     is the u16 at offset 14 of the first entry (the {@code resv} field that
 *     {@code struct io_uring_buf_ring} overlays); the kernel's head is private to it.
 *     An entry is written first, then the tail published with a release store.
 * <li>The buffer id comes back in the upper 16 bits of the completion's flags, and the
 *     buffer is ours until we put it back in the ring.
 * <li>When the ring is empty a receive fails with ENOBUFS, and a multishot receive
 *     ends with it: the caller re-arms once buffers are back.
 * </ul>
 */
public final class UringBufferRing implements AutoCloseable {
    private static final VarHandle TAIL = JAVA_SHORT.varHandle();

    private final UringRing ring;
    private final Arena arena = Arena.ofShared();
    /** The buffer group id, for {@code sqe->buf_group}. */
    public final short group;
    /** How many buffers, and the size of each. */
    public final int count;
    public final int size;
    private final MemorySegment entries;
    private final MemorySegment data;
    private int tail;
    private int available;
    private boolean registered;

    /**
     * Allocates {@code count} buffers (a power of two, at most 32768) of {@code size}
     * bytes each, registers them with {@code ring} as group {@code group}, and hands
     * them all to the kernel.
     *
     * @throws ErrnoException from io_uring_register (EINVAL on a kernel without buffer rings)
     */
    public UringBufferRing(UringRing ring, short group, int count, int size) throws ErrnoException {
        if (Integer.bitCount(count) != 1 || count > 32768) {
            throw new IllegalArgumentException("buffer count must be a power of two up to 32768, got " + count);
        }
        this.ring = ring;
        this.group = group;
        this.count = count;
        this.size = size;
        this.entries = arena.allocate(UringLayout.BUF_SIZE * count, 4096);
        this.data = arena.allocate((long) size * count, 4096);
        MemorySegment reg = arena.allocate(UringLayout.BUF_REG_SIZE, 8);
        reg.set(JAVA_LONG, UringLayout.BUF_REG_RING_ADDR, entries.address());
        reg.set(JAVA_INT, UringLayout.BUF_REG_ENTRIES, count);
        reg.set(JAVA_SHORT, UringLayout.BUF_REG_BGID, group);
        int r = ring.register(Constants.IORING_REGISTER_PBUF_RING, reg, 1);
        if (r < 0) {
            arena.close();
            throw new ErrnoException("io_uring_register(PBUF_RING, " + count + " buffers of " + size + " bytes)", -r);
        }
        registered = true;
        for (int bid = 0; bid < count; bid++) recycle(bid);
    }

    /** The memory of buffer {@code bid}, {@link #size} bytes. */
    public MemorySegment buffer(int bid) {
        return data.asSlice((long) bid * size, size);
    }

    /** A completion took buffer {@code bid} out of the ring: it is ours until {@link #recycle}d. */
    public void taken() {
        available--;
    }

    /** Hands buffer {@code bid} back to the kernel. */
    public void recycle(int bid) {
        long at = UringLayout.BUF_SIZE * (tail & (count - 1));
        entries.set(JAVA_LONG, at + UringLayout.BUF_ADDR, data.address() + (long) bid * size);
        entries.set(JAVA_INT, at + UringLayout.BUF_LEN, size);
        entries.set(JAVA_SHORT, at + UringLayout.BUF_BID, (short) bid);
        tail++;
        TAIL.setRelease(entries, UringLayout.BUF_RING_TAIL, (short) tail);
        available++;
    }

    /** How many buffers the kernel may pick from now. */
    public int available() {
        return available;
    }

    /**
     * Unregisters the group and frees the memory. Call it only once no receive that may
     * pick a buffer is in flight: the kernel writes into a buffer it picked.
     */
    @Override
    public void close() {
        if (!registered) return;
        registered = false;
        MemorySegment reg = arena.allocate(UringLayout.BUF_REG_SIZE, 8);
        reg.set(JAVA_SHORT, UringLayout.BUF_REG_BGID, group);
        ring.register(Constants.IORING_UNREGISTER_PBUF_RING, reg, 1);
        arena.close();
    }
}
