package xiio.model;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import xiio.model.ModelValues.MExc;
import xiio.model.ModelValues.MScope;

/**
 * The oracle: a discrete-event simulation of the semantics (R1-R8 of the model test's
 * rules), written from the rules and not from the runtime. Time is a number of virtual
 * ms; it advances, to the earliest sleep end or scope deadline of a waiting task, only
 * when no task is ready (R6). Which ready task runs next within one instant is left to
 * a {@link Policy}: the rules do not fix it, so the real run's trace must equal the
 * trace of some policy.
 */
final class Model {
    /** Picks the index of the next task to run among the ready ones. */
    interface Policy {
        /** {@code last} is the task that ran last in this instant, null after a time advance. */
        int pick(List<ModelTask> ready, ModelTask last, ModelTask main);

        /** The one choice beside the order: see {@code ModelTask.resume}. */
        default boolean deliverAtEmptyGroup() {
            return true;
        }
    }

    /** The trace, or why the program says nothing about the semantics (a hang, a case the rules leave open). */
    record Outcome(Trace trace, String skip) {}

    private static final int STEP_LIMIT = 200_000;

    long now;
    final Trace trace = new Trace();
    final Map<String, ModelTask> tasks = new HashMap<>();
    final Map<String, MScope> scopes = new HashMap<>();
    final Map<String, ModelGroup> groups = new HashMap<>();
    final boolean[] eventSet, promiseDone, pipeWritten;
    final String[] promiseValue;
    final MExc[] promiseFailure;
    private final List<ModelTask> all = new ArrayList<>();
    private final List<ModelTask> ready = new ArrayList<>();
    private ModelTask main;
    private String skip;
    private Policy policy;
    /** Counts the passes that look for fulfilled waits: when a task became ready (ties in one pass). */
    private long pass;

    private Model(Program p) {
        eventSet = new boolean[p.events()];
        promiseDone = new boolean[p.promises()];
        promiseValue = new String[p.promises()];
        promiseFailure = new MExc[p.promises()];
        pipeWritten = new boolean[p.pipes()];
    }

    static Outcome run(Program p, Policy policy) {
        Model m = new Model(p);
        m.main = m.newTask("main", p.main(), 0, null, null);
        m.loop(policy);
        return new Outcome(m.trace, m.skip);
    }

    /** This is the model's event loop. */
    private void loop(Policy policy) {
        this.policy = policy;
        int steps = 0;
        ModelTask last = null;
        while (skip == null) {
            pass++;
            for (ModelTask t : all) {
                if (t.state == ModelTask.State.WAITING && (t.waitIsOver() || t.dueScope() != null)) {
                    t.state = ModelTask.State.READY;
                    t.readySince = pass;
                    ready.add(t);
                }
            }
            if (!ready.isEmpty()) {
                last = ready.remove(policy.pick(ready, last, main));
                last.resume();
                if (++steps > STEP_LIMIT) skip = "model: step limit";
                continue;
            }
            if (main.state == ModelTask.State.DONE) return;
            long next = ModelValues.NEVER;
            for (ModelTask t : all) if (t.state == ModelTask.State.WAITING) next = Math.min(next, t.nextTimer());
            if (next == ModelValues.NEVER) {
                skip = "hang: nothing can wake a waiting task";
                return;
            }
            now = next;
            last = null;
        }
    }

    ModelTask newTask(String path, List<Program.Stmt> body, int depth, ModelGroup group, ModelGroup bodyOf) {
        ModelTask t = new ModelTask(this, path, body, depth, group, bodyOf);
        all.add(t);
        if (group != null) group.members.add(t);
        t.readySince = pass;
        ready.add(t);
        return t;
    }

    boolean deliverAtEmptyGroup() {
        return policy.deliverAtEmptyGroup();
    }

    void unspecified(String why) {
        if (skip == null) skip = "unspecified: " + why;
    }

    void taskEnded(ModelTask t) {
        if (t != main) return;
        trace.add("run", now, t.failure != null ? "threw " + t.failure.describe(sc -> sc.name) : "-> " + t.result);
    }

    // the schedules tried first; on a mismatch the test also tries random ones
    static final Policy FIFO = (ready, last, main) -> 0;
    static final Policy LIFO = (ready, last, main) -> ready.size() - 1;
    static final Policy OUTER_FIRST = (ready, last, main) -> byDepth(ready, true);
    static final Policy INNER_FIRST = (ready, last, main) -> byDepth(ready, false);
    static final List<Policy> STANDARD = List.of(
            new DepthFirstSchedule(DepthFirstSchedule.Order.FULFILLED, 0, false),
            new DepthFirstSchedule(DepthFirstSchedule.Order.FULFILLED, 0, true),
            new DepthFirstSchedule(DepthFirstSchedule.Order.FIRST, 0, false),
            new DepthFirstSchedule(DepthFirstSchedule.Order.LAST, 0, false),
            new DepthFirstSchedule(DepthFirstSchedule.Order.FIRST, 0, true),
            new DepthFirstSchedule(DepthFirstSchedule.Order.LAST, 0, true),
            OUTER_FIRST, FIFO, INNER_FIRST, LIFO, lazy(OUTER_FIRST), lazy(FIFO), lazy(INNER_FIRST), lazy(LIFO));

    /** {@code p}, but a group that emptied returns before a due cancellation is delivered at it. */
    static Policy lazy(Policy p) {
        return new Policy() {
            public int pick(List<ModelTask> ready, ModelTask last, ModelTask main) {
                return p.pick(ready, last, main);
            }

            public boolean deliverAtEmptyGroup() {
                return false;
            }
        };
    }

    /**
     * Odd seeds: any ready task; the others a depth-first driver, with random member order
     * or (every fourth seed) in the order the waits were fulfilled, ties in random order.
     */
    static Policy random(long seed) {
        if (seed % 4 == 2) return new DepthFirstSchedule(DepthFirstSchedule.Order.FULFILLED_RANDOM_TIES, seed, false);
        if (seed % 2 == 0) return new DepthFirstSchedule(DepthFirstSchedule.Order.RANDOM, seed, false);
        Random r = new Random(seed);
        return new Policy() {
            public int pick(List<ModelTask> ready, ModelTask last, ModelTask main) {
                return r.nextInt(ready.size());
            }

            public boolean deliverAtEmptyGroup() {
                return r.nextBoolean();
            }
        };
    }

    private static int byDepth(List<ModelTask> ready, boolean outer) {
        int best = 0;
        for (int i = 1; i < ready.size(); i++) {
            int d = ready.get(i).depth, b = ready.get(best).depth;
            if (outer ? d < b : d > b) best = i;
        }
        return best;
    }
}
