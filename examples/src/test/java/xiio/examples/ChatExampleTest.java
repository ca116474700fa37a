package xiio.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import xiio.examples.support.ExampleProcess;
import xiio.signal.Signal;

/** The chat server run for real in its own JVM, with plain blocking sockets as clients. */
class ChatExampleTest {
    private ExampleProcess server;
    private int port;

    @BeforeEach
    void startServer() throws Exception {
        server = ExampleProcess.start("chat", "--port", "0", "--queue", "16");
        port = Integer.parseInt(server.awaitLine("chat listening on .*:(\\d+)").group(1));
    }

    @AfterEach
    void stopServer() throws Exception {
        server.close();
    }

    /** A test client: a socket with a line reader, and a read timeout so no test can hang. */
    static final class Client implements AutoCloseable {
        final Socket socket;
        final BufferedReader in;
        final PrintWriter out;

        Client(int port, int receiveBuffer) throws IOException {
            socket = new Socket();
            if (receiveBuffer > 0) socket.setReceiveBufferSize(receiveBuffer); // before connect: sets the window
            socket.connect(new InetSocketAddress("127.0.0.1", port), 5000);
            socket.setSoTimeout(10_000);
            in = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8));
            out = new PrintWriter(socket.getOutputStream(), true, StandardCharsets.UTF_8);
        }

        Client(int port) throws IOException {
            this(port, 0);
        }

        /** Reads lines until one starts with {@code prefix}, and returns it. */
        String awaitLine(String prefix) throws IOException {
            for (String line; (line = in.readLine()) != null; ) {
                if (line.startsWith(prefix)) return line;
            }
            throw new AssertionError("connection ended before a line starting with '" + prefix + "'");
        }

        void say(String line) {
            out.println(line);
        }

        @Override
        public void close() throws IOException {
            socket.close();
        }
    }

    /** What the others hear when a member's connection breaks: that it left, not the server's internals. */
    @Test
    void aMemberWhoseConnectionResetsLeavesWithoutItsAddressOrFdShownToOthers() throws Exception {
        try (Client alice = new Client(port)) {
            alice.awaitLine("* welcome");
            try (Client bob = new Client(port)) {
                bob.awaitLine("* welcome");
                bob.say("/nick bob");
                alice.awaitLine("* guest2 is now known as bob");
                bob.socket.setSoLinger(true, 0); // close sends RST: the server's read fails with ECONNRESET
                bob.say("unread by anyone but the server");
            }
            // The reset reaches the server's reader as ECONNRESET, or as a plain end of stream
            // when the writer's send to bob took the socket's one pending error first (Linux
            // reports a reset once): either way the others hear no address, fd or errno.
            String left = alice.awaitLine("* bob left");
            assertTrue(left.equals("* bob left (connection lost)") || left.equals("* bob left"),
                    "no peer address, fd or errno for the other members: " + left);
        }
    }

    @Test
    void nicknamesBroadcastWhoAndQuit() throws Exception {
        try (Client alice = new Client(port); Client bob = new Client(port)) {
            assertTrue(alice.awaitLine("* welcome").startsWith("* welcome, guest"));
            bob.awaitLine("* welcome");
            alice.say("/nick alice");
            bob.awaitLine("* guest1 is now known as alice");
            bob.say("/nick bob");
            alice.awaitLine("* guest2 is now known as bob");
            alice.say("/nick bob");
            assertEquals("* cannot rename: bob is taken", alice.awaitLine("* cannot rename"));
            alice.say("/nick no spaces!");
            assertTrue(alice.awaitLine("* cannot rename").contains("1 to 16 letters"));

            alice.say("hello \u001b[2Jbob");     // an escape sequence is defused
            assertEquals("<alice> hello ?[2Jbob", bob.awaitLine("<alice>"));
            bob.say("/who");
            assertEquals("* here: alice, bob", bob.awaitLine("* here"));
            bob.say("/dance");
            assertTrue(bob.awaitLine("* unknown command /dance").contains("/nick NAME"));

            alice.say("/quit");
            assertEquals("* bye", alice.awaitLine("* bye"));
            assertEquals(null, alice.in.readLine(), "the server closes after /quit");
            assertEquals("* alice left", bob.awaitLine("* alice left"));
        }
        server.signal(Signal.SIGINT);
        assertEquals(130, server.waitFor(Duration.ofSeconds(10)), "128 + SIGINT, as every example\n" + server.describe());
        assertTrue(server.stdout().contains("chat stopped by SIGINT"), server.describe());
    }

    @Test
    void aClientThatNeverReadsIsDisconnectedAndStallsNobody() throws Exception {
        int lines = 3000;
        String filler = "x".repeat(1000);
        try (Client alice = new Client(port); Client bob = new Client(port); Client carol = new Client(port, 4096)) {
            alice.awaitLine("* welcome");
            bob.awaitLine("* welcome");
            carol.awaitLine("* welcome");
            alice.say("/nick alice");
            bob.awaitLine("* guest1 is now known as alice");
            carol.say("/nick carol");
            bob.awaitLine("* guest3 is now known as carol");
            // carol reads nothing from here on; bob reads everything, on another thread
            CompletableFuture<List<String>> bobHears = CompletableFuture.supplyAsync(() -> {
                List<String> heard = new ArrayList<>();
                try {
                    for (String line; (line = bob.in.readLine()) != null && !line.equals("<alice> done"); ) heard.add(line);
                } catch (IOException e) {
                    throw new AssertionError("bob's connection failed after " + heard.size() + " lines; the last: "
                            + heard.getLast().substring(0, Math.min(40, heard.getLast().length())) + "; notices: "
                            + heard.stream().filter(l -> l.startsWith("*")).toList() + "\n" + server.describe(), e);
                }
                return heard;
            });
            long t0 = System.nanoTime();
            for (int i = 0; i < lines; i++) alice.say(i + " " + filler);
            alice.say("done");
            List<String> heard = bobHears.get(20, TimeUnit.SECONDS);
            long millis = (System.nanoTime() - t0) / 1_000_000;

            List<String> chat = heard.stream().filter(l -> l.startsWith("<alice>")).toList();
            assertEquals(lines, chat.size(), "bob heard every line of alice's");
            for (int i = 0; i < lines; i++) assertEquals("<alice> " + i + " " + filler, chat.get(i), "in order");
            assertTrue(heard.contains("* carol was disconnected (too slow to keep up)"), heard.stream()
                    .filter(l -> l.startsWith("*")).toList().toString());
            assertTrue(millis < 15_000, "3 MB of chat took " + millis + " ms");

            // carol's connection ends: whatever was sent before the cut, then end of stream (or a reset)
            assertTrue(drainsToEnd(carol), "carol's socket was closed by the server");
            assertTrue(server.stdout().contains("chat: carol disconnected: too slow"), server.describe());
        }
    }

    @Test
    void aPastedBurstDoesNotDisconnectAReaderThatKeepsUp() throws Exception {
        try (Client alice = new Client(port); Client bob = new Client(port)) {
            alice.awaitLine("* welcome");
            bob.awaitLine("* welcome");
            StringBuilder paste = new StringBuilder();
            for (int i = 0; i < 2000; i++) paste.append(i).append('\n');
            // one write: the server reads hundreds of lines per read, far more than bob's queue of 16
            alice.say(paste + "end");
            for (int i = 0; i < 2000; i++) assertEquals("<guest1> " + i, bob.in.readLine());
            assertEquals("<guest1> end", bob.in.readLine());
        }
    }

    @Test
    void aLineOverTheLimitEndsTheConnectionWithAReason() throws Exception {
        try (Client alice = new Client(port); Client bob = new Client(port)) {
            alice.awaitLine("* welcome");
            bob.awaitLine("* welcome");
            alice.say("y".repeat(5000));
            assertTrue(alice.awaitLine("* line too long").contains("4096 bytes"));
            assertEquals("* guest1 left (sent a line over 4096 bytes)", bob.awaitLine("* guest1 left"));
        }
    }

    private static boolean drainsToEnd(Client c) throws IOException {
        byte[] buf = new byte[64 * 1024];
        try {
            while (c.socket.getInputStream().read(buf) >= 0) {
                // discard what was sent before the cut
            }
            return true;
        } catch (SocketException reset) {
            return true;
        } catch (SocketTimeoutException stillOpen) {
            return false;
        }
    }

    @Test
    void helpDescribesTheSlowClientPolicy() {
        var out = new java.io.ByteArrayOutputStream();
        var saved = System.out;
        System.setOut(new java.io.PrintStream(out, true, StandardCharsets.UTF_8));
        try {
            assertEquals(0, Main.execute("chat", "--help"));
        } finally {
            System.setOut(saved);
        }
        String help = out.toString(StandardCharsets.UTF_8);
        assertTrue(help.contains("--queue") && help.contains("disconnected"), help);
    }
}
