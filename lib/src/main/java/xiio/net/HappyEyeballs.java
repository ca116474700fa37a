package xiio.net;

import java.io.IOException;
import java.net.ConnectException;
import java.net.Inet6Address;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import xiio.concurrent.TaskGroup;
import xiio.core.Condition;
import xiio.core.Promise;
import xiio.core.Xiio;

/**
 * Connecting to the first of several addresses that answers (RFC 8305, "happy
 * eyeballs v2", without its DNS racing): the addresses are interleaved by family,
 * starting with the family of the first; an attempt starts, and the next one starts
 * when it fails or {@link #ATTEMPT_DELAY} later, whichever comes first. The first
 * connection wins; every other attempt is cancelled and its socket closed.
 */
final class HappyEyeballs {
    private HappyEyeballs() {}

    /** RFC 8305's recommended "connection attempt delay". */
    static final Duration ATTEMPT_DELAY = Duration.ofMillis(250);

    static TcpStream connect(String target, List<InetSocketAddress> candidates) throws IOException {
        return connect(target, candidates, ATTEMPT_DELAY);
    }

    static TcpStream connect(String target, List<InetSocketAddress> candidates, Duration delay) throws IOException {
        if (delay.isNegative()) throw new IllegalArgumentException("attempt delay must not be negative, got " + delay);
        List<InetSocketAddress> order = interleave(candidates);
        if (order.size() == 1) return TcpStream.connectOne(order.getFirst());
        TcpStream[] winner = new TcpStream[1];
        List<IOException> failures = new ArrayList<>();
        try {
            TaskGroup.scope(group -> {
                for (InetSocketAddress address : order) {
                    if (winner[0] != null) break;
                    Promise<Void> failed = new Promise<>();
                    group.spawn("connect " + SockAddr.format(address), () -> {
                        try {
                            TcpStream s = TcpStream.connectOne(address);
                            if (winner[0] == null) {
                                winner[0] = s;
                                group.cancel(); // the other attempts, and this loop
                            } else {
                                s.close();
                            }
                        } catch (IOException e) {
                            failures.add(e);
                            failed.complete(null);
                        }
                        return null;
                    });
                    Xiio.await(Condition.done(failed).or(Condition.after(delay)));
                }
                return null;
            });
        } catch (IOException | RuntimeException | Error e) {
            // e.g. the caller's timeout: a connection that won meanwhile must not leak
            if (winner[0] != null) winner[0].close();
            throw e;
        } catch (Exception e) {
            if (winner[0] != null) winner[0].close();
            throw new IOException("connect to " + target + " failed", e);
        }
        if (winner[0] != null) return winner[0];
        StringBuilder why = new StringBuilder("connect to " + target + " failed for all " + order.size() + " addresses:");
        for (IOException f : failures) why.append("\n  ").append(f.getMessage());
        ConnectException all = new ConnectException(why.toString());
        for (IOException f : failures) all.addSuppressed(f);
        if (!failures.isEmpty()) all.initCause(failures.getFirst());
        throw all;
    }

    /** Alternates families, starting with the family of the first address; keeps the order within each. */
    static List<InetSocketAddress> interleave(List<InetSocketAddress> candidates) {
        Deque<InetSocketAddress> v6 = new ArrayDeque<>(), v4 = new ArrayDeque<>();
        for (InetSocketAddress a : candidates) {
            if (a.isUnresolved()) throw new IllegalArgumentException("unresolved address " + a + ": resolve it first");
            (a.getAddress() instanceof Inet6Address ? v6 : v4).add(a);
        }
        boolean six = candidates.getFirst().getAddress() instanceof Inet6Address;
        List<InetSocketAddress> out = new ArrayList<>(candidates.size());
        while (!v6.isEmpty() || !v4.isEmpty()) {
            Deque<InetSocketAddress> next = six ? v6 : v4;
            if (next.isEmpty()) next = six ? v4 : v6;
            out.add(next.poll());
            six = !six;
        }
        return out;
    }
}
