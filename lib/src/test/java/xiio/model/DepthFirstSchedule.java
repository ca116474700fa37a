package xiio.model;

import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * The schedule a depth-first driver gives, one of those the rules allow: each group's
 * owner, once resumed, resumes its ready members (and theirs, recursively) until none is
 * ready, and goes on at once when its group has emptied; only then does it wait again,
 * handing control back to its own owner. After a time advance control starts again at
 * main. Tasks woken by an fd run only when no other task is ready (the loop polls then).
 * The order among a group's members is first-to-last, last-to-first, random, or the
 * order in which their waits were fulfilled ({@link Order#FULFILLED}).
 */
final class DepthFirstSchedule implements Model.Policy {
    enum Order {
        FIRST, LAST, RANDOM,
        /**
         * What the runtime's wait sets do: a member is queued when its wait (or one of
         * its own members' waits) is fulfilled, and the queue is served first come, first
         * served. So a task whose sleep ends in the instant in which another task's timer
         * leads to a promise's failure runs before the promise's waiters do, and may end
         * before that failure cancels it. Ties (fulfilled in one pass of the model) go
         * first-to-last.
         */
        FULFILLED,
        /**
         * {@link #FULFILLED} with ties in random order: the runtime's order among waits
         * fulfilled by one event (a promise's waiters, timers with one deadline) is its
         * own business (listener and heap order), not something the rules fix.
         */
        FULFILLED_RANDOM_TIES
    }

    private final Order order;
    private final Random random;
    private final boolean deliverAtEmptyGroup;

    DepthFirstSchedule(Order order, long seed, boolean deliverAtEmptyGroup) {
        this.order = order;
        this.random = new Random(seed);
        this.deliverAtEmptyGroup = deliverAtEmptyGroup;
    }

    @Override
    public boolean deliverAtEmptyGroup() {
        return randomTies() ? random.nextBoolean() : deliverAtEmptyGroup;
    }

    @Override
    public int pick(List<ModelTask> ready, ModelTask last, ModelTask main) {
        Map<ModelTask, Integer> runnable = new IdentityHashMap<>();
        for (int i = 0; i < ready.size(); i++) if (!ready.get(i).fdWoken()) runnable.put(ready.get(i), i);
        if (runnable.isEmpty()) { // the loop polls: the fd-woken tasks, from the top
            for (int i = 0; i < ready.size(); i++) runnable.put(ready.get(i), i);
            last = null;
        }
        if (last != null && last.group != null && last.group.members.isEmpty()) {
            Integer owner = runnable.get(last.group.owner);
            if (owner != null) return owner;
        }
        // an owner that has just waited for its group is in its drive loop: its members first
        ModelGroup g = last == null ? null
                : last.wait instanceof ModelTask.GroupWait gw && last.state != ModelTask.State.DONE ? gw.group() : last.group;
        while (g != null) {
            ModelTask t = descendMembers(g, runnable);
            if (t != null) return runnable.get(t);
            g = g.owner.group; // nothing ready below: the owner waits, its own owner goes on
        }
        ModelTask t = descend(main, runnable);
        return t != null ? runnable.get(t) : runnable.values().iterator().next();
    }

    private ModelTask descend(ModelTask t, Map<ModelTask, Integer> runnable) {
        if (runnable.containsKey(t)) return t;
        if (t.wait instanceof ModelTask.GroupWait gw) return descendMembers(gw.group(), runnable);
        return null;
    }

    private boolean randomTies() {
        return order == Order.RANDOM || order == Order.FULFILLED_RANDOM_TIES;
    }

    /** When its subtree first had a task ready: when a wait set would have queued it. */
    private static long readySince(ModelTask t, Map<ModelTask, Integer> runnable) {
        if (runnable.containsKey(t)) return t.readySince;
        long since = Long.MAX_VALUE;
        if (t.wait instanceof ModelTask.GroupWait gw) {
            for (ModelTask m : gw.group().members) since = Math.min(since, readySince(m, runnable));
        }
        return since;
    }

    private ModelTask descendMembers(ModelGroup g, Map<ModelTask, Integer> runnable) {
        List<ModelTask> members = new ArrayList<>(g.members);
        if (order == Order.LAST) Collections.reverse(members);
        if (randomTies()) Collections.shuffle(members, random);
        if (order == Order.FULFILLED || order == Order.FULFILLED_RANDOM_TIES) {
            members.sort(Comparator.comparingLong(m -> readySince(m, runnable))); // stable: ties keep their order
        }
        for (ModelTask m : members) {
            ModelTask t = descend(m, runnable);
            if (t != null) return t;
        }
        return null;
    }
}
