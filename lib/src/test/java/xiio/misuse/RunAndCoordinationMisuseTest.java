package xiio.misuse;

import java.io.IOException;
import java.time.Duration;
import java.util.stream.Stream;
import xiio.concurrent.Channel;
import xiio.concurrent.ChannelClosedException;
import xiio.concurrent.Lock;
import xiio.concurrent.Task;
import xiio.concurrent.TaskGroup;
import xiio.core.Coroutine;
import xiio.core.Promise;
import xiio.core.WaitSet;
import xiio.core.Xiio;
import xiio.io.Pipe;

/**
 * Misused runs, promises, coroutines, task groups, locks and channels.
 */
class RunAndCoordinationMisuseTest extends MisuseTable {
    static Stream<Row> rows() {
        return Stream.concat(promisesAndRuns(), coordination());
    }

    static Stream<Row> promisesAndRuns() {
        return Stream.of(
                outside("awaiting a promise of another run", IllegalStateException.class,
                        "this promise belongs to another Xiio.run; promises do not cross runs", () -> {
                    Promise<String> p = new Promise<>();
                    // A task of the first run waits on it (and gives up), which ties it to that
                    // run. Not a 1 ms timeout: a deadline that has passed by the time the wait
                    // is armed fires at once, and the promise never sees the run.
                    Xiio.run(() -> TaskGroup.scope(g -> {
                        Task<String> waiter = g.spawn("waiter", p::await);
                        Xiio.yieldNow(); // it starts, and its wait registers with p
                        waiter.cancel();
                        return null;
                    }));
                    return Xiio.run(p::await);
                }),
                inside("completing a promise twice", IllegalStateException.class,
                        "promise is already completed; a promise completes once (use tryComplete to race)", () -> {
                    Promise<String> p = new Promise<>();
                    p.complete("first");
                    p.complete("second");
                    return null;
                }),
                inside("failing a completed promise", IllegalStateException.class, "promise is already completed", () -> {
                    Promise<String> p = new Promise<>();
                    p.complete("first");
                    p.fail(new IOException("late"));
                    return null;
                }),
                outside("sleep outside Xiio.run", IllegalStateException.class,
                        "Xiio.sleep must be called inside Xiio.run(...): there is no running coroutine on thread",
                        () -> sleep(Duration.ofMillis(1))),
                outside("stream read outside Xiio.run", IllegalStateException.class,
                        "must be called inside Xiio.run(...)", () -> {
                    try (Pipe p = Pipe.open()) {
                        return p.reader().read(new byte[1], 0, 1);
                    }
                }),
                outside("promise await outside Xiio.run", IllegalStateException.class,
                        "Xiio.await must be called inside Xiio.run(...)", () -> new Promise<String>().await()),
                inside("nested Xiio.run", IllegalStateException.class,
                        "Xiio.run called inside coroutine 'main' of another run on this thread; nested runs would block the outer loop",
                        () -> Xiio.run(() -> "inner")));
    }

    static Stream<Row> coordination() {
        return Stream.of(
                inside("spawning into an exited task group", IllegalStateException.class,
                        "this task group has exited; spawn tasks inside TaskGroup.scope", () -> {
                    TaskGroup[] escaped = new TaskGroup[1];
                    TaskGroup.scope(g -> escaped[0] = g);
                    return escaped[0].spawn("late", () -> "never runs");
                }),
                inside("resuming a coroutine that is still waiting", IllegalStateException.class,
                        "coroutine 'sleeper' is still waiting for deadline(", RunAndCoordinationMisuseTest::resumeWhileWaiting),
                inside("resuming a coroutine that has ended", IllegalStateException.class,
                        "coroutine 'quick' has already ended", () -> {
                    WaitSet set = new WaitSet();
                    Coroutine<String> c = Coroutine.create("quick", () -> "done");
                    set.add(c);
                    set.next().resume();
                    c.resume();
                    return null;
                }),
                inside("a Lock unlocked by a coroutine that does not hold it", IllegalStateException.class,
                        "coroutine 'intruder' unlocked a lock held by coroutine 'holder'; only the holder may unlock it", () -> {
                    Lock lock = new Lock();
                    return TaskGroup.scope(g -> {
                        g.spawn("holder", () -> lock.withLock(() -> {
                            Xiio.sleep(Duration.ofSeconds(10)); // cancelled when the intruder fails
                            return null;
                        }));
                        g.spawn("intruder", () -> {
                            Xiio.yieldNow();
                            lock.unlock();
                            return null;
                        });
                        return null;
                    });
                }),
                inside("unlocking a Lock that is free", IllegalStateException.class,
                        "coroutine 'main' unlocked a lock that is not locked", () -> {
                    new Lock().unlock();
                    return null;
                }),
                inside("locking a Lock twice from one coroutine", IllegalStateException.class,
                        "coroutine 'main' already holds this lock; Lock is not reentrant", () -> {
                    Lock lock = new Lock();
                    lock.lock();
                    try {
                        lock.lock();
                    } finally {
                        lock.unlock();
                    }
                    return null;
                }),
                inside("sending on a closed Channel", ChannelClosedException.class,
                        "send() on a closed channel: the item was not sent", () -> {
                    Channel<String> ch = new Channel<>(4);
                    ch.close();
                    ch.send("lost?");
                    return null;
                }),
                inside("a sender waiting on a full Channel when it closes", ChannelClosedException.class,
                        "send() on a closed channel: the item was not sent", () -> {
                    Channel<String> ch = new Channel<>(1);
                    ch.send("fills it");
                    return TaskGroup.scope(g -> {
                        g.spawn("closer", () -> {
                            Xiio.sleep(Duration.ofMillis(1));
                            ch.close();
                            return null;
                        });
                        ch.send("waits");
                        return null;
                    });
                }),
                inside("receive on a closed and drained Channel", ChannelClosedException.class,
                        "receive() on a channel that is closed and drained", () -> {
                    Channel<String> ch = new Channel<>(4);
                    ch.close();
                    return ch.receive();
                }),
                inside("a Channel of capacity 0", IllegalArgumentException.class, "capacity must be at least 1, got 0",
                        () -> new Channel<String>(0)));
    }

    private static Object resumeWhileWaiting() throws IOException {
        WaitSet set = new WaitSet();
        Coroutine<Void> c = Coroutine.create("sleeper", () -> {
            Xiio.sleep(Duration.ofHours(1));
            return null;
        });
        set.add(c);
        set.next().resume(); // it starts and goes to sleep
        try {
            c.resume();
            return "resumed";
        } finally {
            // end it properly: cancel, then resume it when the set hands it out
            c.cancel();
            while (!c.isDone()) {
                Xiio.await(set);
                for (Coroutine<?> r; (r = set.next()) != null; ) r.resume();
            }
        }
    }
}
