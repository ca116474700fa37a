package xiio.examples;

import java.net.InetSocketAddress;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import xiio.concurrent.TaskGroup;
import xiio.net.TcpListener;
import xiio.net.TcpStream;
import xiio.signal.SignalExitException;
import xiio.signal.Signals;

/**
 * A line-based TCP chat server. Usage: {@code ./xiio chat --port 7000}, then
 * {@code ./xiio netcat 127.0.0.1 7000} (or telnet, nc) from a few terminals.
 *
 * <p>Every connection gets a guest name; {@code /nick NAME} changes it, {@code /who}
 * lists who is here, {@code /quit} leaves; any other line goes to everybody else as
 * {@code <nick> text}. Each member has a bounded outbox ({@code --queue} lines), and
 * a broadcast never waits for it: a member whose outbox is full is <b>disconnected</b>
 * (and the others are told), so a client that stops reading never stalls the rest,
 * and nobody silently misses lines. See {@link ChatRoom} for why that policy.
 *
 * <p>One coroutine reads and one writes per connection, all in one task group with
 * the accept loop; SIGINT or SIGTERM cancels the group, which closes every connection.
 */
@Command(name = "chat", mixinStandardHelpOptions = true,
        description = {"A line-based TCP chat server: /nick NAME, /who, /quit; other lines go to everybody.",
            "Slow clients: each member has a bounded queue (--queue); a member whose queue is full when a line"
                + " arrives is disconnected, and the others are told. Nobody waits for it, and nobody silently"
                + " misses lines. Stops cleanly on SIGINT/SIGTERM."})
final class Chat implements Callable<Integer> {
    @Option(names = "--port", required = true, converter = PortConverter.class, description = "TCP port to listen on (0 picks a free one).")
    int port;

    @Option(names = "--host", defaultValue = "127.0.0.1", description = "Address to listen on (default: ${DEFAULT-VALUE}).")
    String host;

    @Option(names = "--queue", defaultValue = "256",
            description = "Lines queued per member before it counts as too slow and is disconnected (default: ${DEFAULT-VALUE}).")
    int queue;

    @Option(names = "--max-line", defaultValue = "4096", description = "Longest line accepted, in bytes (default: ${DEFAULT-VALUE}).")
    int maxLine;

    @Override
    public Integer call() throws Exception {
        if (queue < 1) throw new IllegalArgumentException("--queue must be at least 1, got " + queue);
        if (maxLine < 16) throw new IllegalArgumentException("--max-line must be at least 16 bytes, got " + maxLine);
        try {
            Signals.runCancellable(() -> {
                try (TcpListener listener = TcpListener.bind(new InetSocketAddress(host, port))) {
                    System.out.println("chat listening on " + listener.localAddress());
                    ChatRoom room = new ChatRoom();
                    Set<ChatSession> live = new HashSet<>();
                    try {
                        // one flat group: readers, writers and this accept loop are peers, so a
                        // yielding reader lets every writer run before it reads on
                        return TaskGroup.scope(group -> {
                            while (true) {
                                TcpStream conn = listener.accept(); // out of fds, it waits and retries (xiio.net.Acceptor)
                                new ChatSession(conn, room, queue, maxLine).start(group, live);
                            }
                        });
                    } finally {
                        for (ChatSession s : live) s.closeLeftover();
                    }
                }
            });
        } catch (SignalExitException stopped) {
            System.out.println("chat stopped by " + stopped.signal());
            return stopped.exitStatus(); // 130 after Ctrl-C, as for every example
        }
        return 0;
    }
}
