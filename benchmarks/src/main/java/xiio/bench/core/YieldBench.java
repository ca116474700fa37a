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
 * Two tasks that each yield in a loop: {@code Xiio.yieldNow()} in one run against
 * {@code Thread.yield()} in two virtual threads. One op is one yield. The JDK's
 * scheduler has a carrier per CPU, so its two threads may each keep a carrier and
 * yield without switching; xiio's two tasks share one thread and always switch.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class YieldBench {
    static final int YIELDS_EACH = 10_000;
    static final int YIELDS = 2 * YIELDS_EACH;

    @Setup
    public void checkBackend() {
        XiioBackendCheck.requireContinuation();
    }

    @Benchmark
    @OperationsPerInvocation(YIELDS)
    public Object xiio() throws Exception {
        return Xiio.run(() -> TaskGroup.scope(group -> {
            for (int t = 0; t < 2; t++) {
                group.spawn("yielder", () -> {
                    for (int i = 0; i < YIELDS_EACH; i++) Xiio.yieldNow();
                    return null;
                });
            }
            return null;
        }));
    }

    @Benchmark
    @OperationsPerInvocation(YIELDS)
    public void virtualThreads() throws InterruptedException {
        Runnable yielder = () -> {
            for (int i = 0; i < YIELDS_EACH; i++) Thread.yield();
        };
        Thread a = Thread.ofVirtual().start(yielder);
        Thread b = Thread.ofVirtual().start(yielder);
        a.join();
        b.join();
    }
}
