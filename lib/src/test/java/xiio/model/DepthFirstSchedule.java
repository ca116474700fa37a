package xiio.model;

import java.util.ArrayList;
import java.util.Collections;
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
 * The order among a group's members is first-to-last, last-to-first, or random.
 */
final class DepthFirstSchedule implements Model.Policy {
    enum Order { FIRST, LAST, RANDOM }

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
        return order == Order.RANDOM ? random.nextBoolean() : deliverAtEmptyGroup;
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

    private ModelTask descendMembers(ModelGroup g, Map<ModelTask, Integer> runnable) {
        List<ModelTask> members = new ArrayList<>(g.members);
        if (order == Order.LAST) Collections.reverse(members);
        if (order == Order.RANDOM) Collections.shuffle(members, random);
        for (ModelTask m : members) {
            ModelTask t = descend(m, runnable);
            if (t != null) return t;
        }
        return null;
    }
}
