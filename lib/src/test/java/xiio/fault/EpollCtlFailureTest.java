package xiio.fault;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import xiio.concurrent.TaskGroup;
import xiio.concurrent.Timeout;
import xiio.core.Poller;
import xiio.core.Xiio;
import xiio.io.StreamReader;
import xiio.support.Faults;
import xiio.support.Faults.Call;
import xiio.support.Payload;
import xiio.support.TcpPair;
import xiio.support.TestPipe;
import xiio.unix.Errno;
import xiio.unix.ErrnoException;

/**
 * epoll_ctl refusing a registration (ENOMEM: the kernel is out of memory for epoll
 * items, or max_user_watches is reached). The wait that needed it fails with an
 * exception naming the fd and the errno; nothing else in the loop notices, and the
 * same fd can be waited on again once the kernel has room.
 */
class EpollCtlFailureTest {

    @Test
    void theWaitThatCannotRegisterFailsAndOthersGoOn() throws Exception {
        try (Faults faults = Faults.install(); TestPipe refused = new TestPipe(); TestPipe fine = new TestPipe()) {
            Faults.Rule enomem = faults.on(Call.EPOLL_CTL).fd(refused.readFd).once().fail(Errno.ENOMEM);
            Xiio.run(Poller.epoll(), () -> TaskGroup.scope(g -> {
                g.spawn("unaffected", () -> {
                    EintrTest.pipeRoundTrip(fine);
                    return null;
                });
                byte[] buf = new byte[16];
                ErrnoException e = assertThrows(ErrnoException.class, () -> Xiio.read(refused.readFd, buf));
                assertEquals("wait for fd " + refused.readFd + " to be readable: ENOMEM (Cannot allocate memory)", e.getMessage());
                assertEquals(Errno.ENOMEM, e.errno());
                // the kernel has room again: the same fd registers and works
                EintrTest.pipeRoundTrip(refused);
                return null;
            }));
            assertEquals(1, enomem.hits());
        }
    }

    @Test
    void aRefusedWriteWaitLeavesTheReadWaitOnTheSameFdAlone() throws Exception {
        try (Faults faults = Faults.install()) {
            Xiio.run(Poller.epoll(), () -> {
                try (TcpPair pair = TcpPair.open()) {
                    int fd = pair.server().fd();
                    byte[] big = Payload.of(11, 64 * 1024);
                    String got = TaskGroup.scope(g -> {
                        var reader = g.spawn("reader", () -> new String(new StreamReader(pair.server()).readExactly(4)));
                        Xiio.yieldNow(); // the reader waits now: fd registered for input
                        // the writer fills the socket; its wait for room needs EPOLLOUT added, and that fails
                        faults.on(Call.EPOLL_CTL).fd(fd).once().fail(Errno.ENOMEM);
                        ErrnoException e = assertThrows(ErrnoException.class, () -> {
                            while (true) pair.server().writeAll(big, 0, big.length);
                        });
                        assertEquals("wait for fd " + fd + " to be writable: ENOMEM (Cannot allocate memory)", e.getMessage());
                        // the reader still waits, and still wakes
                        pair.client().writeAll("data".getBytes(), 0, 4);
                        return reader.join();
                    });
                    assertEquals("data", got);
                }
                return null;
            });
        }
    }

    @Test
    void aRefusedNarrowingDoesNotMakeTheLoopSpin() throws Exception {
        try (Faults faults = Faults.install(); TestPipe p = new TestPipe()) {
            Xiio.run(Poller.epoll(), () -> {
                byte[] buf = new byte[16];
                // a read that gives up leaves the fd registered for input, with nobody waiting
                assertNull(Timeout.withTimeoutOrNull(Duration.ofMillis(5), () -> Xiio.read(p.readFd, buf)));
                // data arrives: the loop sees an event nobody wants, and its DEL is refused once
                Faults.Rule refused = faults.on(Call.EPOLL_CTL).fd(p.readFd).once().fail(Errno.ENOMEM);
                p.put("x");
                int before = faults.calls(Call.EPOLL_WAIT);
                Xiio.sleep(Duration.ofMillis(100));
                int waits = faults.calls(Call.EPOLL_WAIT) - before;
                assertEquals(1, refused.hits());
                // level-triggered and still registered: it must try again, not forget the fd and spin
                assertTrue(waits <= 10, "epoll_wait called " + waits + " times during a 100 ms sleep");
                assertEquals(1, Xiio.read(p.readFd, buf));
                return null;
            });
        }
    }
}
