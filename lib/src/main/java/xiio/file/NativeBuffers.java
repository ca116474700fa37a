package xiio.file;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.ArrayDeque;

/**
 * Native memory for the transfers of one file. A pread on a worker or a read in the
 * ring cannot target a Java array: a heap segment may only be passed to a critical
 * downcall (which must not block, and a disk read may) and never to the kernel for
 * later. So each transfer copies through a native buffer that it owns until the
 * operation is over.
 *
 * <p>Buffers are power-of-two sized, from {@link #MIN} to {@link AsyncFile#MAX_TRANSFER},
 * and up to {@link #KEPT_BYTES} of them are kept for reuse. A buffer whose operation
 * was abandoned (its caller cancelled while a worker still reads into it) is simply
 * not given back: it belongs to an automatic arena, so it is freed once the worker
 * has let go of it and it is garbage. Used on one loop thread.
 */
final class NativeBuffers {
    static final int MIN = 4096;
    static final long KEPT_BYTES = 4L << 20;

    private final ArrayDeque<MemorySegment>[] free;
    private long keptBytes;

    @SuppressWarnings("unchecked")
    NativeBuffers() {
        free = new ArrayDeque[Integer.numberOfTrailingZeros(AsyncFile.MAX_TRANSFER / MIN) + 1];
        for (int i = 0; i < free.length; i++) free[i] = new ArrayDeque<>();
    }

    /** A buffer of at least {@code len} bytes ({@code 0 < len <= MAX_TRANSFER}). */
    MemorySegment take(int len) {
        int size = len <= MIN ? MIN : Integer.highestOneBit(len - 1) << 1; // the next power of two
        ArrayDeque<MemorySegment> list = free[slot(size)];
        MemorySegment kept = list.pollFirst();
        if (kept != null) {
            keptBytes -= size;
            return kept;
        }
        return Arena.ofAuto().allocate(size, 4096);
    }

    /** Gives back a buffer whose operation is over. */
    void give(MemorySegment buffer) {
        int size = (int) buffer.byteSize();
        if (keptBytes + size > KEPT_BYTES) return;
        keptBytes += size;
        free[slot(size)].addFirst(buffer);
    }

    private static int slot(int size) {
        return Integer.numberOfTrailingZeros(size / MIN);
    }
}
