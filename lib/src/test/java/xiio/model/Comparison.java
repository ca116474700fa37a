package xiio.model;

/**
 * Runs one program on the model and on the runtime and compares the traces. The
 * rules leave the order of tasks within one instant open, so the real trace passes if
 * it equals the model's trace under some schedule: the standard ones (the first is what
 * a driver like the runtime's usually does), then {@code extraSchedules} random ones.
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
        Model.Outcome first = Model.run(p, Model.STANDARD.get(0));
        if (first.skip() != null) return new Verdict(first.skip(), false, null, null);
        Trace real = RealInterpreter.run(p);
        if (first.trace().equals(real)) return new Verdict(null, true, first.trace(), real);
        Trace closest = first.trace();
        for (int k = 1; k < Model.STANDARD.size() + extraSchedules; k++) {
            Model.Policy policy = k < Model.STANDARD.size() ? Model.STANDARD.get(k) : Model.random(k);
            Model.Outcome o = Model.run(p, policy);
            if (o.skip() != null) return new Verdict(o.skip(), false, null, null);
            if (o.trace().equals(real)) return new Verdict(null, true, o.trace(), real);
            if (o.trace().distance(real) < closest.distance(real)) closest = o.trace();
        }
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
