package xiio.core;

import java.util.ArrayList;
import java.util.List;

/**
 * A readable dump of the live task tree of the current run: each coroutine with its
 * name, its state, and where it is suspended. The tree follows task groups: a
 * coroutine's children are the members of the wait sets it owns.
 *
 * {@snippet :
 * System.err.println(TaskDump.current());
 * // main: resuming its tasks
 * //   task group body: running (taking this dump)
 * //       at MyServer.lambda$serve$0(MyServer.java:42)
 * //   conn 127.0.0.1:53122: waiting for readable(fd 12)
 * //       at xiio.net.TcpStream.read(TcpStream.java:71)
 * }
 */
public final class TaskDump {
    private TaskDump() {}

    /** Frames shown per suspended coroutine; the innermost runtime frames are skipped. */
    private static final int FRAMES = 6;

    /**
     * The task tree of the run the caller is in.
     *
     * @throws IllegalStateException outside {@link Xiio#run}
     */
    public static String current() {
        Coroutine<?> c = Coroutine.current("TaskDump.current");
        StringBuilder out = new StringBuilder();
        append(out, c.engine.root, 0, c);
        return out.toString();
    }

    /** The tree below {@code root}, one coroutine per line followed by its suspension point. */
    static void append(StringBuilder out, Coroutine<?> c, int depth, Coroutine<?> caller) {
        String indent = "  ".repeat(depth);
        out.append(indent).append(c.name()).append(": ").append(state(c, caller)).append('\n');
        if (c.isSuspended()) {
            for (StackTraceElement frame : userFrames(c.suspensionPoint())) {
                out.append(indent).append("    at ").append(frame).append('\n');
            }
        }
        for (WaitSet set = c.ownedSets; set != null; set = set.nextOwned) {
            List<Coroutine<?>> members = new ArrayList<>();
            set.forEachMember(members::add);
            for (int i = members.size() - 1; i >= 0; i--) append(out, members.get(i), depth + 1, caller);
        }
    }

    private static String state(Coroutine<?> c, Coroutine<?> caller) {
        if (c.isDone()) return "done";
        if (!c.isStarted()) return "not started";
        if (c.isSuspended()) return "waiting for " + c.waitingFor();
        return c == caller ? "running (taking this dump)" : "resuming its tasks";
    }

    /** The frames that are not the runtime's own machinery, at most {@link #FRAMES}. */
    private static List<StackTraceElement> userFrames(StackTraceElement[] stack) {
        List<StackTraceElement> frames = new ArrayList<>();
        for (int i = 0; i < stack.length && frames.size() < FRAMES; i++) {
            if (!isMachinery(stack[i])) frames.add(stack[i]);
        }
        return frames;
    }

    private static boolean isMachinery(StackTraceElement f) {
        String cls = f.getClassName();
        return cls.startsWith("jdk.internal.") || cls.startsWith("java.lang.VirtualThread")
                || cls.startsWith("java.util.concurrent.locks.LockSupport")
                || cls.startsWith("xiio.core.strand.") || cls.equals("xiio.core.Coroutine")
                || cls.equals("xiio.core.Xiio");
    }
}
