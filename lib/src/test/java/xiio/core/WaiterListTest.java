package xiio.core;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The O(1) waiter list against a plain set of (waiter, part) entries: random adds and
 * removes in any order, waiters listed under several parts at once, removals of entries
 * that are not there; after every step the list holds exactly what the set holds.
 */
class WaiterListTest {
    private record Entry(Waiter waiter, int part) {}

    @Test
    void behavesLikeASetOfEntriesUnderRandomAddsAndRemoves() {
        for (long seed = 0; seed < 100; seed++) {
            Random random = new Random(seed);
            List<Waiter> waiters = new ArrayList<>();
            for (int i = 0; i < 20; i++) waiters.add(new Waiter(null));
            WaiterList list = new WaiterList();
            Set<Entry> model = new HashSet<>();
            for (int step = 0; step < 400; step++) {
                Entry e = new Entry(waiters.get(random.nextInt(waiters.size())), random.nextInt(4));
                if (random.nextInt(3) > 0 && !model.contains(e)) {
                    list.add(e.waiter(), e.part());
                    model.add(e);
                } else {
                    list.remove(e.waiter(), e.part());
                    model.remove(e);
                }
                assertEquals(model.size(), list.size(), "seed " + seed + " step " + step);
                for (Entry m : model) {
                    int slot = m.waiter().slot(m.part());
                    assertEquals(true, slot >= 0 && slot < list.size(), "seed " + seed + ": " + m + " lost its place");
                }
            }
            // emptying from the end, as firing does, visits each entry once
            Set<Waiter> seen = new HashSet<>();
            while (list.size() > 0) {
                Waiter w = list.last();
                seen.add(w);
                for (int part = 0; part < 4; part++) list.remove(w, part);
            }
            Set<Waiter> expected = new HashSet<>();
            for (Entry m : model) expected.add(m.waiter());
            assertEquals(expected, seen, "seed " + seed);
        }
    }
}
