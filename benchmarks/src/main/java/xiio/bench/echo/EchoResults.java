package xiio.bench.echo;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Every measurement of an echo benchmark run, by scenario and server, and the syscall counts. */
final class EchoResults {
    private final Map<Scenario, Map<EchoServerKind, List<LoadResult>>> runs = new LinkedHashMap<>();
    private final Map<EchoServerKind, SyscallCount> syscalls = new EnumMap<>(EchoServerKind.class);

    void add(Scenario s, EchoServerKind server, LoadResult r) {
        runs.computeIfAbsent(s, x -> new EnumMap<>(EchoServerKind.class)).computeIfAbsent(server, x -> new ArrayList<>()).add(r);
    }

    void addSyscalls(EchoServerKind server, SyscallCount count) {
        syscalls.put(server, count);
    }

    List<LoadResult> runs(Scenario s, EchoServerKind server) {
        return runs.getOrDefault(s, Map.of()).getOrDefault(server, List.of());
    }

    SyscallCount syscalls(EchoServerKind server) {
        return syscalls.get(server);
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
        syscalls.forEach((server, c) -> {
            if (c.failure() != null) problems.add("syscall count " + server.id + ": " + c.failure());
        });
        return problems;
    }
}
