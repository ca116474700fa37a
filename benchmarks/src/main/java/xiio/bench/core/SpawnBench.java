package xiio.bench.core;

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
 * Start and join tasks that return at once: a task group of 10,000 against 10,000
 * virtual threads started, then joined. One op is one task.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class SpawnBench {
    static final int TASKS = 10_000;

    @Setup
    public void checkBackend() {
        XiioBackendCheck.requireContinuation();
    }

    @Benchmark
    @OperationsPerInvocation(TASKS)
    public Object xiio() throws Exception {
        // the group's scope returns once every task has ended: that is the join
        return Xiio.run(() -> TaskGroup.scope(group -> {
            for (int i = 0; i < TASKS; i++) group.spawn(() -> null);
            return null;
        }));
    }

    @Benchmark
    @OperationsPerInvocation(TASKS)
    public void virtualThreads() throws InterruptedException {
        Runnable nothing = () -> {};
        Thread[] threads = new Thread[TASKS];
        for (int i = 0; i < TASKS; i++) threads[i] = Thread.ofVirtual().start(nothing);
        for (Thread t : threads) t.join();
    }
}
