package xiio.support;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import xiio.unix.sys.Constants;
import xiio.unix.sys.EpollSyscalls;
import xiio.unix.sys.FileSyscalls;
import xiio.unix.sys.SocketSyscalls;

/**
 * Fault injection on the real loop: the real syscall tables, real fds, with chosen
 * calls failing or falling short. Not a mock: every call that is not told to fail goes
 * to the kernel.
 *
 * {@snippet :
 * try (Faults faults = Faults.install()) {          // before Xiio.run: the poller takes its table at start
 *     faults.on(Call.RECV).fd(conn.fd()).times(3).fail(Errno.EINTR);
 *     faults.on(Call.WRITE).every(2).atMost(1);
 *     faults.on(Call.ACCEPT).times(3).fail(Errno.EMFILE);
 *     faults.on(Call.EPOLL_CTL).fd(fd).once().fail(Errno.ENOMEM);
 *     Xiio.run(...);
 * }                                                 // the previous tables are back, whatever happened
 * }
 *
 * <p>Rules may be added, and {@link #clear() cleared}, at any time, also from inside
 * the run. For each call the rules are asked in the order they were added; the first
 * whose schedule picks the call decides what happens. Every call is counted
 * ({@link #calls}), so a test can tell a retry from a busy loop.
 *
 * <p>Thread-safe (the virtual-thread backend makes calls from many threads), but the
 * tables are global: tests run one at a time, and rules should name an fd, so the
 * library's background threads are not hit.
 */
public final class Faults implements AutoCloseable {
    /** The calls that can be made to fail. */
    public enum Call {
        /** read(2), on any fd. */
        READ,
        /** write(2). */
        WRITE,
        /** recv(2). */
        RECV,
        /** send(2). */
        SEND,
        /** accept4(2), on the listening fd. */
        ACCEPT,
        /** connect(2). */
        CONNECT,
        /** epoll_ctl(2); the rule's fd is the fd being registered. */
        EPOLL_CTL,
        /** epoll_wait(2); the rule's fd, if any, is the epoll fd. */
        EPOLL_WAIT
    }

    private final FileSyscalls previousFile;
    private final SocketSyscalls previousSocket;
    private final EpollSyscalls previousEpoll;
    private final List<Rule> rules = new ArrayList<>();
    private final Map<Long, Integer> counts = new HashMap<>();
    private boolean closed;

    private Faults() {
        previousFile = FileSyscalls.install(new FaultyFile());
        previousSocket = SocketSyscalls.install(new FaultySocket());
        previousEpoll = EpollSyscalls.install(new FaultyEpoll());
    }

    /** Installs fault-injecting tables (with no rules yet) until {@link #close()}. */
    public static Faults install() {
        return new Faults();
    }

    /** A new rule for {@code call}; it takes effect when its effect is chosen ({@link Rule#fail} and others). */
    public Rule on(Call call) {
        return new Rule(call);
    }

    /** Drops every rule: from now on, every call goes to the kernel untouched. */
    public synchronized void clear() {
        rules.clear();
    }

    /** How many {@code call}s were made so far, on any fd. */
    public synchronized int calls(Call call) {
        return counts.getOrDefault(key(call, -1), 0);
    }

    /** How many {@code call}s were made on {@code fd} so far. */
    public synchronized int calls(Call call, int fd) {
        return counts.getOrDefault(key(call, fd), 0);
    }

    /** Puts the previous tables back. Idempotent. */
    @Override
    public void close() {
        if (closed) return;
        closed = true;
        FileSyscalls.install(previousFile);
        SocketSyscalls.install(previousSocket);
        EpollSyscalls.install(previousEpoll);
    }

    private static long key(Call call, int fd) {
        return ((long) call.ordinal() << 32) | (fd & 0xffffffffL);
    }

    /** Which rules take a call, and how. */
    private static final class Decision {
        static final Decision PASS = new Decision(null, Long.MAX_VALUE);
        final Rule rule;
        final long maxLen;

        Decision(Rule rule, long maxLen) {
            this.rule = rule;
            this.maxLen = maxLen;
        }
    }

    private synchronized Decision decide(Call call, int fd) {
        counts.merge(key(call, -1), 1, Integer::sum);
        counts.merge(key(call, fd), 1, Integer::sum);
        long maxLen = Long.MAX_VALUE;
        List<Rule> byBytes = null;
        for (Rule r : rules) {
            if (r.call != call || (r.fd >= 0 && r.fd != fd)) continue;
            r.matched++;
            if (r.afterBytes >= 0 && r.bytes < r.afterBytes) {
                // not yet: the call may move at most the bytes left before the fault
                maxLen = Math.min(maxLen, r.afterBytes - r.bytes);
                if (byBytes == null) byBytes = new ArrayList<>(1);
                byBytes.add(r);
                continue;
            }
            if (r.remaining == 0) continue;
            long k = r.matched - r.skip;
            if (k <= 0 || (r.every > 1 && k % r.every != 0)) continue;
            if (r.remaining > 0) r.remaining--;
            r.hits++;
            if (r.kind == Kind.AT_MOST) {
                maxLen = Math.min(maxLen, r.atMost);
                continue; // a shortening combines with later rules' failures
            }
            return new Decision(r, maxLen);
        }
        if (byBytes != null) return new Decision(new Counting(byBytes), maxLen);
        return maxLen == Long.MAX_VALUE ? Decision.PASS : new Decision(null, maxLen);
    }

    private synchronized void moved(Decision d, long n) {
        if (n > 0 && d.rule instanceof Counting c) {
            for (Rule r : c.rules) r.bytes += n;
        }
    }

    /** Wraps one transfer call: fail, shorten, or pass through. */
    private long transfer(Call call, int fd, long len, java.util.function.LongUnaryOperator realCall) {
        Decision d = decide(call, fd);
        Rule r = d.rule;
        if (r != null && !(r instanceof Counting) && r.kind == Kind.FAIL) return -r.errno;
        long n = realCall.applyAsLong(Math.max(0, Math.min(len, d.maxLen)));
        moved(d, n);
        if (r != null && !(r instanceof Counting) && r.kind == Kind.FAIL_AFTER_CALLING) return -r.errno;
        return n;
    }

    private enum Kind { FAIL, FAIL_AFTER_CALLING, AT_MOST, READY }

    /** A fault: which calls (an fd, a schedule) and what happens to them. */
    public class Rule {
        final Call call;
        int fd = -1;
        long skip;
        long remaining = -1;
        long every = 1;
        long afterBytes = -1;
        Kind kind;
        int errno;
        long atMost;
        int readyFd;
        long matched;
        long bytes;
        int hits;

        Rule(Call call) {
            this.call = call;
        }

        /** Only calls on {@code fd} (for {@link Call#EPOLL_CTL}, the fd being registered). */
        public Rule fd(int fd) {
            this.fd = fd;
            return this;
        }

        /** Leaves the first {@code n} matching calls alone. */
        public Rule after(long n) {
            this.skip = n;
            return this;
        }

        /**
         * Lets calls through until {@code n} bytes have moved (the call that would cross
         * the mark is shortened to end on it); every call after that is affected.
         */
        public Rule afterBytes(long n) {
            this.afterBytes = n;
            return this;
        }

        /** Affects the next {@code n} calls the schedule picks, then retires. */
        public Rule times(long n) {
            this.remaining = n;
            return this;
        }

        /** {@code times(1)}. */
        public Rule once() {
            return times(1);
        }

        /** Picks every {@code k}th matching call (the kth, the 2kth, ...). */
        public Rule every(long k) {
            if (k < 1) throw new IllegalArgumentException("k must be at least 1");
            this.every = k;
            return this;
        }

        /** The picked calls return {@code -errno} without reaching the kernel. */
        public Rule fail(int errno) {
            return activate(Kind.FAIL, errno);
        }

        /**
         * The picked calls reach the kernel, then report {@code -errno} anyway: what a
         * connect(2) interrupted by a signal does (the connection goes on).
         */
        public Rule failAfterCalling(int errno) {
            return activate(Kind.FAIL_AFTER_CALLING, errno);
        }

        /** The picked transfers move at most {@code bytes} bytes: short reads and writes. */
        public Rule atMost(long bytes) {
            if (bytes < 1) throw new IllegalArgumentException("a short transfer moves at least 1 byte");
            this.atMost = bytes;
            return activate(Kind.AT_MOST, 0);
        }

        /**
         * For {@link Call#EPOLL_WAIT}: the picked waits return at once and also report
         * {@code fd} readable, whether it is or not (spurious readiness).
         */
        public Rule reportReadable(int fd) {
            if (call != Call.EPOLL_WAIT) throw new IllegalStateException("only epoll_wait reports readiness");
            this.readyFd = fd;
            return activate(Kind.READY, 0);
        }

        /** How many calls this rule has affected so far. */
        public int hits() {
            synchronized (Faults.this) {
                return hits;
            }
        }

        private Rule activate(Kind kind, int errno) {
            this.kind = kind;
            this.errno = errno;
            synchronized (Faults.this) {
                if (closed) throw new IllegalStateException("these faults are uninstalled");
                rules.add(this);
            }
            return this;
        }

        @Override
        public String toString() {
            return "Rule[" + call + (fd >= 0 ? " on fd " + fd : "") + ", " + kind + ", hits " + hits + "]";
        }
    }

    /** The rules that count bytes of a call that no rule affected. */
    private final class Counting extends Rule {
        final List<Rule> rules;

        Counting(List<Rule> rules) {
            super(null);
            this.rules = rules;
        }
    }

    private final class FaultyFile extends FileSyscalls {
        @Override
        public long read(int fd, byte[] buf, int off, int len) {
            return transfer(Call.READ, fd, len, n -> super.read(fd, buf, off, (int) n));
        }

        @Override
        public long read(int fd, MemorySegment buf, long len) {
            return transfer(Call.READ, fd, len, n -> super.read(fd, buf, n));
        }

        @Override
        public long write(int fd, byte[] buf, int off, int len) {
            return transfer(Call.WRITE, fd, len, n -> super.write(fd, buf, off, (int) n));
        }

        @Override
        public long write(int fd, MemorySegment buf, long len) {
            return transfer(Call.WRITE, fd, len, n -> super.write(fd, buf, n));
        }
    }

    private final class FaultySocket extends SocketSyscalls {
        @Override
        public long recv(int fd, byte[] buf, int off, int len, int flags) {
            return transfer(Call.RECV, fd, len, n -> super.recv(fd, buf, off, (int) n, flags));
        }

        @Override
        public long recv(int fd, MemorySegment buf, long len, int flags) {
            return transfer(Call.RECV, fd, len, n -> super.recv(fd, buf, n, flags));
        }

        @Override
        public long send(int fd, byte[] buf, int off, int len, int flags) {
            return transfer(Call.SEND, fd, len, n -> super.send(fd, buf, off, (int) n, flags));
        }

        @Override
        public long send(int fd, MemorySegment buf, long len, int flags) {
            return transfer(Call.SEND, fd, len, n -> super.send(fd, buf, n, flags));
        }

        @Override
        public int accept(int fd, MemorySegment addr, MemorySegment addrLen) {
            return (int) transfer(Call.ACCEPT, fd, 1, n -> super.accept(fd, addr, addrLen));
        }

        @Override
        public int connect(int fd, MemorySegment addr, int addrLen) {
            return (int) transfer(Call.CONNECT, fd, 1, n -> super.connect(fd, addr, addrLen));
        }
    }

    private final class FaultyEpoll extends EpollSyscalls {
        private static final ValueLayout.OfInt INT = ValueLayout.JAVA_INT.withByteAlignment(1);

        @Override
        public int ctl(int epfd, int op, int fd, int events, MemorySegment event) {
            return (int) transfer(Call.EPOLL_CTL, fd, 1, n -> super.ctl(epfd, op, fd, events, event));
        }

        @Override
        public int wait(int epfd, MemorySegment events, int max, int timeoutMillis) {
            Decision d = decide(Call.EPOLL_WAIT, epfd);
            Rule r = d.rule;
            if (r == null || r instanceof Counting) return super.wait(epfd, events, max, timeoutMillis);
            return switch (r.kind) {
                case FAIL -> -r.errno;
                case FAIL_AFTER_CALLING -> {
                    super.wait(epfd, events, max, timeoutMillis);
                    yield -r.errno;
                }
                case READY -> {
                    // look without blocking, then add the made-up event after the real ones
                    int n = super.wait(epfd, events, max - 1, 0);
                    if (n < 0) yield n;
                    long at = n * Constants.EPOLL_EVENT_SIZE;
                    events.set(INT, at, Constants.EPOLLIN);
                    events.set(INT, at + Constants.EPOLL_EVENT_DATA_OFFSET, r.readyFd);
                    yield n + 1;
                }
                case AT_MOST -> super.wait(epfd, events, max, timeoutMillis);
            };
        }
    }
}
