package xiio.bench.core;

import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import xiio.concurrent.Channel;
import xiio.concurrent.TaskGroup;
import xiio.core.Xiio;

/**
 * The cost of a switch: two tasks bounce one item back and forth, so every hand-off
 * wakes the other side. xiio: two capacity-1 channels between two tasks of one run;
 * JDK: two virtual threads and two {@link SynchronousQueue}s. One op is one hand-off.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class PingPongBench {
    static final int ROUND_TRIPS = 10_000;
    static final int HAND_OFFS = 2 * ROUND_TRIPS;
    private static final Integer BALL = 1;

    @Setup
    public void checkBackend() {
        XiioBackendCheck.requireContinuation();
    }

    @Benchmark
    @OperationsPerInvocation(HAND_OFFS)
    public Object xiio() throws Exception {
        return Xiio.run(() -> TaskGroup.scope(group -> {
            Channel<Integer> ping = new Channel<>(1);
            Channel<Integer> pong = new Channel<>(1);
            group.spawn("ping", () -> {
                for (int i = 0; i < ROUND_TRIPS; i++) {
                    ping.send(BALL);
                    pong.receive();
                }
                return null;
            });
            group.spawn("pong", () -> {
                for (int i = 0; i < ROUND_TRIPS; i++) pong.send(ping.receive());
                return null;
            });
            return null;
        }));
    }

    @Benchmark
    @OperationsPerInvocation(HAND_OFFS)
    public void virtualThreads() throws InterruptedException {
        SynchronousQueue<Integer> ping = new SynchronousQueue<>();
        SynchronousQueue<Integer> pong = new SynchronousQueue<>();
        Thread pinger = Thread.ofVirtual().start(() -> {
            try {
                for (int i = 0; i < ROUND_TRIPS; i++) {
                    ping.put(BALL);
                    pong.take();
                }
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
        });
        Thread ponger = Thread.ofVirtual().start(() -> {
            try {
                for (int i = 0; i < ROUND_TRIPS; i++) pong.put(ping.take());
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
        });
        pinger.join();
        ponger.join();
    }
}
