package xiio.http.server;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.AccessDeniedException;
import java.nio.file.NoSuchFileException;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeoutException;
import xiio.concurrent.Task;
import xiio.concurrent.TaskGroup;
import xiio.concurrent.Timeout;
import xiio.core.CancelScope;
import xiio.core.CancelledError;
import xiio.core.Condition;
import xiio.core.Xiio;
import xiio.http.BodyFraming;
import xiio.http.BodyReader;
import xiio.http.HttpException;
import xiio.http.HttpHeadParser;
import xiio.http.HttpRequestHead;
import xiio.http.HttpStatus;
import xiio.io.ByteStream;
import xiio.io.FdStream;
import xiio.io.StreamReader;
import xiio.tls.TlsStream;

/**
 * One HTTP/1.1 connection: requests are read and answered strictly one after the
 * other, so answers to pipelined requests leave in the order the requests came.
 * Answers are sent when the connection would wait for more input, so a pipelined
 * batch is answered with one write.
 *
 * <p>Each request is handled in a cancel scope of its own, watched by the
 * connection's {@link DisconnectWatch}: once the request body is read, a task waits
 * for the client's next bytes; if the client closes or resets instead, the scope is
 * cancelled and the connection ends with a {@link ClientGoneException}.
 *
 * <p>A connection is <em>idle</em> while it waits for (or reads) the head of its next
 * request; a graceful shutdown closes idle connections at once and lets the others
 * finish, answered with {@code Connection: close}. A malformed request is answered
 * with its error status, then the connection is closed.
 */
final class Connection {
    private static final int DRAIN_BYTES = 256 * 1024;
    private static final Duration DRAIN_TIME = Duration.ofSeconds(2);

    private final HttpServer server;
    private final ServerConfig config;
    private final ByteStream stream;
    private final InetSocketAddress peer;
    private Task<Void> task;
    private boolean idle = true;
    private boolean unreadInput;
    private ResponseWriter out;
    private ConnectionInput input;
    private StreamReader in;
    private DisconnectWatch watch;
    private final HttpHeadParser parser;
    private TaskGroup group;

    Connection(HttpServer server, ByteStream stream, InetSocketAddress peer) {
        this.server = server;
        this.config = server.config();
        this.stream = stream;
        this.peer = peer;
        this.parser = server.parser();
    }

    void start(TaskGroup group) {
        server.opened(this);
        this.group = group;
        task = group.spawn("http " + peer.getHostString() + ":" + peer.getPort(), this::serve);
    }

    /** For a connection whose task was cancelled before it ran (and so never closed its stream). */
    void closeLeftover() {
        try {
            stream.close();
        } catch (IOException ignored) {
            // nothing left to do with it
        }
    }

    /** For a graceful shutdown: closes the connection if it is between requests. */
    void stopIfIdle() {
        if (idle) task.cancel();
    }

    private Void serve() {
        try (stream) {
            out = new ResponseWriter(stream, config.writeTimeout(), server.date(), config.serverName());
            input = new ConnectionInput(stream, out, config.idleTimeout(), config.headTimeout());
            in = new StreamReader(input, 8192);
            watch = new DisconnectWatch(group, input, "http watch " + peer.getHostString() + ":" + peer.getPort());
            if (stream instanceof TlsStream tls && !handshake(tls)) return null;
            while (exchange()) {
                // next request: its head may already be buffered (pipelining)
            }
            out.flush();
            if (unreadInput) drainBeforeClose();
        } catch (IOException e) {
            dropped(e.getMessage()); // reset, TLS failure, stalled client, client gone
        } catch (RuntimeException | Error e) {
            // a bug on this connection's path: it ends this connection, logged, never
            // serve() and every other client with it
            if (fatal(e)) throw e;
            server.logConnectionFailure(peer, e);
        } finally {
            if (watch != null) watch.close();
            server.closed(this);
        }
        return null;
    }

    /**
     * The TLS handshake under the limits a plain connection's head has: the wait for the
     * client's first byte is idle time, and from that byte the handshake must finish
     * within the head timeout, so a client that trickles its handshake is cut off as a
     * slowloris is (it held the connection for the idle timeout, 30 s, before).
     *
     * @return false if the client sent nothing within the idle timeout, or closed
     */
    private boolean handshake(TlsStream tls) throws IOException {
        try {
            if (tls.transport() instanceof FdStream transport) {
                Boolean ready = CancelScope.open(config.idleTimeout(), scope -> {
                    Xiio.await(Condition.readable(transport.fd()));
                    return true;
                });
                if (ready == null) return false;
            }
            Boolean done = CancelScope.open(config.headTimeout(), scope -> {
                tls.handshake();
                return true;
            });
            if (done == null) throw new IOException("the TLS handshake did not finish within " + StallLimitedStream.format(config.headTimeout()));
            return true;
        } catch (IOException | RuntimeException e) {
            throw e;
        } catch (Exception impossible) {
            throw new IllegalStateException(impossible);
        }
    }

    /** Reads one request and answers it; whether the connection stays open for another. */
    private boolean exchange() throws IOException {
        if (server.draining()) return false;
        idle = true;
        HttpRequestHead head;
        input.expectRequest();
        try {
            head = parser.readRequest(in);
        } catch (ConnectionInput.IdleTimeout quietly) {
            return false;
        } catch (HttpException e) {
            return reject(e.status(), e.getMessage()); // a 408 from the head timeout too
        } finally {
            input.headRead();
        }
        if (head == null) return false; // the client closed between requests
        idle = false;
        BodyFraming framing;
        try {
            framing = BodyFraming.ofRequest(head.headers());
        } catch (HttpException e) {
            return reject(e.status(), e.getMessage());
        }
        String expect = head.headers().get("Expect");
        if (expect != null && !expect.equalsIgnoreCase("100-continue")) return reject(417, "only Expect: 100-continue is understood");
        if (framing.kind() == BodyFraming.Kind.LENGTH && framing.length() > config.maxBodyBytes()) {
            return reject(413, "the body is larger than " + config.maxBodyBytes() + " bytes"); // before reading any of it
        }
        return handle(head, new BodyReader(in, framing, config.maxBodyBytes()));
    }

    private boolean handle(HttpRequestHead head, BodyReader reader) throws IOException {
        AccessLog log = server.accessLog();
        long t0 = log == AccessLog.NONE ? 0 : Xiio.nanoTime(); // a clock read is a tenth of a pipelined request
        Exchange exchange = new Exchange(head, reader);
        Exchange answered = null;
        Throwable failure = null;
        try {
            answered = CancelScope.open(exchange);
        } catch (Throwable t) {
            failure = t;
        }
        ClientGoneException gone = watch.end();
        if (failure instanceof CancelledError outside) throw outside; // the server's shutdown ran out of time
        if (gone != null) {
            if (failure != null) gone.addSuppressed(failure);
            throw gone;
        }
        if (failure instanceof IOException e) throw e;
        if (failure instanceof RuntimeException e) throw e;
        if (failure instanceof Error e) throw e;
        if (failure != null) throw new IllegalStateException(failure);
        if (answered == null) throw new IllegalStateException("the request's scope was cancelled, yet the client is there");
        if (log != AccessLog.NONE) {
            try {
                log.request(exchange.request, exchange.status, exchange.bytes, Xiio.nanoTime() - t0);
            } catch (RuntimeException e) { // a log writing to a full disk: the answer is made, the connection goes on
                server.logConnectionFailure(peer, e);
            }
        }
        return exchange.keepAlive;
    }

    /**
     * One request, run as the body of its cancel scope: the handler and the response;
     * the watch cancels the scope if the client goes away. It keeps its outcome for the
     * access log.
     */
    private final class Exchange implements RequestBody.Events, CancelScope.Body<Exchange> {
        private final HttpRequestHead head;
        private final BodyReader reader;
        private CancelScope scope;
        private boolean watched;
        private boolean continued, answered, endsWithClose;
        private Request request;
        private int status;
        private long bytes;
        private boolean keepAlive;

        Exchange(HttpRequestHead head, BodyReader reader) {
            this.head = head;
            this.reader = reader;
        }

        @Override
        public Exchange run(CancelScope scope) throws Exception {
            this.scope = scope;
            request = new Request(head, new RequestBody(reader, config.bodyTimeout(), config.maxBodyDuration(), this), peer, Map.of());
            Response response = answer(request);
            status = response.status();
            // A body left unread: nobody knows where the next request starts. A streamed answer
            // may still read it (an echo), so it is told keep-alive, and closed after all if not.
            boolean mayRead = response.body() instanceof Response.Streamed;
            boolean keep = head.keepAlive() && !server.draining() && (reader.isDone() || mayRead);
            keepAlive = send(request, response, keep);
            if (!reader.isDone()) {
                unreadInput = true;
                keepAlive = false;
            }
            return this;
        }

        /** What the handler answers; its failures become error pages. */
        private Response answer(Request request) {
            try {
                Response r = server.handler().handle(request);
                if (r == null) throw new NullPointerException("the handler returned null for " + request);
                return r;
            } catch (HttpException e) {
                return Response.error(e.status(), e.getMessage());
            } catch (AccessDeniedException e) {
                return Response.error(403, "permission denied");
            } catch (NoSuchFileException e) {
                return Response.error(404, "no such file");
            } catch (TimeoutException e) {
                return Response.error(504, "timed out: " + e.getMessage());
            } catch (Exception | Error e) {
                if (fatal(e)) throw (Error) e;
                server.logFailure(request, e);
                return Response.error(500, e.getClass().getSimpleName());
            }
        }

        private boolean send(Request request, Response r, boolean keepAlive) throws Exception {
            try {
                return send(r, keepAlive);
            } catch (IOException | CancelledError e) {
                // the client went, the handler's own I/O failed, a graceful shutdown ran out of
                // time or serve() was cancelled: whatever was cut must not look complete
                if (endsWithClose) abort();
                throw e;
            } catch (Exception | Error e) {
                if (fatal(e)) throw (Error) e;
                // The body (or its close) failed after the head may have gone out: the answer
                // cannot be taken back, so the client must see it broken, never complete. Not
                // the server's failure either: one connection ends, the server goes on.
                server.logFailure(request, e);
                if (endsWithClose) abort();
                throw new IOException("the handler failed while sending its response body: " + e, e);
            }
        }

        private boolean send(Response r, boolean keepAlive) throws Exception {
            try (Response.Body body = r.body()) {
                long length = body.length();
                boolean http10 = head.version().equals("HTTP/1.0");
                boolean noBody = head.isHead() || HttpStatus.hasNoBody(r.status());
                long framing = length >= 0 ? length : http10 ? ResponseWriter.UNTIL_CLOSE : ResponseWriter.CHUNKED;
                if (framing == ResponseWriter.UNTIL_CLOSE && !noBody) keepAlive = false;
                endsWithClose = framing == ResponseWriter.UNTIL_CLOSE && !noBody;
                // A streamed body may read the request's as it goes (an echo, a transform): the
                // 100 Continue must go out before the final head, or it would land inside the body
                if (body instanceof Response.Streamed && !noBody && !reader.isDone()) firstRead();
                answered = true;
                out.writeHead(r.status(), r.fields(), framing, keepAlive, keepAlive && http10);
                if (!noBody) {
                    BodyWriter w = new BodyWriter(out, length, framing == ResponseWriter.CHUNKED, false);
                    body.writeTo(w);
                    w.finish();
                    bytes = w.bytesWritten();
                }
                return keepAlive;
            }
        }

        @Override
        public void firstRead() throws IOException {
            if (head.expectsContinue() && !continued && !answered) { // after the final head, the client needs none
                continued = true;
                out.writeContinue();
            }
        }

        @Override
        public void done() {
            // the watch reads the connection: only once the body is read, and only if the
            // client is not pipelining (its next request is already here)
            if (!watched && in.buffered() == 0 && !input.hasPushback()) {
                watched = true;
                watch.begin(scope, head);
            }
        }
    }

    /**
     * Whether a handler's throwable must go on up rather than become a 500 for its one
     * request: cancellation, and the JVM's own failures (out of memory). An
     * {@code AssertionError}, an {@code ExceptionInInitializerError}, a
     * {@code NoClassDefFoundError} or a {@code StackOverflowError} is one handler's bug;
     * before, any of them ended serve() and every connection with it (Tomcat draws the
     * same line).
     */
    static boolean fatal(Throwable t) {
        return t instanceof CancelledError || t instanceof VirtualMachineError && !(t instanceof StackOverflowError);
    }

    /**
     * Ends the connection with a reset, for a body cut short that ends with the connection
     * (HTTP/1.0, no length): a close would tell the client it is complete. (A length or
     * chunks show the cut by themselves; the connection just closes.) Over TLS too: a
     * close_notify would say "complete" as a FIN does.
     */
    private void abort() {
        try {
            ByteStream transport = stream instanceof TlsStream tls ? tls.transport() : stream;
            if (transport instanceof xiio.net.TcpStream tcp) tcp.reset();
        } catch (IOException ignored) {
            // closed anyway below
        }
    }

    /** Tells the access log; one that throws is logged, not let out of the connection. */
    private void dropped(String reason) {
        try {
            server.accessLog().dropped(peer, reason);
        } catch (RuntimeException e) {
            server.logConnectionFailure(peer, e);
        }
    }

    /** Answers a bad request with its status, then the connection closes (after draining what the client still sends). */
    private boolean reject(int status, String why) throws IOException {
        out.writeHead(status, Response.error(status, why).fields(), errorBody(status, why).length, false, false);
        byte[] body = errorBody(status, why);
        out.writeRaw(body, 0, body.length);
        out.flush();
        unreadInput = true;
        dropped(status + " " + why);
        return false;
    }

    private static byte[] errorBody(int status, String why) {
        return (status + " " + HttpStatus.reason(status) + ": " + why + "\n").getBytes(java.nio.charset.StandardCharsets.UTF_8);
    }

    /**
     * After an error answer while the client may still be sending: half-close, then read
     * and discard what comes (at most 256 KiB within 2 s) until the client closes.
     * Closing at once with unread input makes the kernel answer with a reset, and the
     * client then gets ECONNRESET instead of the answer waiting for it (nginx's
     * "lingering close").
     */
    private void drainBeforeClose() {
        try {
            stream.shutdownOutput();
            Timeout.withTimeoutOrNull(DRAIN_TIME, () -> {
                byte[] sink = new byte[16 * 1024];
                long total = 0;
                for (int n; total < DRAIN_BYTES && (n = input.read(sink, 0, sink.length)) > 0; ) total += n;
                return null;
            });
        } catch (Exception clientGone) {
            // a reset or a failed write: nothing left to protect
        }
    }
}
