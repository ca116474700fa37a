package xiio.unix.sys;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.VarHandle;

/**
 * The one place that binds libc symbols through the FFM linker and reads errno.
 *
 * <p>Every downcall made by this package captures errno into a per-thread segment
 * that is allocated once and reused: allocating it per call costs about five times
 * the call itself. No suspension can happen between a call and the read of its
 * errno, so a segment per OS thread (carrier or worker) is enough.
 */
public final class Native {
    private Native() {}

    static final Linker LINKER = Linker.nativeLinker();
    private static final StructLayout CAPTURE_LAYOUT = Linker.Option.captureStateLayout();
    private static final VarHandle ERRNO =
            CAPTURE_LAYOUT.varHandle(MemoryLayout.PathElement.groupElement("errno"));
    private static final ThreadLocal<MemorySegment> CAPTURE =
            ThreadLocal.withInitial(() -> Arena.ofAuto().allocate(CAPTURE_LAYOUT));

    /** The calling thread's errno capture segment. */
    static MemorySegment capture() {
        return CAPTURE.get();
    }

    /**
     * {@code buf} from {@code off} on, as a heap segment (its end does not matter to the
     * kernel: the call passes a length). Made per call, which is free only when the JIT's
     * escape analysis removes it; a hot path keeps {@link HeapSegments} of its buffers
     * and uses the segment overloads instead.
     */
    static MemorySegment heap(byte[] buf, int off) {
        MemorySegment whole = MemorySegment.ofArray(buf);
        return off == 0 ? whole : whole.asSlice(off);
    }

    /** The errno a call stored into {@code capture}. */
    static int errno(MemorySegment capture) {
        return (int) ERRNO.get(capture, 0L);
    }

    /**
     * A downcall handle for {@code name} whose first parameter is the errno capture
     * segment. {@code critical} calls may take heap segments and must never block:
     * use it only for calls on non-blocking fds.
     */
    static MethodHandle errnoCall(String name, FunctionDescriptor descriptor, boolean critical) {
        MemorySegment symbol = LINKER.defaultLookup().find(name)
                .orElseThrow(() -> new UnsatisfiedLinkError("libc has no symbol " + name));
        Linker.Option capture = Linker.Option.captureCallState("errno");
        return critical
                ? LINKER.downcallHandle(symbol, descriptor, capture, Linker.Option.critical(true))
                : LINKER.downcallHandle(symbol, descriptor, capture);
    }

    /** A downcall handle without errno capture, for calls that cannot fail. */
    static MethodHandle plainCall(String name, FunctionDescriptor descriptor) {
        MemorySegment symbol = LINKER.defaultLookup().find(name)
                .orElseThrow(() -> new UnsatisfiedLinkError("libc has no symbol " + name));
        return LINKER.downcallHandle(symbol, descriptor);
    }

    /** Rethrows what a {@code MethodHandle.invokeExact} threw; downcalls throw nothing checked. */
    static RuntimeException unexpected(Throwable t) {
        if (t instanceof RuntimeException r) return r;
        if (t instanceof Error e) throw e;
        return new IllegalStateException("native call failed", t);
    }
}
