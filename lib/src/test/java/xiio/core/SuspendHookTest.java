package xiio.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import xiio.concurrent.MemoryChannel;
import xiio.concurrent.TaskGroup;

/**
 * {@link CancelScope#completeOnSuspend}: the promise is completed when the scope's
 * coroutine suspends inside the scope (by any way of suspending: a sleep, an fd wait,
 * a hand-off, a task group waiting for its children), before anything else runs, and
 * never if the scope ends without suspending. The order of events is the oracle: an
 * observer task waiting on the promise writes down when it ran.
 */
class SuspendHookTest {
    @Test
    void theFirstSuspensionCompletesThePromiseBeforeOthersRun() throws Exception {
        List<String> events = new ArrayList<>();
        Xiio.run(() -> TaskGroup.scope(group -> {
            Promise<Void> suspended = new Promise<>();
            group.spawn("observer", () -> {
                Xiio.await(Condition.done(suspended));
                events.add("observer woke");
                return null;
            });
            Xiio.yieldNow(); // the observer now waits
            CancelScope.open(scope -> {
                scope.completeOnSuspend(suspended);
                events.add("body runs");
                assertFalse(suspended.isDone(), "not before the body suspends");
                Xiio.sleep(Duration.ofMillis(1));
                events.add("body resumed");
                return null;
            });
            return null;
        }));
        assertEquals(List.of("body runs", "observer woke", "body resumed"), events);
    }

    @Test
    void aScopeThatEndsWithoutSuspendingLeavesThePromiseAlone() throws Exception {
        Xiio.run(() -> {
            Promise<Void> p = new Promise<>();
            CancelScope.open(scope -> {
                scope.completeOnSuspend(p);
                return null;
            });
            Xiio.sleep(Duration.ofMillis(1)); // after the scope: not its suspension
            assertFalse(p.isDone());
            return null;
        });
    }

    @Test
    void aSuspensionInANestedScopeOrAHandOffOrAGroupCounts() throws Exception {
        Xiio.run(() -> {
            Promise<Void> nested = new Promise<>();
            CancelScope.open(outer -> {
                outer.completeOnSuspend(nested);
                return CancelScope.open(Duration.ofSeconds(5), inner -> {
                    Xiio.yieldNow();
                    return null;
                });
            });
            assertTrue(nested.isDone(), "a suspension in an inner scope is one in the outer scope too");

            Promise<Void> handOff = new Promise<>();
            MemoryChannel<String> ch = MemoryChannel.open(0);
            String got = TaskGroup.scope(group -> {
                group.spawn("sender", () -> {
                    ch.sender().send("x");
                    return null;
                });
                return CancelScope.open(scope -> {
                    scope.completeOnSuspend(handOff);
                    return ch.receiver().receive(); // waits for the sender: a hand-off
                });
            });
            assertEquals("x", got);
            assertTrue(handOff.isDone());

            Promise<Void> group = new Promise<>();
            CancelScope.open(scope -> {
                scope.completeOnSuspend(group);
                return TaskGroup.scope(g -> {
                    g.spawn("sleeper", () -> {
                        Xiio.sleep(Duration.ofMillis(2));
                        return null;
                    });
                    return null; // the group's owner waits for the sleeper: it suspends
                });
            });
            assertTrue(group.isDone());
            return null;
        });
    }

    @Test
    void calledFromAnotherCoroutineItCompletesAtOnce() throws Exception {
        Xiio.run(() -> TaskGroup.scope(group -> {
            Promise<Void> p = new Promise<>();
            Promise<CancelScope> opened = new Promise<>();
            group.spawn("owner", () -> CancelScope.open(scope -> {
                opened.complete(scope);
                Xiio.sleep(Duration.ofMillis(50));
                return null;
            }));
            Xiio.await(Condition.done(opened));
            opened.get().completeOnSuspend(p); // the owner is asleep in its scope right now
            assertTrue(p.isDone());
            return null;
        }));
    }

    @Test
    void misuseIsRefusedByName() throws Exception {
        Xiio.run(() -> {
            CancelScope[] ended = new CancelScope[1];
            CancelScope.open(scope -> {
                Promise<Void> p = new Promise<>();
                scope.completeOnSuspend(p);
                scope.completeOnSuspend(p); // the same one again: no change
                IllegalStateException other = assertThrows(IllegalStateException.class, () -> scope.completeOnSuspend(new Promise<>()));
                assertTrue(other.getMessage().contains("another promise"), other.getMessage());
                Promise<Void> done = new Promise<>();
                done.complete(null);
                scope.completeOnSuspend(done); // already done: nothing to do
                ended[0] = scope;
                return null;
            });
            IllegalStateException late = assertThrows(IllegalStateException.class, () -> ended[0].completeOnSuspend(new Promise<>()));
            assertTrue(late.getMessage().contains("ended"), late.getMessage());
            assertThrows(NullPointerException.class, () -> ended[0].completeOnSuspend(null));
            return null;
        });
    }

    @Test
    void aHookOfAScopeThatEndedDoesNotFireAtTheNextSuspension() throws Exception {
        Xiio.run(() -> {
            for (int i = 0; i < 1000; i++) { // every ended scope forgets its hook: none piles up
                Promise<Void> p = new Promise<>();
                CancelScope.open(scope -> {
                    scope.completeOnSuspend(p);
                    return null;
                });
                Xiio.yieldNow();
                assertFalse(p.isDone(), "round " + i);
            }
            return null;
        });
    }
}
