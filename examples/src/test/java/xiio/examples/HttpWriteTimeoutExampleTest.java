package xiio.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InputStream;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import xiio.examples.support.ExampleProcess;
import xiio.examples.support.RawHttp;

/**
 * A client that stops reading its answer is given up on after {@code --io-timeout}:
 * without that limit it would hold its connection (and a graceful shutdown) forever.
 * The answer is a 16 MiB echo, more than the kernel's socket buffers hold (a
 * receive buffer grows only while its reader reads; Linux caps a send buffer at
 * 4 MiB by default), so the server's writes must wait for the client.
 */
class HttpWriteTimeoutExampleTest {
    private static final int BODY = 16 * 1024 * 1024;

    @Test
    void aClientThatTakesNoBytesIsDroppedAfterTheIoTimeout() throws Exception {
        try (ExampleProcess server = ExampleProcess.start("http", "--port", "0", "--log", "--io-timeout", "1s",
                "--max-body", Integer.toString(BODY))) {
            int port = Integer.parseInt(server.awaitLine("http listening on http://127.0.0.1:(\\d+)/").group(1));
            try (RawHttp c = new RawHttp(port)) {
                c.send("POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: " + BODY + "\r\n\r\n");
                c.send(new byte[BODY]); // the server reads it all before it answers, so this does not block
                long sent = System.nanoTime();

                server.awaitLine("127\\.0\\.0\\.1:\\d+ dropped: the client took no bytes for 1 s$", Duration.ofSeconds(20), false);
                assertTrue(System.nanoTime() - sent > 900_000_000L, "not before the 1 s limit");

                // what was already in the kernel's buffers arrives, then the end: the answer was cut short
                long received = 0;
                InputStream in = c.socket().getInputStream();
                byte[] buf = new byte[64 * 1024];
                try {
                    for (int n; (n = in.read(buf)) > 0; ) {
                        if (received == 0) assertEquals("HTTP/1.1 200 OK", new String(buf, 0, 15, StandardCharsets.ISO_8859_1));
                        received += n;
                    }
                } catch (SocketException reset) {
                    // a reset ends it as well
                }
                assertTrue(received < BODY, "only " + received + " of the " + BODY + " body bytes were sent");
            }
        }
    }
}
