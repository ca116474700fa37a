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
 * virtual threads. Record them with {@code -XX:StartFlightRecording} (or attach JMC)
 * and look under "xiio".
 *
 * <p>Loading a JFR event class registers it, and the first registration initializes
 * JFR's metadata: about 120 ms. So nothing here is touched until JFR itself is
 * initialized (a recording was started); until then an event costs one static read.
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

    /** Whether JFR is up; cheap, and it never starts JFR. */
    static boolean active() {
        return jdk.jfr.FlightRecorder.isInitialized();
    }

    static void started(Coroutine<?> c) {
        if (!active()) return;
        TaskStart e = new TaskStart();
        if (e.isEnabled()) {
            e.name = c.name();
            e.commit();
        }
    }

    static void ended(Coroutine<?> c) {
        if (!active()) return;
        TaskEnd e = new TaskEnd();
        if (e.isEnabled()) {
            e.name = c.name();
            e.outcome = c.isCancelled() ? "cancelled" : c.failure() != null ? "failed: " + c.failure() : "returned";
            e.commit();
        }
    }

    /** A begun poller-wait event, or null when JFR is not up (then waits cost one static read more). */
    static PollerWait pollerWaitBegins() {
        if (!active()) return null;
        PollerWait event = new PollerWait();
        event.begin();
        return event;
    }

    static void pollerWaitEnds(PollerWait event, long timeout, int ready) {
        if (event.shouldCommit()) {
            event.timeout = timeout;
            event.ready = ready;
            event.commit();
        }
    }
}
