package xiio.http.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.HexFormat;
import java.util.Random;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import xiio.thread.ThreadPool;

/**
 * Streaming both ways with backpressure: a handler that does not read its request
 * body stops the client (its writes block once the kernel's buffers are full; the
 * server buffers nothing of it), and a streamed response waits for a client that
 * does not read; both go on, every byte intact, once the other side reads.
 */
class StreamingBodiesTest {
    private static final int SIZE = 64 << 20;
    /** What the kernel may hold between the two ends on loopback (send and receive buffers, autotuned): far below 64 MiB. */
    private static final long KERNEL_BUFFERS = 16 << 20;

    @Test
    void aHandlerThatDoesNotReadYetStopsTheClient() throws Exception {
        byte[] piece = new byte[64 * 1024];
        new Random(8).nextBytes(piece);
        CountDownLatch released = new CountDownLatch(1);
        Handler slowReader = r -> {
            ThreadPool.runInThread(() -> released.await(20, TimeUnit.SECONDS)); // busy elsewhere until the client has looked
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            long n = 0;
            try (InputStream in = r.body().inputStream()) {
                byte[] buf = new byte[32 * 1024];
                for (int k; (k = in.read(buf)) > 0; n += k) md.update(buf, 0, k);
            }
            return Response.text(200, n + " " + HexFormat.of().formatHex(md.digest()) + "\n");
        };
        ServerFixture.withServer(slowReader, ServerConfig.DEFAULT.withMaxBodyBytes(SIZE), port -> {
            try (RawClient c = new RawClient(port)) {
                AtomicLong sent = new AtomicLong();
                Thread writer = Thread.ofPlatform().start(() -> {
                    try {
                        OutputStream out = c.socket().getOutputStream();
                        out.write(("POST / HTTP/1.1\r\nHost: x\r\nContent-Length: " + SIZE + "\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
                        for (int i = 0; i < SIZE / piece.length; i++) {
                            out.write(piece);
                            sent.addAndGet(piece.length);
                        }
                    } catch (java.io.IOException e) {
                        sent.set(-1);
                    }
                });
                Thread.sleep(500);
                long early = sent.get();
                System.out.println("the client wrote " + early + " bytes while the handler read none");
                released.countDown();
                RawClient.Answer answer = c.read();
                writer.join(20_000);
                assertTrue(early >= 0 && early < KERNEL_BUFFERS, "the client got " + early + " bytes out before the handler read any");
                MessageDigest md = MessageDigest.getInstance("SHA-256");
                for (int i = 0; i < SIZE / piece.length; i++) md.update(piece);
                assertEquals(SIZE + " " + HexFormat.of().formatHex(md.digest()) + "\n", answer.text(), "every byte arrived, in order");
                assertEquals(SIZE, sent.get());
            }
            return null;
        });
    }

    @Test
    void aStreamedResponseWaitsForAClientThatDoesNotReadThenGoesOn() throws Exception {
        AtomicLong written = new AtomicLong();
        byte[] piece = new byte[64 * 1024];
        for (int i = 0; i < piece.length; i++) piece[i] = (byte) i;
        Handler producer = r -> Response.stream(200, "application/octet-stream", out -> {
            for (int i = 0; i < SIZE / piece.length; i++) {
                out.write(piece, 0, piece.length); // waits while the client reads nothing
                written.set(out.bytesWritten());
            }
        });
        ServerFixture.withServer(producer, ServerConfig.DEFAULT, port -> {
            try (RawClient c = new RawClient(port)) {
                c.send("GET / HTTP/1.1\r\nHost: x\r\n\r\n");
                Thread.sleep(500);
                long early = written.get();
                System.out.println("the handler wrote " + early + " bytes while the client read none");
                assertTrue(early < KERNEL_BUFFERS, "the handler wrote " + early + " bytes to a client that read none");
                RawClient.Answer a = c.read();
                assertEquals("chunked", a.header("Transfer-Encoding"));
                assertEquals(SIZE, a.body().length);
                for (int i = 0; i < a.body().length; i += 4099) assertEquals((byte) (i % piece.length), a.body()[i], "byte " + i);
                assertEquals(SIZE, written.get());
            }
            return null;
        });
    }
}
