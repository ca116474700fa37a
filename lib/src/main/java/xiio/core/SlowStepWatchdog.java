package xiio.core;

import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The slow-step warning, off by default (like asyncio's debug mode): with
 * {@code -Dxiio.slowStepMillis=N}, a coroutine that runs for more than N ms without
 * suspending is reported once, with its stack, through {@link System.Logger} (logger
 * "xiio") and as a JFR event. Such a step blocks every other coroutine of its run:
 * the usual culprits are a blocking call (file, JDBC, Thread.sleep), a busy loop, or
 * a monitor contended by another coroutine.
 *
 * <p>One daemon thread watches every run of the JVM; a run only stamps the time and
 * the running coroutine at each switch, and only when the warning is on.
 */
final class SlowStepWatchdog {
    static final long THRESHOLD_NANOS = Duration.ofMillis(Long.getLong("xiio.slowStepMillis", 0)).toNanos();
    static final boolean ENABLED = THRESHOLD_NANOS > 0;

    private static final System.Logger LOG = System.getLogger("xiio");
    private static final Set<Engine> ENGINES = ConcurrentHashMap.newKeySet();
    private static Thread thread;

    private SlowStepWatchdog() {}

    static synchronized void watch(Engine engine) {
        ENGINES.add(engine);
        if (thread == null) {
            thread = Thread.ofPlatform().daemon().name("xiio-slow-step-watchdog").start(SlowStepWatchdog::loop);
        }
    }

    static void unwatch(Engine engine) {
        ENGINES.remove(engine);
    }

    private static void loop() {
        long period = Math.max(1_000_000, THRESHOLD_NANOS / 4);
        while (true) {
            try {
                Thread.sleep(Duration.ofNanos(period));
            } catch (InterruptedException e) {
                return;
            }
            long now = System.nanoTime();
            for (Engine engine : ENGINES) check(engine, now);
        }
    }

    private static void check(Engine engine, long now) {
        Coroutine<?> c = engine.stepping;
        long start = engine.stepStart;
        if (c == null || start == engine.reportedStep || now - start < THRESHOLD_NANOS) return;
        engine.reportedStep = start;
        Thread t = c.strandThread();
        StackTraceElement[] stack = (t != null ? t : engine.thread).getStackTrace();
        if (engine.stepping != c || engine.stepStart != start) return; // it moved on meanwhile
        StringBuilder text = new StringBuilder();
        for (StackTraceElement f : stack) text.append("\n    at ").append(f);
        long ms = (now - start) / 1_000_000;
        LOG.log(System.Logger.Level.WARNING, "xiio: coroutine ''{0}'' has run for {1} ms without suspending;"
                + " it blocks every other coroutine of its run:{2}", c.name(), ms, text);
        if (RuntimeEvents.active()) {
            RuntimeEvents.SlowStep e = new RuntimeEvents.SlowStep();
            e.name = c.name();
            e.runningFor = now - start;
            e.stack = text.toString();
            e.commit();
        }
    }
}
