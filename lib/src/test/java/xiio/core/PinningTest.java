package xiio.core;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import xiio.concurrent.TaskGroup;
import xiio.testing.VirtualClock;

/**
 * Suspending while holding a monitor or inside a native frame must not corrupt the
 * loop. Both backends can suspend holding a monitor (since JDK 24 the lock moves
 * with the continuation) and the loop goes on; a second coroutine of the same loop
 * that contends for that monitor would block the loop thread, like any blocking
 * call (documented as a pitfall; use xiio.concurrent.Lock). Inside a native frame the
 * continuation backend cannot suspend and says so; the virtual-thread backend can, as
 * many coroutines at once as there are carrier threads less one (the loop's own).
 */
class PinningTest {
    private static final Object LOCK = new Object();
    private static final boolean CONTINUATIONS = Xiio.backendIsContinuation();

    @Test
    void suspendingInsideSynchronized() throws Exception {
        List<String> events = VirtualClock.run(() -> {
            List<String> out = new ArrayList<>();
            TaskGroup.scope(g -> {
                g.spawn(() -> {
                    synchronized (LOCK) {
                        Xiio.sleep(Duration.ofMillis(5));
                        out.add("slept holding the monitor, still held: " + Thread.holdsLock(LOCK));
                    }
                    return null;
                });
                g.spawn(() -> {
                    Xiio.sleep(Duration.ofMillis(1));
                    out.add("sibling ran");
                    return null;
                });
                return null;
            });
            Xiio.sleep(Duration.ofMillis(1));
            out.add("loop still works");
            return out;
        });
        assertEquals(List.of("sibling ran", "slept holding the monitor, still held: true", "loop still works"), events);
    }

    private static final List<String> UPCALL_EVENTS = new ArrayList<>();

    /** A qsort comparator that tries to suspend inside the native qsort frame. */
    static int compare(MemorySegment a, MemorySegment b) {
        try {
            Xiio.sleep(Duration.ofMillis(1));
            UPCALL_EVENTS.add("slept in upcall");
        } catch (IllegalStateException e) {
            // an exception escaping an upcall would kill the JVM: record it instead
            UPCALL_EVENTS.add(e.getMessage().contains("native frame") ? "refused in upcall" : e.getMessage());
        }
        return Integer.compare(a.reinterpret(4).get(JAVA_INT, 0), b.reinterpret(4).get(JAVA_INT, 0));
    }

    /** libc's qsort(base, count, size, comparator). */
    private static MethodHandle qsort(Linker linker) {
        return linker.downcallHandle(linker.defaultLookup().find("qsort").orElseThrow(),
                FunctionDescriptor.ofVoid(ADDRESS, JAVA_LONG, JAVA_LONG, ADDRESS));
    }

    /** {@link #compare}, to become an upcall stub. */
    private static MethodHandle comparator() throws ReflectiveOperationException {
        return MethodHandles.lookup().findStatic(PinningTest.class, "compare",
                MethodType.methodType(int.class, MemorySegment.class, MemorySegment.class));
    }

    @Test
    void suspendingInsideANativeUpcall() throws Throwable {
        Linker linker = Linker.nativeLinker();
        MethodHandle qsort = qsort(linker);
        MethodHandle cmp = comparator();
        UPCALL_EVENTS.clear();
        int[] sorted = VirtualClock.run(() -> {
            try (Arena arena = Arena.ofConfined()) {
                MemorySegment fn = linker.upcallStub(cmp,
                        FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS), arena);
                MemorySegment array = arena.allocateFrom(JAVA_INT, 3, 1, 2);
                try {
                    qsort.invokeExact(array, 3L, 4L, fn);
                } catch (Throwable t) {
                    throw new AssertionError(t);
                }
                Xiio.sleep(Duration.ofMillis(1));
                return array.toArray(JAVA_INT);
            }
        });
        assertEquals(List.of(1, 2, 3), List.of(sorted[0], sorted[1], sorted[2]));
        String expected = CONTINUATIONS ? "refused in upcall" : "slept in upcall";
        assertTrue(!UPCALL_EVENTS.isEmpty() && UPCALL_EVENTS.stream().allMatch(expected::equals), UPCALL_EVENTS.toString());
    }

    /** The carrier threads of the JDK's virtual-thread scheduler. */
    private static int carriers() {
        return Integer.getInteger("jdk.virtualThreadScheduler.parallelism", Runtime.getRuntime().availableProcessors());
    }

    @Test
    void asManyCoroutinesAsCarriersLessOneCanSuspendInsideUpcallsAtOnce() throws Throwable {
        Linker linker = Linker.nativeLinker();
        MethodHandle qsort = qsort(linker);
        MethodHandle cmp = comparator();
        UPCALL_EVENTS.clear();
        int concurrent = CONTINUATIONS ? 4 : Math.max(1, carriers() - 1);
        VirtualClock.run(() -> TaskGroup.scope(g -> {
            for (int i = 0; i < concurrent; i++) {
                g.spawn("sorter " + i, () -> {
                    try (Arena arena = Arena.ofConfined()) {
                        MemorySegment fn = linker.upcallStub(cmp, FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS), arena);
                        MemorySegment array = arena.allocateFrom(JAVA_INT, 2, 1);
                        try {
                            qsort.invokeExact(array, 2L, 4L, fn);
                        } catch (Throwable t) {
                            throw new AssertionError(t);
                        }
                        return array.get(JAVA_INT, 0);
                    }
                });
            }
            return null;
        }));
        String expected = CONTINUATIONS ? "refused in upcall" : "slept in upcall";
        assertTrue(UPCALL_EVENTS.size() >= concurrent && UPCALL_EVENTS.stream().allMatch(expected::equals),
                UPCALL_EVENTS.toString());
    }
}
