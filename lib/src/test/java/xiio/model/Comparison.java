package xiio.model;

import java.util.HashSet;
import java.util.Set;

/**
 * Runs one program on the model and on the runtime and compares the traces. The
 * rules leave the order of tasks within one instant open, so the real trace passes if
 * it equals the model's trace under some schedule: the standard ones first, then, only
 * when none matched, {@code extraSchedules} random ones.
 */
final class Comparison {
    /** {@code skip} non-null: the program says nothing (a hang, an open case); else whether it matched. */
    record Verdict(String skip, boolean matches, Trace model, Trace real) {
        String diff() {
            return model.diff(real);
        }
    }

    private Comparison() {}

    static Verdict check(Program p, int extraSchedules) throws Exception {
        Set<Trace> possible = new HashSet<>();
        Trace first = null;
        for (Model.Policy policy : Model.STANDARD) {
            Model.Outcome o = Model.run(p, policy);
            if (o.skip() != null) return new Verdict(o.skip(), false, null, null);
            if (first == null) first = o.trace();
            possible.add(o.trace());
        }
        Trace real = RealInterpreter.run(p);
        if (possible.contains(real)) return new Verdict(null, true, first, real);
        for (int k = 0; k < extraSchedules; k++) {
            Model.Outcome o = Model.run(p, Model.random(k));
            if (o.skip() != null) return new Verdict(o.skip(), false, null, null);
            if (o.trace().equals(real)) return new Verdict(null, true, o.trace(), real);
        }
        Trace closest = first;
        for (Trace t : possible) if (t.distance(real) < closest.distance(real)) closest = t;
        return new Verdict(null, false, closest, real);
    }

    /** Whether the program shows a mismatch (for the shrinker). */
    static boolean mismatches(Program p, int extraSchedules) {
        try {
            Verdict v = check(p, extraSchedules);
            return v.skip() == null && !v.matches();
        } catch (Exception e) {
            return false;
        }
    }
}
