package xiio.model;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;
import xiio.model.Program.*;

/**
 * Greedy shrinking of a failing program: delete a statement, replace a scope, try or
 * catch by its body, cut a yield to one; keep the first edit that still fails; repeat
 * until no edit does (or the attempt budget is spent).
 */
final class Shrinker {
    private Shrinker() {}

    static Program shrink(Program p, Predicate<Program> fails, int maxAttempts) {
        int attempts = 0;
        boolean progress = true;
        while (progress && attempts < maxAttempts) {
            progress = false;
            for (List<Stmt> main : variants(p.main())) {
                if (++attempts > maxAttempts) break;
                Program smaller = new Program(main, p.events(), p.promises(), p.pipes());
                if (fails.test(smaller)) {
                    p = smaller;
                    progress = true;
                    break;
                }
            }
        }
        return p;
    }

    static int size(List<Stmt> block) {
        int n = 0;
        for (Stmt s : block) {
            n++;
            for (List<Stmt> child : children(s)) n += size(child);
        }
        return n;
    }

    /** Every block that differs from {@code block} by one edit, deletions first. */
    private static List<List<Stmt>> variants(List<Stmt> block) {
        List<List<Stmt>> out = new ArrayList<>();
        for (int i = 0; i < block.size(); i++) out.add(replace(block, i, List.of()));
        for (int i = 0; i < block.size(); i++) {
            Stmt s = block.get(i);
            for (List<Stmt> inline : inlines(s)) out.add(replace(block, i, inline));
            for (Stmt smaller : inner(s)) out.add(replace(block, i, List.of(smaller)));
        }
        return out;
    }

    private static List<List<Stmt>> inlines(Stmt s) {
        return switch (s) {
            case Scope x -> List.of(x.body());
            case Swallow x -> List.of(x.body());
            case Try x -> List.of(x.body(), concat(x.body(), x.cleanup()));
            case Yield x when x.times() > 1 -> List.of(List.of(new Yield(x.id(), 1)));
            default -> List.of();
        };
    }

    /** The statement with one edit inside one of its blocks. */
    private static List<Stmt> inner(Stmt s) {
        List<Stmt> out = new ArrayList<>();
        switch (s) {
            case Group x -> variants(x.body()).forEach(b -> out.add(new Group(x.id(), b)));
            case Spawn x -> variants(x.body()).forEach(b -> out.add(new Spawn(x.id(), b)));
            case Scope x -> variants(x.body()).forEach(b -> out.add(new Scope(x.id(), x.kind(), x.deadlineMs(), b)));
            case Swallow x -> variants(x.body()).forEach(b -> out.add(new Swallow(x.id(), b)));
            case Try x -> {
                variants(x.body()).forEach(b -> out.add(new Try(x.id(), b, x.cleanup())));
                variants(x.cleanup()).forEach(b -> out.add(new Try(x.id(), x.body(), b)));
            }
            default -> {}
        }
        return out;
    }

    private static List<List<Stmt>> children(Stmt s) {
        return switch (s) {
            case Group x -> List.of(x.body());
            case Spawn x -> List.of(x.body());
            case Scope x -> List.of(x.body());
            case Swallow x -> List.of(x.body());
            case Try x -> List.of(x.body(), x.cleanup());
            default -> List.of();
        };
    }

    private static List<Stmt> replace(List<Stmt> block, int i, List<Stmt> with) {
        List<Stmt> out = new ArrayList<>(block.subList(0, i));
        out.addAll(with);
        out.addAll(block.subList(i + 1, block.size()));
        return out;
    }

    private static List<Stmt> concat(List<Stmt> a, List<Stmt> b) {
        List<Stmt> out = new ArrayList<>(a);
        out.addAll(b);
        return out;
    }
}
