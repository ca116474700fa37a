package xiio.support;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * The child processes of this JVM, zombies included, read from
 * {@code /proc/self/task/<tid>/children}: each thread lists the children it forked
 * (a child of an exited thread moves to another thread of the group, so the union
 * over all threads is every child of the process).
 */
public final class Children {
    private Children() {}

    /** Our children: pid to a description ("pid 123 sleep, state S"). */
    public static TreeMap<Integer, String> list() {
        TreeMap<Integer, String> children = new TreeMap<>();
        try (Stream<Path> tasks = Files.list(Path.of("/proc/self/task"))) {
            for (Path task : (Iterable<Path>) tasks::iterator) {
                String text;
                try {
                    text = Files.readString(task.resolve("children"));
                } catch (IOException threadGone) {
                    continue;
                }
                for (String pid : text.trim().split("\\s+")) {
                    if (!pid.isEmpty()) children.put(Integer.parseInt(pid), describe(pid));
                }
            }
        } catch (IOException e) {
            throw new IllegalStateException("cannot list /proc/self/task", e);
        }
        return children;
    }

    private static String describe(String pid) {
        try {
            String stat = Files.readString(Path.of("/proc", pid, "stat"));
            // "pid (comm) state ..." where comm may itself contain spaces and parentheses
            int open = stat.indexOf('('), close = stat.lastIndexOf(')');
            return "pid " + pid + " " + stat.substring(open + 1, close) + ", state " + stat.charAt(close + 2);
        } catch (IOException | RuntimeException gone) {
            return "pid " + pid + " (gone)";
        }
    }

    /** Fails unless every child not in {@code before} is gone within {@code millis}. */
    public static void assertNoneLeft(TreeMap<Integer, String> before, long millis) throws InterruptedException {
        long deadline = System.nanoTime() + millis * 1_000_000;
        List<String> left = new ArrayList<>();
        while (true) {
            left.clear();
            list().forEach((pid, what) -> {
                if (!before.containsKey(pid)) left.add(what);
            });
            if (left.isEmpty()) return;
            if (System.nanoTime() > deadline) break;
            Thread.sleep(10);
        }
        throw new AssertionError("child process(es) left behind (still running or unreaped zombies): " + left);
    }
}
