package xiio.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * What a failure of the blocking wait does: an IOException (epoll_wait failed) is thrown
 * into main as a cancellation, so its cleanup runs, and then out of run as itself; an
 * Error or RuntimeException out of the engine is a bug or a StackOverflowError on books
 * that may be half written, so it ends the run at once, as itself (issue 12, defect 8).
 */
class EngineFailureTest {
    /** A poller whose first wait that may block fails with {@code failure}. */
    private static final class FailingPoller implements Poller {
        final Poller epoll;
        final Throwable failure;
        boolean failed;

        FailingPoller(Throwable failure) throws IOException {
            this.epoll = Poller.epoll();
            this.failure = failure;
        }

        @Override
        public long nanoTime() {
            return epoll.nanoTime();
        }

        @Override
        public int add(int fd, Readiness interest) {
            return epoll.add(fd, interest);
        }

        @Override
        public int modify(int fd, Readiness interest) {
            return epoll.modify(fd, interest);
        }

        @Override
        public void delete(int fd) {
            epoll.delete(fd);
        }

        @Override
        public int wait(long timeoutNanos, ReadySink sink) throws IOException {
            if (timeoutNanos != 0 && !failed) {
                failed = true;
                if (failure instanceof IOException e) throw e;
                throw (RuntimeException) failure;
            }
            return epoll.wait(timeoutNanos, sink);
        }

        @Override
        public void close() {
            epoll.close();
        }
    }

    private static Object sleepWithCleanup(List<String> log) {
        try {
            Xiio.sleep(Duration.ofMillis(50));
            return "slept";
        } finally {
            log.add("cleanup ran");
        }
    }

    @Test
    void aFailedWaitCancelsMainSoItsCleanupRunsThenRunThrowsTheFailure() throws Exception {
        IOException failure = new IOException("epoll_wait: EBADF");
        List<String> log = new ArrayList<>();
        IOException thrown = assertThrows(IOException.class,
                () -> Xiio.run(new FailingPoller(failure), () -> sleepWithCleanup(log)));
        assertSame(failure, thrown);
        assertEquals(List.of("cleanup ran"), log);
    }

    @Test
    void aRuntimeExceptionOutOfTheEngineEndsTheRunAtOnceAsItself() throws Exception {
        IllegalStateException bug = new IllegalStateException("a bug in the engine");
        List<String> log = new ArrayList<>();
        IllegalStateException thrown = assertThrows(IllegalStateException.class,
                () -> Xiio.run(new FailingPoller(bug), () -> sleepWithCleanup(log)));
        assertSame(bug, thrown);
        assertEquals(List.of(), log, "no cleanup on books that may be half written");
        assertEquals("next", Xiio.run(() -> "next"), "the next run works");
    }
}
