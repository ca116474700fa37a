package xiio.model;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * What a run of a program showed, as the semantics define it: for each task (by path)
 * and for "run" (the caller of {@code Xiio.run}), the sequence of "ms event" entries.
 * Scopes and groups report what they returned or threw in the trace of the task they
 * ran in. The interleaving of different tasks within one instant is deliberately not
 * part of it.
 *
 * <p>Events: {@code start}, {@code done <step>[ = value]}, {@code fail <step> <exc>}
 * (a join or promise await that threw), {@code cancel <step> by <scope>},
 * {@code cleanup <try>}, {@code cleanup-done <try>}, {@code swallowed <try> <scope>},
 * {@code <scope|group> -> <value>}, {@code <scope|group> threw <exc>}, {@code end -> <value>},
 * {@code end threw <exc>}. Scopes are named by id, a task's own scope as {@code task:<path>}.
 */
final class Trace {
    private final Map<String, List<String>> byTask = new TreeMap<>();

    void add(String task, long ms, String event) {
        byTask.computeIfAbsent(task, k -> new ArrayList<>()).add(ms + " " + event);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Trace t && t.byTask.equals(byTask);
    }

    @Override
    public int hashCode() {
        return byTask.hashCode();
    }

    /** The entities whose sequences differ, each with both sequences. */
    String diff(Trace actual) {
        StringBuilder out = new StringBuilder();
        TreeSet<String> names = new TreeSet<>(byTask.keySet());
        names.addAll(actual.byTask.keySet());
        for (String n : names) {
            List<String> e = byTask.getOrDefault(n, List.of());
            List<String> a = actual.byTask.getOrDefault(n, List.of());
            if (e.equals(a)) continue;
            out.append("  ").append(n).append(":\n    model: ").append(e)
                    .append("\n    real:  ").append(a).append('\n');
        }
        return out.toString();
    }

    /** How many entries of the two traces differ, position by position: to show the closest model trace. */
    int distance(Trace other) {
        int d = 0;
        TreeSet<String> names = new TreeSet<>(byTask.keySet());
        names.addAll(other.byTask.keySet());
        for (String n : names) {
            List<String> a = byTask.getOrDefault(n, List.of()), b = other.byTask.getOrDefault(n, List.of());
            for (int i = 0; i < Math.max(a.size(), b.size()); i++) {
                if (i >= a.size() || i >= b.size() || !a.get(i).equals(b.get(i))) d++;
            }
        }
        return d;
    }

    @Override
    public String toString() {
        StringBuilder out = new StringBuilder();
        byTask.forEach((n, events) -> out.append("  ").append(n).append(": ").append(events).append('\n'));
        return out.toString();
    }
}
