package xiio.bench.core;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import xiio.concurrent.TaskGroup;
import xiio.core.Xiio;

/**
 * 100,000 tasks that sleep an hour, all woken early: xiio cancels the group and waits
 * for it to end; the JDK interrupts 100,000 sleeping virtual threads and joins them.
 * One op is one task: its start, its timer, its cancellation and its end.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class SleepCancelBench {
    static final int TASKS = 100_000;
    private static final Duration HOUR = Duration.ofHours(1);

    @Setup
    public void checkBackend() {
        XiioBackendCheck.requireContinuation();
    }

    @Benchmark
    @OperationsPerInvocation(TASKS)
    public Object xiio() throws Exception {
        return Xiio.run(() -> TaskGroup.scope(group -> {
            int[] sleeping = {0};
            for (int i = 0; i < TASKS; i++) {
                group.spawn(() -> {
                    sleeping[0]++; // one thread: counted and asleep within the same resume
                    Xiio.sleep(HOUR);
                    return null;
                });
            }
            while (sleeping[0] < TASKS) Xiio.yieldNow();
            group.cancel();
            return null;
        }));
    }

    @Benchmark
    @OperationsPerInvocation(TASKS)
    public void virtualThreads() throws InterruptedException {
        CountDownLatch started = new CountDownLatch(TASKS);
        Runnable sleeper = () -> {
            started.countDown();
            try {
                Thread.sleep(HOUR);
                throw new IllegalStateException("slept an hour: the interrupt never came");
            } catch (InterruptedException expected) {
                // woken early, as the benchmark means it to be
            }
        };
        Thread[] threads = new Thread[TASKS];
        for (int i = 0; i < TASKS; i++) threads[i] = Thread.ofVirtual().start(sleeper);
        started.await();
        for (Thread t : threads) t.interrupt();
        for (Thread t : threads) t.join();
    }
}
