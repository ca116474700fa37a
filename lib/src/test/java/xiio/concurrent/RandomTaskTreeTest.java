package xiio.concurrent;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.Test;
import xiio.core.CancelScope;
import xiio.core.CancelledError;
import xiio.core.Suspendable;
import xiio.core.Xiio;
import xiio.support.TestPipe;
import xiio.testing.VirtualClock;

/**
 * Random trees of task groups, gathers and timeouts whose leaves sleep, wait on pipes,
 * complete, fail, swallow cancellation or await during cleanup, run on the virtual
 * clock. Each case checks the invariants below and runs twice to check that the same
 * seed gives the same trace. A failure names its seed: rerun it with
 * {@code -Dxiio.treeSeed=<seed>}.
 *
 * <ul>
 * <li>a group exits only after all its tasks ended;
 * <li>a group raises the first failure among its tasks (the body included);
 * <li>cleanup (finally) always runs, in every task that started, and no scope delivers
 *     its cancellation twice;
 * <li>a deadline's cancellation is delivered exactly at the deadline in virtual time;
 * <li>the same seed gives the same trace.
 * </ul>
 */
class RandomTaskTreeTest {
    private static final int CASES = Integer.getInteger("xiio.treeCases", 2000);

    /** What one run of a tree did, in order. */
    private static final class Trace {
        final List<String> events = new ArrayList<>();
        final Map<CancelScope, Long> deadlines = new IdentityHashMap<>();
        int started, cleanedUp;

        void add(String e) {
            events.add(Xiio.nanoTime() / 1_000_000 + "ms " + e);
        }
    }

    private static final class Failure extends Exception {
        Failure(String message) {
            super(message, null, false, false);
        }
    }

    @Test
    void invariantsHoldForRandomTrees() throws Exception {
        long only = Long.getLong("xiio.treeSeed", -1);
        long base = new Random().nextLong();
        int cases = only >= 0 ? 1 : CASES;
        for (int i = 0; i < cases; i++) {
            long seed = only >= 0 ? only : base + i;
            try {
                Trace first = runCase(seed);
                Trace second = runCase(seed);
                assertEquals(first.events, second.events, "same seed, different trace");
            } catch (Throwable t) {
                throw new AssertionError("random task tree failed for seed " + seed
                        + " (rerun with -Dxiio.treeSeed=" + seed + ")", t);
            }
        }
    }

    private static Trace runCase(long seed) throws Exception {
        Trace trace = new Trace();
        Random random = new Random(seed);
        Suspendable<String> root = node(random, trace, 0, "root");
        List<TestPipe> pipes = new ArrayList<>();
        try {
            String outcome = VirtualClock.run(() -> {
                try {
                    return "returned " + root.call();
                } catch (Failure | TimeoutException e) {
                    return "threw " + e.getMessage();
                }
            });
            trace.events.add("outcome: " + outcome);
        } finally {
            pipes.forEach(TestPipe::close);
        }
        assertEquals(trace.started, trace.cleanedUp, "every started task ran its cleanup; trace: " + trace.events);
        return trace;
    }

    /** A random node of the tree; its result is a short description. */
    private static Suspendable<String> node(Random random, Trace trace, int depth, String name) {
        int kind = depth >= 3 ? 4 + random.nextInt(6) : random.nextInt(10);
        return switch (kind) {
            case 0, 1 -> group(random, trace, depth, name);
            case 2 -> gather(random, trace, depth, name);
            case 3 -> timeout(random, trace, depth, name);
            default -> leaf(random, trace, name);
        };
    }

    private static Suspendable<String> group(Random random, Trace trace, int depth, String name) {
        int n = 1 + random.nextInt(4);
        List<Suspendable<String>> children = new ArrayList<>();
        for (int i = 0; i < n; i++) children.add(node(random, trace, depth + 1, name + "." + i));
        boolean bodyFails = random.nextInt(8) == 0;
        return () -> {
            List<Task<String>> tasks = new ArrayList<>();
            Throwable raised = null;
            List<String> failures = new ArrayList<>();
            try {
                return TaskGroup.scope(g -> {
                    for (int i = 0; i < children.size(); i++) {
                        Suspendable<String> child = children.get(i);
                        tasks.add(g.spawn(name + "." + i, () -> {
                            try {
                                return child.call();
                            } catch (Failure e) {
                                failures.add(e.getMessage());
                                throw e;
                            }
                        }));
                    }
                    Xiio.sleep(Duration.ofMillis(1));
                    if (bodyFails) {
                        failures.add(name + " body failed");
                        throw new Failure(name + " body failed");
                    }
                    return name + " ok";
                });
            } catch (Throwable t) {
                raised = t;
                throw t;
            } finally {
                for (Task<String> t : tasks) {
                    if (!t.isDone()) throw new AssertionError(name + ": group exited before task " + t.name() + " ended");
                }
                if (raised instanceof Failure f) {
                    assertEquals(failures.get(0), f.getMessage(), name + ": the first failure is the one raised");
                }
                trace.add(name + " group exited " + (raised == null ? "normally" : raised.getClass().getSimpleName()));
            }
        };
    }

    private static Suspendable<String> gather(Random random, Trace trace, int depth, String name) {
        int n = 1 + random.nextInt(3);
        List<Suspendable<String>> children = new ArrayList<>();
        for (int i = 0; i < n; i++) children.add(node(random, trace, depth + 1, name + "/" + i));
        return () -> {
            List<String> results = TaskGroup.gather(children);
            trace.add(name + " gathered " + results.size());
            return String.join(",", results);
        };
    }

    private static Suspendable<String> timeout(Random random, Trace trace, int depth, String name) {
        long limit = random.nextInt(50);
        Suspendable<String> child = node(random, trace, depth + 1, name + "~");
        boolean orNull = random.nextBoolean();
        return () -> {
            long start = Xiio.nanoTime();
            CancelScope[] scope = new CancelScope[1];
            String r = CancelScope.open(Duration.ofMillis(limit), s -> {
                scope[0] = s;
                trace.deadlines.put(s, start + Duration.ofMillis(limit).toNanos());
                return child.call();
            });
            if (scope[0].wasDelivered()) {
                trace.add(name + " timed out after " + limit + "ms");
                if (!orNull) throw new TimeoutException(name + " timed out");
                return null;
            }
            return r;
        };
    }

    private static Suspendable<String> leaf(Random random, Trace trace, String name) {
        int action = random.nextInt(6);
        long ms = random.nextInt(60);
        boolean swallow = random.nextInt(6) == 0;
        boolean slowCleanup = random.nextInt(4) == 0;
        return () -> {
            trace.started++;
            CancelScope[] cancelledBy = {null};
            try {
                switch (action) {
                    case 0 -> Xiio.sleep(Duration.ofMillis(ms));
                    case 1 -> waitOnPipe(ms);
                    case 2 -> { }
                    case 3 -> {
                        Xiio.sleep(Duration.ofMillis(ms));
                        throw new Failure(name + " failed");
                    }
                    default -> Xiio.sleep(Duration.ofMillis(ms * 2));
                }
                trace.add(name + " done");
                return name;
            } catch (CancelledError e) {
                Long deadline = trace.deadlines.get(e.scope());
                if (deadline != null && !e.getMessage().contains("cancelled")) {
                    assertEquals(deadline.longValue(), Xiio.nanoTime(), name + ": timeout delivered exactly at its deadline");
                }
                trace.add(name + " cancelled");
                cancelledBy[0] = e.scope();
                if (swallow) return name + " swallowed";
                throw e;
            } finally {
                trace.cleanedUp++;
                try {
                    if (slowCleanup) Xiio.sleep(Duration.ofMillis(3));
                } catch (CancelledError e) {
                    // a task may be cancelled during its finally (by an enclosing deadline, say),
                    // but a scope delivers its cancellation once
                    if (cancelledBy[0] == e.scope()) throw new AssertionError(name + ": cancelled twice by one scope", e);
                    trace.add(name + " cancelled during cleanup");
                    throw e;
                }
            }
        };
    }

    /** Waits for a byte that a sibling task writes into a real pipe after {@code ms}. */
    private static void waitOnPipe(long ms) throws Exception {
        try (TestPipe pipe = new TestPipe()) {
            TaskGroup.scope(g -> {
                g.spawn("writer", () -> {
                    Xiio.sleep(Duration.ofMillis(ms));
                    pipe.put("x");
                    return null;
                });
                if (Xiio.read(pipe.readFd, new byte[1]) != 1) throw new IOException("pipe gave no byte");
                return null;
            });
        }
    }
}
