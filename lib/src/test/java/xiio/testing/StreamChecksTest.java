package xiio.testing;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import xiio.core.Xiio;
import xiio.io.ForwardingStream;
import xiio.support.TcpPair;

/** The checks pass on streams that keep the interface's promises, real and in memory, and catch streams that break one. */
class StreamChecksTest {

    @Test
    void memoryStreamsPassOnAVirtualClock() throws Exception {
        VirtualClock.run(() -> {
            StreamChecks.checkTwoWayStream(() -> pair(Link.PERFECT));
            StreamChecks.checkTwoWayStream(() -> pair(Link.PERFECT.withLatency(Duration.ofMillis(1)).withCapacity(1000).withMaxRead(7)));
            return null;
        });
    }

    @Test
    void realTcpConnectionsPass() throws Exception {
        Xiio.run(() -> {
            StreamChecks.checkTwoWayStream(() -> {
                TcpPair p = TcpPair.open();
                return new StreamChecks.Pair(p.client(), p.server());
            });
            return null;
        });
    }

    @Test
    void aStreamThatLosesAByteIsCaught() throws Exception {
        AssertionError e = assertThrows(AssertionError.class, () -> VirtualClock.run(() -> {
            StreamChecks.checkTwoWayStream(() -> {
                StreamChecks.Pair p = pair(Link.PERFECT);
                return new StreamChecks.Pair(new ForwardingStream(p.a()) {
                    private long written;

                    @Override
                    public int write(byte[] buf, int off, int len) throws IOException {
                        if (len > 0 && written++ == 3) return super.write(buf, off + 1, len - 1) + 1; // drops one byte
                        return super.write(buf, off, len);
                    }
                }, p.b());
            });
            return null;
        }));
        assertTrue(e.getMessage().contains("bytes arrive intact"), e.getMessage());
    }

    @Test
    void aStreamWithoutEndOfStreamAfterShutdownIsCaught() throws Exception {
        AssertionError e = assertThrows(AssertionError.class, () -> VirtualClock.run(() -> {
            StreamChecks.checkTwoWayStream(() -> {
                StreamChecks.Pair p = pair(Link.PERFECT);
                return new StreamChecks.Pair(new ForwardingStream(p.a()) {
                    @Override
                    public void shutdownOutput() {} // forgets to tell the peer
                }, p.b());
            });
            return null;
        }));
        assertTrue(e.getMessage().contains("shutdownOutput"), e.getMessage());
    }

    @Test
    void aStreamThatReadsAfterCloseIsCaught() throws Exception {
        AssertionError e = assertThrows(AssertionError.class, () -> VirtualClock.run(() -> {
            StreamChecks.checkTwoWayStream(() -> {
                StreamChecks.Pair p = pair(Link.PERFECT);
                return new StreamChecks.Pair(new ForwardingStream(p.a()) {
                    boolean closed;

                    @Override
                    public int read(byte[] buf, int off, int len) throws IOException {
                        return closed ? -1 : super.read(buf, off, len); // EOF instead of an error
                    }

                    @Override
                    public void close() throws IOException {
                        closed = true;
                        super.close();
                    }
                }, p.b());
            });
            return null;
        }));
        assertTrue(e.getMessage().contains("close fails the closed end"), e.getMessage());
    }

    private static StreamChecks.Pair pair(Link link) {
        MemoryStream[] p = MemoryStream.pair(link, link);
        return new StreamChecks.Pair(p[0], p[1]);
    }

}
