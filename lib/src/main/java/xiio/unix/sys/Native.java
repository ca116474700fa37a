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
    private static final ThreadLocal<Context> CONTEXT = ThreadLocal.withInitial(Context::new);

    /**
     * Per-thread call state: the errno capture segment, and the heap segments of the
     * last few arrays read into or written from. Wrapping the array anew on every call is
     * free only when the JIT's escape analysis removes the wrapper, which it does in
     * some compilations and not in others (an allocation test saw 0, 64 or 224 bytes
     * per round trip from run to run). Reusing the wrapper makes the steady state
     * allocate nothing whatever the JIT decides.
     */
    static final class Context {
        /** A reader and a writer buffer per stream, a few streams per step: a few ways are enough. */
        private static final int WAYS = 4;

        final MemorySegment capture = Arena.ofAuto().allocate(CAPTURE_LAYOUT);
        private final byte[][] arrays = new byte[WAYS][];
        private final MemorySegment[] wholes = new MemorySegment[WAYS];
        private final byte[][] sliceArrays = new byte[WAYS][];
        private final int[] sliceOffsets = new int[WAYS];
        private final MemorySegment[] slices = new MemorySegment[WAYS];
        private int nextWhole, nextSlice;

        /** {@code buf} from {@code off} on, as a segment (its end does not matter to the kernel: the call passes a length). */
        MemorySegment heap(byte[] buf, int off) {
            if (off != 0) return slice(buf, off);
            for (int i = 0; i < WAYS; i++) {
                if (arrays[i] == buf) return wholes[i];
            }
            int i = nextWhole;
            nextWhole = (i + 1) % WAYS;
            arrays[i] = buf;
            return wholes[i] = MemorySegment.ofArray(buf);
        }

        private MemorySegment slice(byte[] buf, int off) {
            for (int i = 0; i < WAYS; i++) {
                if (sliceArrays[i] == buf && sliceOffsets[i] == off) return slices[i];
            }
            int i = nextSlice;
            nextSlice = (i + 1) % WAYS;
            sliceArrays[i] = buf;
            sliceOffsets[i] = off;
            return slices[i] = heap(buf, 0).asSlice(off);
        }
    }

    /** The calling thread's call state. */
    static Context context() {
        return CONTEXT.get();
    }

    /** The calling thread's errno capture segment. */
    static MemorySegment capture() {
        return CONTEXT.get().capture;
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
