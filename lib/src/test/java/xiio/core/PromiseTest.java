package xiio.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import xiio.concurrent.TaskGroup;
import xiio.testing.VirtualClock;

class PromiseTest {

    @Test
    void manyWaitersGetTheValue() throws Exception {
        List<String> got = VirtualClock.run(() -> {
            Promise<String> p = new Promise<>();
            List<String> out = new ArrayList<>();
            TaskGroup.scope(g -> {
                for (int i = 0; i < 5; i++) g.spawn(() -> out.add(p.await()));
                Xiio.sleep(Duration.ofMillis(1));
                p.complete("v");
                return null;
            });
            return out;
        });
        assertEquals(List.of("v", "v", "v", "v", "v"), got);
    }

    @Test
    void failureIsThrownAsItself() throws Exception {
        IOException failure = new IOException("bad");
        VirtualClock.run(() -> {
            Promise<String> p = new Promise<>();
            p.fail(failure);
            assertSame(failure, assertThrows(IOException.class, p::await));
            return null;
        });
    }

    @Test
    void completingTwiceIsAnError() {
        Promise<String> p = new Promise<>();
        p.complete("a");
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> p.complete("b"));
        assertTrue(e.getMessage().contains("already completed"), e.getMessage());
        assertThrows(IllegalStateException.class, () -> p.fail(new IOException()));
        assertEquals(false, p.tryComplete("c"));
    }

    @Test
    void getBeforeDoneFails() {
        assertThrows(IllegalStateException.class, () -> new Promise<>().get());
    }

    @Test
    void awaitingAPromiseOfAnotherRunFails() throws Exception {
        AtomicReference<Promise<String>> shared = new AtomicReference<>();
        CountDownLatch armed = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        Thread other = Thread.ofPlatform().start(() -> {
            try {
                Xiio.run(() -> {
                    Promise<String> p = new Promise<>();
                    shared.set(p);
                    p.condition(); // nothing armed yet
                    return TaskGroup.scope(g -> {
                        g.spawn(() -> {
                            Xiio.await(Condition.done(p));
                            return null;
                        });
                        Xiio.sleep(Duration.ofMillis(20));
                        armed.countDown();
                        release.await();
                        p.complete("x");
                        return null;
                    });
                });
            } catch (Exception e) {
                throw new RuntimeException(e);
            }
        });
        armed.await();
        try {
            Xiio.run(() -> {
                IllegalStateException e = assertThrows(IllegalStateException.class, () -> shared.get().await());
                assertTrue(e.getMessage().contains("another Xiio.run"), e.getMessage());
                return null;
            });
        } finally {
            release.countDown();
            other.join();
        }
    }
}
