package xiio.unix.sys;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import xiio.concurrent.TaskGroup;
import xiio.core.Condition;
import xiio.core.Xiio;
import xiio.testing.VirtualClock;

/** An owned fd closes exactly once, says what it is, and a hand-off tells the loop at once. */
class OwnedFdTest {
    /** Counts the close(2) calls made for one fd, and makes them. */
    private static final class CountingCloses extends FileSyscalls {
        final int fd;
        final AtomicInteger closes = new AtomicInteger();

        CountingCloses(int fd) {
            this.fd = fd;
        }

        @Override
        protected int closeFd(int f) {
            if (f == fd) closes.incrementAndGet();
            return super.closeFd(f);
        }
    }

    @Test
    void closesExactlyOnceWhateverTheThreads() throws Exception {
        int[] pipe = FileSyscalls.get().pipe();
        CountingCloses table = new CountingCloses(pipe[0]);
        FileSyscalls previous = FileSyscalls.install(table);
        try {
            OwnedFd owned = new OwnedFd(pipe[0], "pipe read end");
            CountDownLatch start = new CountDownLatch(1);
            List<Thread> threads = new ArrayList<>();
            AtomicInteger failures = new AtomicInteger();
            for (int i = 0; i < 8; i++) {
                threads.add(Thread.ofPlatform().start(() -> {
                    try {
                        start.await();
                        if (owned.close() != 0) failures.incrementAndGet();
                    } catch (InterruptedException e) {
                        failures.incrementAndGet();
                    }
                }));
            }
            start.countDown();
            for (Thread t : threads) t.join();
            assertEquals(1, table.closes.get(), "close(2) calls");
            assertEquals(0, failures.get());
            assertFalse(owned.isOpen());
            assertEquals(0, owned.close(), "a later close is a no-op");
            assertEquals(1, table.closes.get());
        } finally {
            FileSyscalls.install(previous);
            FileSyscalls.get().close(pipe[1]);
        }
    }

    @Test
    void saysWhatItIsAlsoOnceClosed() throws Exception {
        int[] pipe = FileSyscalls.get().pipe();
        OwnedFd owned = new OwnedFd(pipe[0], "pipe read end");
        assertEquals("pipe read end (fd " + pipe[0] + ")", owned.toString());
        owned.close();
        FileSyscalls.get().close(pipe[1]);
        assertEquals("pipe read end (fd " + pipe[0] + ")", owned.toString());
        assertEquals(pipe[0], owned.fd());
        assertThrows(IllegalArgumentException.class, () -> new OwnedFd(-1, "nothing"));
    }

    @Test
    void aHandOffFailsTheLoopsWaitersAtOnceAndLeavesTheCloseToTheOtherThread() throws Exception {
        int[] pipe = FileSyscalls.get().pipe();
        OwnedFd owned = new OwnedFd(pipe[0], "pipe read end");
        try {
            VirtualClock.run(() -> TaskGroup.scope(g -> {
                var reader = g.spawn(() -> {
                    IOException e = assertThrows(IOException.class, () -> Xiio.await(Condition.readable(pipe[0])));
                    assertTrue(e.getMessage().contains("was closed"), e.getMessage());
                    return "failed cleanly";
                });
                Xiio.sleep(Duration.ofMillis(5));
                OwnedFd theirs = owned.handOff();
                assertEquals("failed cleanly", reader.join());
                assertFalse(owned.isOpen());
                assertTrue(theirs.isOpen());
                assertTrue(FileSyscalls.get().fcntl(pipe[0], Constants.F_GETFD, 0) >= 0, "the other thread closes it, not the hand-off");
                Thread closer = Thread.ofPlatform().start(theirs::close);
                closer.join();
                assertFalse(theirs.isOpen());
                assertThrows(IllegalStateException.class, owned::handOff);
                return null;
            }));
        } finally {
            FileSyscalls.get().close(pipe[1]);
        }
    }
}
