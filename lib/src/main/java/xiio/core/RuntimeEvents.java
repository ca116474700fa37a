package xiio.core;

import jdk.jfr.Category;
import jdk.jfr.Description;
import jdk.jfr.Event;
import jdk.jfr.Label;
import jdk.jfr.Name;
import jdk.jfr.StackTrace;
import jdk.jfr.Timespan;

/**
 * The runtime's JFR events, so JDK Mission Control shows coroutines like it shows
 * virtual threads. They cost a field check when no recording is running.
 * Record them with {@code -XX:StartFlightRecording} and look under "xiio".
 */
final class RuntimeEvents {
    private RuntimeEvents() {}

    @Name("xiio.TaskStart")
    @Label("Coroutine Start")
    @Category("xiio")
    @Description("A coroutine ran for the first time")
    @StackTrace(false)
    static final class TaskStart extends Event {
        @Label("Name")
        String name;
    }

    @Name("xiio.TaskEnd")
    @Label("Coroutine End")
    @Category("xiio")
    @Description("A coroutine ended")
    @StackTrace(false)
    static final class TaskEnd extends Event {
        @Label("Name")
        String name;

        @Label("Outcome")
        String outcome;
    }

    @Name("xiio.SlowStep")
    @Label("Slow Step")
    @Category("xiio")
    @Description("A coroutine ran longer than the slow-step threshold without suspending, blocking the loop")
    @StackTrace(false)
    static final class SlowStep extends Event {
        @Label("Name")
        String name;

        @Label("Running For")
        @Timespan(Timespan.NANOSECONDS)
        long runningFor;

        @Label("Stack")
        String stack;
    }

    @Name("xiio.PollerWait")
    @Label("Poller Wait")
    @Category("xiio")
    @Description("The loop blocked in the poller (epoll_wait)")
    @StackTrace(false)
    static final class PollerWait extends Event {
        @Label("Timeout")
        @Timespan(Timespan.NANOSECONDS)
        long timeout;

        @Label("Ready Fds")
        int ready;
    }

    private static final TaskStart START_PROBE = new TaskStart();
    private static final TaskEnd END_PROBE = new TaskEnd();

    static void started(Coroutine<?> c) {
        if (START_PROBE.isEnabled()) {
            TaskStart e = new TaskStart();
            e.name = c.name();
            e.commit();
        }
    }

    static void ended(Coroutine<?> c) {
        if (END_PROBE.isEnabled()) {
            TaskEnd e = new TaskEnd();
            e.name = c.name();
            e.outcome = c.isCancelled() ? "cancelled" : c.failure() != null ? "failed: " + c.failure() : "returned";
            e.commit();
        }
    }
}
