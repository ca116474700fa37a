package xiio.core;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import xiio.testing.VirtualClock;

/**
 * The timer heap against a sorted set: random adds and removals by index in any
 * order, the earliest deadline right after every step; and, through a run, waiters
 * expire in deadline order, each once, and a removed one never.
 */
class TimerHeapTest {
    @Test
    void earliestIsTheSmallestDeadlineUnderRandomAddsAndRemoves() {
        for (long seed = 0; seed < 50; seed++) {
            Random random = new Random(seed);
            TimerHeap heap = new TimerHeap();
            TreeSet<Waiter> model = new TreeSet<>(Comparator.<Waiter>comparingLong(w -> w.deadline)
                    .thenComparingInt(System::identityHashCode));
            List<Waiter> in = new ArrayList<>();
            for (int step = 0; step < 2000; step++) {
                if (in.isEmpty() || random.nextInt(3) > 0) {
                    Waiter w = new Waiter(null);
                    w.deadline = random.nextInt(500); // ties on purpose
                    heap.add(w);
                    model.add(w);
                    in.add(w);
                } else {
                    Waiter w = in.remove(random.nextInt(in.size()));
                    heap.remove(w);
                    heap.remove(w); // a second removal is a no-op
                    model.remove(w);
                    assertEquals(-1, w.heapIndex, "seed " + seed + ": a removed waiter keeps no index");
                }
                assertEquals(model.size(), heap.size(), "seed " + seed + " step " + step);
                assertEquals(model.isEmpty() ? Deadlines.NEVER : model.first().deadline, heap.earliest(),
                        "seed " + seed + " step " + step);
            }
        }
    }

    @Test
    void waitersExpireInDeadlineOrderAndARemovedOneNever() throws Exception {
        List<Long> woke = VirtualClock.run(() -> {
            List<Long> order = new ArrayList<>();
            WaitSet set = new WaitSet();
            Random random = new Random(7);
            List<Coroutine<Void>> sleepers = new ArrayList<>();
            for (int i = 0; i < 200; i++) {
                long millis = 1 + random.nextInt(1000);
                Coroutine<Void> c = Coroutine.create("sleep " + millis, () -> {
                    Xiio.sleep(Duration.ofMillis(millis));
                    order.add(millis);
                    return null;
                });
                sleepers.add(c);
                set.add(c);
            }
            long start = Xiio.nanoTime();
            for (int i = 0; i < 200; i++) next(set).resume(); // every sleeper is in the heap now
            assertEquals(200, Coroutine.current().engine.timers.size());
            sleepers.get(0).cancel(); // out of the heap, never expires
            while (set.size() > 0) next(set).resume();
            assertEquals(0, Coroutine.current().engine.timers.size());
            assertEquals(true, Xiio.nanoTime() - start >= Duration.ofMillis(order.getLast()).toNanos());
            return order;
        });
        assertEquals(199, woke.size());
        List<Long> sorted = new ArrayList<>(woke);
        sorted.sort(null);
        assertEquals(sorted, woke);
    }

    private static Coroutine<?> next(WaitSet set) throws Exception {
        Coroutine<?> c;
        while ((c = set.next()) == null) Xiio.await(set);
        return c;
    }
}
