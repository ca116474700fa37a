package xiio.core;

import java.io.IOException;
import java.time.Duration;

/**
 * Runs, once per JVM and on a thread of its own, the few paths a coroutine takes when
 * it is resumed to be cancelled, timed out or failed, so the JIT sees them before it
 * compiles the suspension point.
 *
 * <p>Why: C2 compiles a branch that profiling never saw taken as a trap, and every
 * coroutine suspended in that compiled code keeps it. The first time such a branch
 * runs for many suspended coroutines at once (a shutdown cancelling 100,000 sleeping
 * tasks, a mass timeout, an fd closed under many waiters), each frame traps and is
 * deoptimized on its own: {@code -Xlog:deoptimization} showed one
 * {@code unstable_if} in {@code Coroutine.yieldToResumer} per task, 1-2 s for 100,000
 * tasks in a fresh JVM, 30 ms once warm. Seen taken even once in the profile, the
 * branch is compiled as code. Frames above ours (the user's {@code finally} blocks)
 * are the user's code and can still trap the first time.
 *
 * <p>It costs a few milliseconds of one thread, off the caller's path, and touches no
 * fd: its run waits on a clock of its own. {@code -Dxiio.jitWarmUp=false} turns it off.
 */
final class JitWarmUp {
    private static final boolean ENABLED = !"false".equals(System.getProperty("xiio.jitWarmUp"));
    private static final int ROUNDS = 40, BATCH = 96;
    private static final IOException FAILURE = new IOException("warm-up failure");

    private JitWarmUp() {}

    /** Starts the warm-up thread; called once, when the first run of the JVM starts. */
    static void start() {
        if (!ENABLED) return;
        Thread t = new Thread(JitWarmUp::runQuietly, "xiio-jit-warmup");
        t.setDaemon(true);
        t.setPriority(Thread.MIN_PRIORITY);
        t.start();
    }

    private static void runQuietly() {
        try {
            Xiio.run(new ClockOnlyPoller(), () -> {
                for (int round = 0; round < ROUNDS; round++) round();
                return null;
            });
        } catch (Throwable ignored) {
            // a warm-up that fails costs only the speed it was to gain
        }
    }

    /** One batch of suspended coroutines, then each ended the way a shutdown ends them. */
    private static void round() throws IOException {
        WaitSet set = new WaitSet();
        Coroutine<?>[] batch = new Coroutine<?>[BATCH];
        for (int i = 0; i < BATCH; i++) {
            batch[i] = switch (i % 3) {
                case 0 -> Coroutine.create("warm-up sleeper", () -> {
                    Xiio.sleep(Duration.ofDays(1));
                    return null;
                });
                case 1 -> Coroutine.create("warm-up timeout", () -> CancelScope.open(Duration.ofNanos(1), s -> {
                    Xiio.sleep(Duration.ofDays(1));
                    return null;
                }));
                default -> Coroutine.create("warm-up waiter", () -> {
                    Xiio.sleep(Duration.ofDays(1));
                    return null;
                });
            };
            set.add(batch[i]);
        }
        for (Coroutine<?> c; (c = set.next()) != null; ) c.resume(); // all suspended now
        for (int i = 0; i < BATCH; i++) {
            if (i % 3 == 0) batch[i].cancel();
            else if (i % 3 == 2) batch[i].waiter.fail(FAILURE); // what a closed fd does to its waiters
        }
        while (set.size() > 0) drive(set);
    }

    private static void drive(WaitSet set) throws IOException {
        for (Coroutine<?> c; (c = set.next()) != null; ) c.resume();
        if (set.size() > 0) Xiio.await(set);
    }

    /** Time that jumps to the next deadline, and no fds: the warm-up must not open any. */
    private static final class ClockOnlyPoller implements Poller {
        private long now;

        @Override
        public long nanoTime() {
            return now;
        }

        @Override
        public int add(int fd, Readiness interest) {
            return -xiio.unix.Errno.EBADF;
        }

        @Override
        public int modify(int fd, Readiness interest) {
            return -xiio.unix.Errno.EBADF;
        }

        @Override
        public void delete(int fd) {}

        @Override
        public int wait(long timeoutNanos, ReadySink sink) {
            if (timeoutNanos > 0) now += timeoutNanos;
            return 0;
        }

        @Override
        public void close() {}
    }
}
