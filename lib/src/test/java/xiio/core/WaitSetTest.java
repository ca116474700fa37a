package xiio.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import xiio.support.TestPipe;
import xiio.testing.VirtualClock;

/**
 * The union of many waits as a scheduler sees it: new members are ready at once,
 * only members whose waits came true are handed out, in the order they came true,
 * idle members cost nothing, members that end leave, and sets nest. Time is virtual.
 */
class WaitSetTest {
    /** Resumes the next ready member of {@code set}, awaiting the set while none is handed out. */
    private static String resumeNext(WaitSet set) throws Exception {
        Coroutine<?> c;
        while ((c = set.next()) == null) Xiio.await(set);
        c.resume();
        return c.name();
    }

    private static Coroutine<Void> sleeper(String name, long millis) {
        return Coroutine.create(name, () -> {
            Xiio.sleep(Duration.ofMillis(millis));
            return null;
        });
    }

    @Test
    void newMembersAreReadyAtOnceThenHandedOutInTheOrderTheirWaitsComeTrue() throws Exception {
        List<String> order = VirtualClock.run(() -> {
            WaitSet set = new WaitSet();
            set.add(sleeper("a", 30));
            set.add(sleeper("b", 10));
            set.add(sleeper("c", 20));
            assertEquals(3, set.size());
            assertTrue(set.hasReady(), "members that have not started are ready");
            List<String> names = new ArrayList<>();
            while (set.size() > 0) names.add(resumeNext(set));
            assertNull(set.next());
            return names;
        });
        assertEquals(List.of("a", "b", "c", "b", "c", "a"), order);
    }

    @Test
    void idleMembersAreNotHandedOutAndEndedMembersLeave() throws Exception {
        try (TestPipe pipe = new TestPipe()) {
            VirtualClock.run(() -> {
                WaitSet set = new WaitSet();
                List<Coroutine<Void>> idle = new ArrayList<>();
                for (int i = 0; i < 1000; i++) {
                    Coroutine<Void> c = Coroutine.create("idle-" + i, () -> {
                        Xiio.await(Condition.readable(pipe.readFd));
                        return null;
                    });
                    idle.add(c);
                    set.add(c);
                }
                set.add(sleeper("sleeper", 5));
                for (int i = 0; i < 1001; i++) resumeNext(set); // everyone starts and suspends
                assertEquals(1001, set.size());
                assertEquals("sleeper", resumeNext(set));
                assertEquals(1000, set.size(), "the sleeper ended and left");
                assertEquals(false, set.hasReady(), "no idle reader was queued");
                for (Coroutine<Void> c : idle) c.cancel();
                for (int i = 0; i < 1000; i++) resumeNext(set);
                assertEquals(0, set.size());
                return null;
            });
        }
    }

    @Test
    void setsNestAMemberAwaitingItsOwnSetIsReadyWhenAnInnerMemberIs() throws Exception {
        List<String> order = VirtualClock.run(() -> {
            List<String> names = new ArrayList<>();
            WaitSet outer = new WaitSet();
            outer.add(Coroutine.create("inner-scheduler", () -> {
                WaitSet inner = new WaitSet();
                inner.add(sleeper("deep", 10));
                while (inner.size() > 0) names.add(resumeNext(inner));
                return null;
            }));
            outer.add(sleeper("shallow", 20));
            while (outer.size() > 0) names.add(resumeNext(outer));
            return names;
        });
        // the inner scheduler starts deep, then wakes for it at 10 ms, before shallow at 20
        assertEquals(List.of("deep", "inner-scheduler", "shallow", "deep", "inner-scheduler", "shallow"), order);
    }

    @Test
    void onlyTheOwnerMayAwaitASetAndAMemberJoinsOneSetOnly() throws Exception {
        VirtualClock.run(() -> {
            WaitSet set = new WaitSet();
            Coroutine<Void> member = sleeper("m", 1);
            set.add(member);
            IllegalStateException twice = assertThrows(IllegalStateException.class, () -> set.add(member));
            assertTrue(twice.getMessage().contains("already belongs to a WaitSet"), twice.getMessage());
            Coroutine<Throwable> stranger = Coroutine.create("stranger", () -> {
                try {
                    Xiio.await(set);
                    return null;
                } catch (IllegalStateException e) {
                    return e;
                }
            });
            WaitSet others = new WaitSet(); // the stranger's own scheduler
            others.add(stranger);
            while (others.size() > 0) resumeNext(others); // arming its wait fails at its suspension point
            assertTrue(stranger.isDone());
            assertTrue(String.valueOf(stranger.result()).contains("only the coroutine that created a WaitSet may await it"),
                    String.valueOf(stranger.result()));
            while (set.size() > 0) resumeNext(set);
            return null;
        });
    }
}
