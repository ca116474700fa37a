package xiio.examples;

import xiio.http.BodyFraming;
import xiio.http.BodyReader;
import xiio.http.HttpException;
import xiio.http.HttpRequestHead;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.time.Duration;
import java.util.concurrent.TimeoutException;
import xiio.concurrent.Task;
import xiio.concurrent.TaskGroup;
import xiio.concurrent.Timeout;
import xiio.core.CancelScope;
import xiio.core.Xiio;
import xiio.io.ByteStream;
import xiio.io.ForwardingStream;
import xiio.io.StreamReader;

/**
 * One HTTP/1.1 connection: requests are read and answered strictly one after the
 * other, so answers to pipelined requests leave in the order the requests came,
 * and a request that is still being read holds back the next. Answers are sent
 * when the connection would wait for more input, so a pipelined batch is answered
 * with one write, and nothing is held back while the client waits.
 *
 * <p>A connection is <em>idle</em> while it waits for (or reads) the head of its next
 * request; a graceful shutdown closes idle connections at once and lets the others
 * finish the request they are in, answered with {@code Connection: close}. Any
 * malformed request is answered with its error status, then the connection is
 * closed: after a framing error, nobody knows where the next request would start.
 */
final class HttpConnection {
    private static final byte[] NO_BODY = new byte[0];
    /** What a client may still send after an error answer before the close: see {@link #drainBeforeClose}. */
    private static final int DRAIN_BYTES = 256 * 1024;
    private static final Duration DRAIN_TIME = Duration.ofSeconds(2);

    private final HttpServer server;
    private final ByteStream stream;
    private final String peer;
    private Task<Void> task;
    private boolean idle = true;
    /** Set when an error answer leaves request bytes unread: the close drains them first. */
    private boolean unreadInput;

    HttpConnection(HttpServer server, ByteStream stream, String peer) {
        this.server = server;
        this.stream = stream;
        this.peer = peer;
    }

    void start(TaskGroup group) {
        server.opened(this);
        task = group.spawn("http " + peer, this::serve);
    }

    /**
     * For a connection still registered after the server's group has ended: its task
     * was cancelled before it ever ran, and such a task never runs its body, so its
     * {@code try (stream)} could not close the stream.
     */
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
            HttpResponseWriter out = new HttpResponseWriter(stream, server.ioTimeout, server.date);
            StreamReader in = new StreamReader(new FlushBeforeRead(out), 8192);
            CancelScope.Body<HttpRequestHead> readHead = scope -> server.parser.readRequest(in); // one per connection, not per request
            while (exchange(in, out, readHead)) {
                // next request: its head may already be buffered (pipelining)
            }
            out.flush();
            if (unreadInput) drainBeforeClose();
        } catch (IOException e) {
            server.log(peer + " dropped: " + e.getMessage()); // reset, TLS failure, stalled client
        } finally {
            server.closed(this);
        }
        return null;
    }

    /** Reads one request and answers it; whether the connection stays open for another. */
    private boolean exchange(StreamReader in, HttpResponseWriter out, CancelScope.Body<HttpRequestHead> readHead) throws IOException {
        if (server.draining()) return false;
        idle = true;
        HttpRequestHead req;
        try {
            // null: the client closed, or sent no complete head within the idle timeout
            req = CancelScope.open(server.idleTimeout, readHead);
        } catch (HttpException e) {
            reject(out, e.status(), e.getMessage(), "-");
            unreadInput = true; // the rest of the head, and whatever follows it
            return false;
        } catch (IOException | RuntimeException e) {
            throw e;
        } catch (Exception impossible) {
            throw new IllegalStateException(impossible);
        }
        if (req == null) return false;
        idle = false;
        long t0 = server.logging() ? Xiio.nanoTime() : 0;
        HttpResponse response = null;
        boolean keepAlive = req.keepAlive();
        byte[] body = null;
        try {
            body = readBody(in, out, req);
        } catch (HttpException e) {
            response = HttpResponse.error(e.status(), e.getMessage());
            keepAlive = false; // the rest of the body, if any, is still unread
            unreadInput = true;
        } catch (TimeoutException e) {
            response = HttpResponse.error(408, "the body did not arrive within " + DurationConverter.format(server.ioTimeout));
            keepAlive = false;
            unreadInput = true;
        }
        if (response == null) response = answer(req, body);
        keepAlive &= !server.draining();
        // an HTTP/1.0 client keeps the connection only if told so (RFC 9112 section C.2.2)
        out.write(response, req.isHead(), keepAlive, keepAlive && req.version().equals("HTTP/1.0"));
        if (server.logging()) {
            server.log(peer + " " + req.method() + " " + Texts.shorten(req.target()) + " " + response.status() + " "
                    + response.body().length() + " B " + (Xiio.nanoTime() - t0) / 1000 + " us");
        }
        return keepAlive;
    }

    /** What the routes answer; their failures become error pages, and the connection goes on. */
    private HttpResponse answer(HttpRequestHead req, byte[] body) {
        try {
            return server.routes.handle(req, body);
        } catch (HttpException e) {
            return HttpResponse.error(e.status(), e.getMessage());
        } catch (AccessDeniedException e) {
            return HttpResponse.error(403, "permission denied");
        } catch (Exception e) {
            server.log(peer + " " + req.method() + " " + Texts.shorten(req.target()) + " failed: " + e);
            return HttpResponse.error(500, e.getClass().getSimpleName());
        }
    }

    /**
     * The request body, in memory (at most {@code --max-body}), within {@code --io-timeout}.
     *
     * @throws IOException if the connection fails; HttpException for a bad or too large body
     * @throws TimeoutException if it does not arrive in time
     */
    private byte[] readBody(StreamReader in, HttpResponseWriter out, HttpRequestHead req) throws IOException, TimeoutException {
        BodyFraming framing = BodyFraming.ofRequest(req.headers());
        if (framing.kind() == BodyFraming.Kind.NONE) return NO_BODY;
        if (framing.kind() == BodyFraming.Kind.LENGTH && framing.length() > server.maxBody) {
            throw new HttpException(413, "the body is larger than " + server.maxBody + " bytes"); // before reading any of it
        }
        if (req.expectsContinue()) out.writeContinue();
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        try {
            Timeout.withTimeout(server.ioTimeout, () -> new BodyReader(in, framing, server.maxBody).transferTo(body::write));
        } catch (IOException | TimeoutException | RuntimeException e) {
            throw e;
        } catch (Exception impossible) {
            throw new IllegalStateException(impossible);
        }
        return body.toByteArray();
    }

    private void reject(HttpResponseWriter out, int status, String why, String target) throws IOException {
        out.write(HttpResponse.error(status, why), false, false, false);
        out.flush();
        server.log(peer + " " + target + " " + status + " " + why);
    }

    /**
     * After an error answer while the client may still be sending (a request line or head
     * over the limit, a body refused or late): half-close, then read and discard what
     * comes, at most 256 KiB within 2 s, until the client closes. Closing at once with
     * unread input makes the kernel answer with a reset, and a client still sending then
     * gets ECONNRESET instead of the answer waiting for it (nginx's "lingering close").
     */
    private void drainBeforeClose() {
        try {
            stream.shutdownOutput();
            Timeout.withTimeoutOrNull(DRAIN_TIME, () -> {
                byte[] sink = new byte[16 * 1024];
                long total = 0;
                for (int n; total < DRAIN_BYTES && (n = stream.read(sink, 0, sink.length)) > 0; ) total += n;
                return null;
            });
        } catch (Exception clientGone) {
            // a reset or a failed write: nothing left to protect
        }
    }

    /**
     * The connection as the request reader sees it: before every read that may wait,
     * pending answers are sent. The reader reads only when its buffer cannot serve
     * the request, so answers to a pipelined batch pile up and leave together.
     */
    private final class FlushBeforeRead extends ForwardingStream {
        private final HttpResponseWriter out;

        FlushBeforeRead(HttpResponseWriter out) {
            super(HttpConnection.this.stream);
            this.out = out;
        }

        @Override
        public int read(byte[] buf, int off, int len) throws IOException {
            out.flush();
            return stream.read(buf, off, len);
        }
    }
}
