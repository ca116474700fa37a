package xiio.unix.sys;

import java.lang.foreign.MemorySegment;

/**
 * The project's one cache of heap segments: the segment of the array an owner last
 * passed to the kernel in one direction, and of the last offset into it. Each stream
 * or socket keeps one per direction.
 *
 * <p>A segment made per call is free only when the JIT's escape analysis removes it,
 * which some compilations do and others do not (an allocation test saw 0, 64 or 224
 * bytes per round trip from run to run). A per-thread cache of a few arrays missed
 * whenever a server had a buffer per connection (216 bytes per round trip with 16
 * connections); per owner, a connection's own buffers always hit. Not thread-safe:
 * an owner uses it from its loop.
 */
public final class HeapSegments {
    private byte[] array;
    private MemorySegment whole;
    private int sliceOffset;
    private MemorySegment slice;

    /**
     * {@code buf} from {@code off} on (its end does not matter to the kernel: the call
     * passes a length). The offset is one a buffered reader fills from, where its data ends.
     */
    public MemorySegment of(byte[] buf, int off) {
        if (buf != array) {
            array = buf;
            whole = MemorySegment.ofArray(buf);
            slice = null;
        }
        if (off == 0) return whole;
        if (slice == null || off != sliceOffset) {
            sliceOffset = off;
            slice = whole.asSlice(off);
        }
        return slice;
    }
}
