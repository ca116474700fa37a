package xiio.examples;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Set;
import xiio.concurrent.Channel;
import xiio.concurrent.ChannelClosedException;
import xiio.concurrent.Task;
import xiio.concurrent.TaskGroup;
import xiio.concurrent.Timeout;
import xiio.core.Xiio;
import xiio.io.LimitExceededException;
import xiio.io.StreamReader;
import xiio.io.StreamWriter;
import xiio.net.TcpStream;

/**
 * One chat connection: a reader task that parses lines and commands, and a writer
 * task that drains the member's bounded outbox to the socket. Both run in the
 * server's task group, side by side with every other connection's, and catch their
 * own I/O errors: one broken connection must not fail the group (which would cancel
 * everyone).
 */
final class ChatSession {
    private static final String HELP = "commands: /nick NAME, /who, /quit";

    private final TcpStream conn;
    private final ChatRoom room;
    private final int maxLine;
    private final Channel<String> outbox;
    private String nick;
    private Task<Void> reader, writer;
    private Set<ChatSession> live;

    ChatSession(TcpStream conn, ChatRoom room, int queueCapacity, int maxLine) {
        this.conn = conn;
        this.room = room;
        this.maxLine = maxLine;
        this.outbox = new Channel<>(queueCapacity);
    }

    /**
     * Spawns the writer and the reader into the server's group, and registers in
     * {@code live} until the writer has closed the socket.
     */
    void start(TaskGroup group, Set<ChatSession> live) {
        this.live = live;
        live.add(this);
        String who = conn.remoteAddress().toString();
        writer = group.spawn("chat writer " + who, this::writeLoop);
        reader = group.spawn("chat reader " + who, this::readLoop);
    }

    String nick() {
        return nick;
    }

    int queueCapacity() {
        return outbox.capacity();
    }

    /** Queues a line for this member without waiting; false if its outbox is full. */
    boolean offer(String line) {
        try {
            return outbox.trySend(line);
        } catch (ChannelClosedException leaving) {
            return true; // it is on its way out; nothing to do about it
        }
    }

    /** The room's verdict: cancel both tasks; their cleanup closes the socket. */
    void disconnect(String why) {
        System.out.println("chat: " + nick + " disconnected: " + why);
        reader.cancel();
        writer.cancel();
    }

    private Void readLoop() {
        nick = room.join(this);
        System.out.println("chat: " + nick + " joined from " + conn.remoteAddress());
        offer("* welcome, " + nick + "; " + HELP);
        String why = "";
        try {
            StreamReader in = new StreamReader(conn, 4096);
            for (String line; (line = in.readLine(maxLine)) != null; ) {
                line = printable(line);
                if (line.isBlank()) continue;
                if (line.startsWith("/")) {
                    if (!command(line)) break;
                } else {
                    room.broadcast("<" + nick + "> " + line, this);
                }
                // A pasted burst is read from the buffer without waiting; yielding lets the
                // writers that this line woke (queued before us) run first, so a member
                // that keeps up never finds its outbox full just because we hogged the loop.
                Xiio.yieldNow();
            }
        } catch (LimitExceededException e) {
            offer("* line too long (the limit is " + maxLine + " bytes); goodbye");
            why = " (sent a line over " + maxLine + " bytes)";
        } catch (IOException e) {
            // the details (the peer's address, an fd, an errno) are for the server's log, not for the other members
            System.out.println("chat: " + nick + " lost: " + e.getMessage());
            why = " (connection lost)";
        } finally {
            room.leave(this, why);
            outbox.close(); // the writer sends what is queued (the goodbye too), then closes the socket
        }
        finishWriting();
        return null;
    }

    /** Gives the writer 5 s to deliver the last lines to a peer that may have stopped reading. */
    private void finishWriting() {
        try {
            Boolean done = Timeout.withTimeoutOrNull(Duration.ofSeconds(5), () -> {
                writer.join();
                return true;
            });
            if (done == null) writer.cancel();
        } catch (Exception alreadyOver) {
            // the writer was cancelled or failed: the socket is closed either way
        }
    }

    /** Handles one command; false when the member quits. */
    private boolean command(String line) {
        String[] words = line.strip().split("\\s+", 2);
        switch (words[0]) {
            case "/quit" -> {
                offer("* bye");
                return false;
            }
            case "/who" -> offer("* here: " + String.join(", ", room.nicks()));
            case "/nick" -> {
                String problem = words.length < 2 ? "say /nick NAME" : room.rename(this, words[1]);
                if (problem == null) nick = words[1];
                else offer("* cannot rename: " + problem);
            }
            default -> offer("* unknown command " + words[0] + "; " + HELP);
        }
        return true;
    }

    /**
     * Closes the socket of a session whose tasks were cancelled before they ever ran
     * (a task cancelled before it starts never runs its body, so nothing else would).
     */
    void closeLeftover() {
        try {
            conn.close();
        } catch (IOException ignored) {
            // closing is all we wanted
        }
    }

    private Void writeLoop() {
        try (conn) {
            StreamWriter out = new StreamWriter(conn, 16 * 1024);
            for (String line : outbox) {
                byte[] b = (line + "\n").getBytes(StandardCharsets.UTF_8);
                out.writeAll(b, 0, b.length);
                if (outbox.size() == 0) out.flush(); // one send per burst, not per line
            }
            out.flush();
        } catch (IOException peerGone) {
            reader.cancel(); // nobody hears this member any more; its reader's cleanup leaves the room
        } finally {
            live.remove(this);
        }
        return null;
    }

    /** Control characters (a terminal escape sequence, say) become '?': the others' screens are not ours to drive. */
    private static String printable(String line) {
        StringBuilder b = new StringBuilder(line.length());
        line.codePoints().forEach(c -> b.appendCodePoint(Character.isISOControl(c) && c != '\t' ? '?' : c));
        return b.toString();
    }
}
