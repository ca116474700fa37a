package xiio.bench.echo;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import xiio.bench.PollerProbe;

/** Every measurement of an echo benchmark run, by scenario and server, and the syscall counts. */
final class EchoResults {
    private final Map<Scenario, Map<EchoServerKind, List<LoadResult>>> runs = new LinkedHashMap<>();
    private final Map<Scenario, Map<EchoServerKind, SyscallCount>> syscalls = new LinkedHashMap<>();
    private final Map<EchoServerKind, PollerProbe> pollers = new EnumMap<>(EchoServerKind.class);

    void add(Scenario s, EchoServerKind server, LoadResult r) {
        runs.computeIfAbsent(s, x -> new EnumMap<>(EchoServerKind.class)).computeIfAbsent(server, x -> new ArrayList<>()).add(r);
    }

    void addSyscalls(Scenario s, EchoServerKind server, SyscallCount count) {
        syscalls.computeIfAbsent(s, x -> new EnumMap<>(EchoServerKind.class)).put(server, count);
    }

    /** What the server's fds showed in its latest run; a later run replaces it, and one without a ring wins. */
    void addPoller(EchoServerKind server, PollerProbe probe) {
        PollerProbe before = pollers.get(server);
        if (before == null || before.usesIoUring()) pollers.put(server, probe);
    }

    PollerProbe poller(EchoServerKind server) {
        return pollers.get(server);
    }

    /** The table's name of {@code server}, saying so when it did not run on the poller its label names. */
    String label(EchoServerKind server) {
        PollerProbe p = pollers.get(server);
        if (p == null) return server.label;
        if (server.poller.equals("io_uring") && !p.usesIoUring()) return server.label + " — ran on " + p.seen() + ", no ring";
        if (server.poller.equals("epoll") && p.usesIoUring()) return server.label + " — held a ring";
        return server.label;
    }

    List<LoadResult> runs(Scenario s, EchoServerKind server) {
        return runs.getOrDefault(s, Map.of()).getOrDefault(server, List.of());
    }

    SyscallCount syscalls(Scenario s, EchoServerKind server) {
        return syscalls.getOrDefault(s, Map.of()).get(server);
    }

    /** The means over the runs that gave figures; null if none did. */
    EchoSummary summary(Scenario s, EchoServerKind server) {
        return EchoSummary.of(runs(s, server));
    }

    /** One line per run or syscall count that failed or saw errors. */
    List<String> problems() {
        List<String> problems = new ArrayList<>();
        runs.forEach((s, byServer) -> byServer.forEach((server, list) -> {
            for (int i = 0; i < list.size(); i++) {
                LoadResult r = list.get(i);
                if (r.ok()) continue;
                String what = r.failure() != null ? r.failure()
                        : r.errors() > 0 ? r.errors() + " errors" : "no round trip";
                problems.add(s.name() + " " + server.id + " run " + (i + 1) + ": " + what);
            }
        }));
        syscalls.forEach((s, byServer) -> byServer.forEach((server, c) -> {
            if (c.failure() != null) problems.add("syscall count " + s.name() + " " + server.id + ": " + c.failure());
        }));
        return problems;
    }
}
