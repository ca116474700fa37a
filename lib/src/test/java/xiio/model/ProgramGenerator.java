package xiio.model;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import xiio.model.Program.*;

/**
 * Seeded random programs. Beside free random statements it emits three shapes often,
 * since they are where defects hid: an outer cancellation (a deadline, a cancel of an
 * enclosing scope, a task's own cancel) arriving while an inner scope's group waits for
 * cleanup that suspends or throws; many waiters on one event, promise or pipe, each
 * inside its own timeout; always-ready tasks beside sleepers in nested groups.
 *
 * <p>Joins only name siblings spawned earlier, so joins cannot wait in a cycle.
 */
final class ProgramGenerator {
    /** Where a statement is generated: what it may name, and what it may not do. */
    private record Ctx(int depth, String group, boolean isBody, List<String> scopes, List<String> groups,
            List<String> siblings, boolean cleanup) {
        Ctx withScope(String id) {
            return new Ctx(depth, group, isBody, plus(scopes, id), groups, siblings, cleanup);
        }

        Ctx inCleanup() {
            return new Ctx(depth, group, isBody, scopes, groups, siblings, true);
        }
    }

    private final Random r;
    private int counter;
    private int budget;
    private final boolean[] used = new boolean[3]; // event, promise, pipe

    private ProgramGenerator(long seed) {
        r = new Random(seed);
        budget = 12 + r.nextInt(28);
    }

    static Program generate(long seed) {
        ProgramGenerator g = new ProgramGenerator(seed);
        Ctx top = new Ctx(0, null, false, List.of(), List.of(), List.of(), false);
        List<Stmt> main = new ArrayList<>();
        int n = 1 + g.r.nextInt(2);
        for (int i = 0; i < n; i++) {
            main.addAll(switch (g.r.nextInt(6)) {
                case 0 -> g.cleanupRace(top);
                case 1 -> List.of(g.victimGroup(top));
                case 2 -> List.of(g.manyWaiters(top));
                default -> List.of(g.group(top));
            });
        }
        if (g.r.nextInt(4) == 0) main.add(g.sleep());
        return new Program(main, g.used[0] ? 1 : 0, g.used[1] ? 1 : 0, g.used[2] ? 1 : 0);
    }

    private String id(String prefix) {
        return prefix + ++counter;
    }

    private int ms(int max) {
        return 1 + r.nextInt(max);
    }

    private Sleep sleep() {
        budget--;
        return new Sleep(id("#"), ms(60));
    }

    private List<Stmt> block(Ctx c, int max) {
        List<Stmt> out = new ArrayList<>();
        int n = 1 + r.nextInt(max);
        for (int i = 0; i < n; i++) out.addAll(budget > 0 ? stmt(c) : List.of(sleep()));
        return out;
    }

    private List<Stmt> stmt(Ctx c) {
        budget--;
        int w = r.nextInt(100);
        if (w < 18) return List.of(new Sleep(id("#"), ms(60)));
        if (w < 24) return List.of(new Yield(id("#"), ms(12)));
        if (w < 29) return List.of(new Fail(id("#")));
        if (w < 31) return c.cleanup ? List.of(sleep()) : List.of(new Return(id("R")));
        if (w < 40) return c.depth < 3 ? List.of(group(c)) : List.of(sleep());
        if (w < 53) return List.of(scope(c));
        if (w < 64) {
            String id = id("F");
            return List.of(new Try(id, block(c, 3), cleanup(c.inCleanup())));
        }
        if (w < 69) return List.of(new Swallow(id("W"), block(c, 3)), sleep());
        if (w < 79) return cancel(c);
        if (w < 85) return List.of(awaitShared(r.nextInt(3)));
        if (w < 89) return List.of(sleep(), settle(r.nextInt(3)));
        if (w < 92 && !c.siblings.isEmpty()) return List.of(new Join(id("#"), pick(c.siblings)));
        if (c.depth < 2) {
            return switch (r.nextInt(3)) {
                case 0 -> cleanupRace(c);
                case 1 -> List.of(victimGroup(c));
                default -> List.of(manyWaiters(c));
            };
        }
        return List.of(sleep());
    }

    private Stmt scope(Ctx c) {
        String id = id("S");
        Program.ScopeKind kind = Program.ScopeKind.values()[r.nextInt(3)];
        int deadline = kind == Program.ScopeKind.OPEN && r.nextBoolean() ? -1 : ms(100);
        Ctx inner = kind == Program.ScopeKind.OPEN ? c.withScope(id) : c;
        return new Scope(id, kind, deadline, block(inner, 3));
    }

    /** Cleanup: suspends, throws, or both, most of the time. */
    private List<Stmt> cleanup(Ctx c) {
        budget--;
        return switch (r.nextInt(7)) {
            case 0 -> List.of(new Sleep(id("#"), ms(80)));
            case 1 -> List.of(new Sleep(id("#"), ms(80)), new Fail(id("#")));
            case 2 -> List.of(new Fail(id("#")));
            case 3 -> List.of(new Yield(id("#"), ms(8)), new Sleep(id("#"), ms(60)));
            case 4 -> List.of(new Scope(id("S"), Program.ScopeKind.TIMEOUT_OR_NULL, ms(60), List.of(new Sleep(id("#"), ms(80)))));
            case 5 -> List.of(new Swallow(id("W"), List.of(new Sleep(id("#"), ms(80)))), new Sleep(id("#"), ms(30)));
            default -> block(c, 2);
        };
    }

    private List<Stmt> cancel(Ctx c) {
        List<Stmt> out = new ArrayList<>();
        out.add(new Sleep(id("#"), ms(60)));
        int kind = r.nextInt(3);
        if (kind == 0 && !c.siblings.isEmpty()) out.add(new CancelTask(id("#"), pick(c.siblings)));
        else if (kind <= 1 && !c.scopes.isEmpty()) out.add(new CancelScopeStmt(id("#"), pick(c.scopes)));
        else if (!c.groups.isEmpty()) out.add(new CancelGroup(id("#"), pick(c.groups)));
        return out;
    }

    private Stmt awaitShared(int what) {
        used[what] = true;
        Stmt await = switch (what) {
            case 0 -> new AwaitEvent(id("#"), 0);
            case 1 -> new AwaitPromise(id("#"), 0);
            default -> new AwaitPipe(id("#"), 0);
        };
        // always inside its own timeout: a runtime that wrongly made a task uncancellable must
        // not hang the test (a new scope still works after a spent one)
        Program.ScopeKind kind = r.nextBoolean() ? Program.ScopeKind.TIMEOUT_OR_NULL : Program.ScopeKind.TIMEOUT;
        return new Scope(id("S"), kind, ms(90), List.of(await));
    }

    private Stmt settle(int what) {
        used[what] = true;
        return switch (what) {
            case 0 -> new SetEvent(id("#"), 0);
            case 1 -> new SettlePromise(id("#"), 0, r.nextInt(3) == 0);
            default -> new WritePipe(id("#"), 0);
        };
    }

    /** A group whose body spawns 1-3 random tasks, with random statements between. */
    private Stmt group(Ctx c) {
        String id = id("G");
        List<String> children = new ArrayList<>();
        Ctx body = new Ctx(c.depth + 1, id, true, c.scopes, plus(c.groups, id), children, false);
        List<Stmt> stmts = new ArrayList<>();
        int n = 1 + r.nextInt(3);
        for (int i = 0; i < n; i++) {
            if (r.nextInt(3) == 0) stmts.addAll(stmt(body));
            stmts.add(spawn(body, block(child(body), 4)));
        }
        if (r.nextBoolean()) stmts.addAll(stmt(body));
        return new Group(id, stmts);
    }

    private Ctx child(Ctx body) {
        return new Ctx(body.depth, body.group, false, body.scopes, body.groups, List.copyOf(body.siblings), false);
    }

    private Spawn spawn(Ctx body, List<Stmt> stmts) {
        Spawn s = new Spawn(id("T"), stmts);
        body.siblings.add(s.id());
        return s;
    }

    /**
     * An inner scope (a deadline, or a failing sibling) cancels a group whose task's
     * cleanup suspends or throws; an outer cancellation (a deadline, or a cancel of an
     * enclosing CancelScope from inside the group) arrives during that cleanup, or just
     * after it; code after the inner scope must then be cancelled, not run on.
     */
    private List<Stmt> cleanupRace(Ctx c) {
        budget -= 4;
        int d1 = 5 + r.nextInt(40), cleanupMs = 10 + r.nextInt(80), d2 = d1 + 1 + r.nextInt(cleanupMs + 20);
        String outerId = id("S");
        boolean outerIsCancel = r.nextInt(3) == 0;
        Program.ScopeKind outerKind = outerIsCancel ? Program.ScopeKind.OPEN : Program.ScopeKind.values()[r.nextInt(3)];
        String groupId = id("G");
        List<String> children = new ArrayList<>();
        Ctx outer = outerKind == Program.ScopeKind.OPEN ? c.withScope(outerId) : c;
        Ctx body = new Ctx(c.depth + 1, groupId, true, outer.scopes, plus(c.groups, groupId), children, false);
        List<Stmt> groupBody = new ArrayList<>();
        groupBody.add(spawn(body, List.of(new Try(id("F"), List.of(new Sleep(id("#"), d1 + 20 + ms(100))),
                cleanupOf(cleanupMs)))));
        if (outerIsCancel) {
            // a sibling that outlives the inner cancellation long enough to cancel the outer scope
            groupBody.add(spawn(body, List.of(new Try(id("F"), List.of(new Sleep(id("#"), 500)),
                    List.of(new Sleep(id("#"), d2 - d1), new CancelScopeStmt(id("#"), outerId))))));
        }
        if (r.nextInt(3) == 0) groupBody.add(spawn(body, block(child(body), 2)));
        boolean innerFails = r.nextInt(4) == 0;
        if (innerFails) groupBody.add(new Sleep(id("#"), d1));
        if (innerFails) groupBody.add(new Fail(id("#")));
        else groupBody.add(new Sleep(id("#"), 300));
        Stmt group = new Group(groupId, groupBody);
        Stmt inner = innerFails && r.nextBoolean()
                ? new Scope(id("S"), Program.ScopeKind.OPEN, -1, List.of(group))
                : new Scope(id("S"), Program.ScopeKind.values()[r.nextInt(3)], d1, List.of(group));
        List<Stmt> after = new ArrayList<>(List.of(new Sleep(id("#"), ms(300))));
        if (r.nextBoolean()) after.add(new Yield(id("#"), ms(5)));
        List<Stmt> outerBody = new ArrayList<>();
        outerBody.add(r.nextInt(4) == 0 ? new Swallow(id("W"), List.of(inner)) : inner);
        outerBody.addAll(after);
        return List.of(new Scope(outerId, outerKind, outerIsCancel ? -1 : d2, outerBody));
    }

    private List<Stmt> cleanupOf(int ms) {
        return switch (r.nextInt(5)) {
            case 0 -> List.of(new Sleep(id("#"), ms), new Fail(id("#")));
            case 1 -> List.of(new Fail(id("#")));
            case 2 -> List.of(new Yield(id("#"), ms(6)), new Sleep(id("#"), ms));
            default -> List.of(new Sleep(id("#"), ms));
        };
    }

    /** A victim task whose inner group cleans up slowly, cancelled by a sibling (or its group cancelled) meanwhile. */
    private Stmt victimGroup(Ctx c) {
        budget -= 4;
        int d1 = 5 + r.nextInt(40), cleanupMs = 10 + r.nextInt(80), d2 = d1 + 1 + r.nextInt(cleanupMs + 20);
        String groupId = id("G");
        List<String> children = new ArrayList<>();
        Ctx body = new Ctx(c.depth + 1, groupId, true, c.scopes, plus(c.groups, groupId), children, false);
        Ctx victimCtx = child(body);
        List<Stmt> victim = new ArrayList<>();
        List<Stmt> inner = List.of(new Group(id("G"), List.of(
                new Spawn(id("T"), List.of(new Try(id("F"), List.of(new Sleep(id("#"), 400)), cleanupOf(cleanupMs)))),
                new Sleep(id("#"), 400))));
        victim.add(new Scope(id("S"), Program.ScopeKind.values()[r.nextInt(3)], d1, inner));
        victim.add(new Sleep(id("#"), ms(300)));
        if (r.nextBoolean()) victim.addAll(stmt(victimCtx));
        List<Stmt> stmts = new ArrayList<>();
        Spawn v = spawn(body, victim);
        stmts.add(v);
        Stmt kill = r.nextInt(3) == 0 ? new CancelGroup(id("#"), groupId) : new CancelTask(id("#"), v.id());
        stmts.add(spawn(body, List.of(new Sleep(id("#"), d2), kill)));
        if (r.nextInt(3) == 0) stmts.add(spawn(body, block(child(body), 2)));
        return new Group(groupId, stmts);
    }

    /** Many tasks waiting on one event, promise or pipe, each in its own timeout, and the one that sets it. */
    private Stmt manyWaiters(Ctx c) {
        int what = r.nextInt(3);
        String groupId = id("G");
        List<String> children = new ArrayList<>();
        Ctx body = new Ctx(c.depth + 1, groupId, true, c.scopes, plus(c.groups, groupId), children, false);
        List<Stmt> stmts = new ArrayList<>();
        int n = 2 + r.nextInt(5);
        budget -= n;
        for (int i = 0; i < n; i++) {
            List<Stmt> waiter = new ArrayList<>();
            waiter.add(awaitShared(what));
            if (r.nextInt(3) == 0) waiter.add(new Sleep(id("#"), ms(40)));
            stmts.add(spawn(body, waiter));
        }
        stmts.add(spawn(body, List.of(new Sleep(id("#"), ms(100)), settle(what))));
        if (r.nextInt(3) == 0) stmts.add(spawn(body, List.of(new Yield(id("#"), ms(20)))));
        return new Group(groupId, stmts);
    }

    private String pick(List<String> from) {
        return from.get(r.nextInt(from.size()));
    }

    private static List<String> plus(List<String> list, String item) {
        List<String> out = new ArrayList<>(list);
        out.add(item);
        return List.copyOf(out);
    }
}
