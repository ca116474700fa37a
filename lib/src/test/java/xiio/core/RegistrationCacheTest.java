package xiio.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import xiio.concurrent.TaskGroup;
import xiio.support.TestPipe;

/**
 * The fd table caches epoll registrations for the whole run, so a read loop makes no
 * epoll_ctl per message, also when more coroutines are woken at once than the fairness
 * bound lets run between two polls (then the loop polls while some are still queued, and
 * their fds are reported again: that must not narrow the interest, or every message
 * costs a MOD and an ADD; the echo benchmark caught 1.8 epoll_ctl per round trip).
 */
class RegistrationCacheTest {
    @Test
    void manyReadersWokenTogetherMakeNoEpollCtlPerMessage() throws Exception {
        int readers = 300, rounds = 20; // 300 woken at once: several fairness polls per round
        List<TestPipe> pipes = new ArrayList<>();
        for (int i = 0; i < readers; i++) pipes.add(new TestPipe());
        CountingPoller poller = new CountingPoller();
        try {
            int[] got = {0};
            Xiio.run(poller, () -> TaskGroup.scope(g -> {
                for (TestPipe p : pipes) {
                    g.spawn(() -> {
                        byte[] b = new byte[1];
                        for (int r = 0; r < rounds; r++) {
                            assertEquals(1, Xiio.read(p.readFd, b));
                            got[0]++;
                        }
                        return null;
                    });
                }
                for (int r = 0; r < rounds; r++) {
                    for (TestPipe p : pipes) p.put("x"); // every reader ready at once
                    while (got[0] < (r + 1) * readers) Xiio.yieldNow();
                }
                return null;
            }));
            assertEquals(readers * rounds, got[0]);
        } finally {
            pipes.forEach(TestPipe::close);
        }
        // one registration per fd, plus a few narrowings; not one per message
        assertTrue(poller.watches.size() <= 2 * readers, poller.watches.size() + " epoll_ctl for " + readers * rounds + " messages");
    }
}
