package xiio.http.server;

import java.io.IOException;
import xiio.concurrent.Task;
import xiio.concurrent.TaskGroup;
import xiio.core.CancelScope;
import xiio.core.Condition;
import xiio.core.Promise;
import xiio.core.Xiio;
import xiio.http.HttpRequestHead;

/**
 * Watches one connection for a client that goes away while its request is handled:
 * between {@link #begin} (the request's body is read, its handler runs) and
 * {@link #end}, a task reads the connection ahead of the request reader; if the client
 * closes or resets it instead of sending its next request, the request's cancel scope
 * is cancelled, so the handler gets a {@link xiio.core.CancelledError} at its
 * suspension point and its {@code finally} blocks run.
 *
 * <p>One task per connection, spawned into the server's group at the connection's
 * first request and kept until the connection ends, rather than a task group and a
 * task per request; and woken by the request scope's first suspension
 * ({@link CancelScope#completeOnSuspend}), so a request whose handler answers without
 * suspending costs it nothing, not even a resume (that halved the coroutine switches
 * of a hello request).
 * The task never fails (a failure would end the server's group); it reports through
 * {@link #end}.
 */
final class DisconnectWatch {
    private final TaskGroup group;
    private final ConnectionInput input;
    private final String name;
    private Task<Void> task;
    /** What the task awaits between requests; null while it runs or reads. */
    private Promise<Void> wake;
    /** The scope of the request being watched, null between requests. */
    private CancelScope request;
    private HttpRequestHead requestHead;
    /** The task's read ahead of the request reader, while it waits for the client. */
    private CancelScope reading;
    private String gone;
    private IOException goneCause; // the read's failure (a reset), or null for a close
    private boolean closed;

    DisconnectWatch(TaskGroup group, ConnectionInput input, String name) {
        this.group = group;
        this.input = input;
        this.name = name;
    }

    /** A request's body has been read and its handler runs in {@code scope}: watch until {@link #end}. */
    void begin(CancelScope scope, HttpRequestHead head) {
        request = scope;
        requestHead = head;
        if (task == null) {
            task = group.spawn(name, this::run); // starts at the connection's next suspension
        } else if (wake != null) {
            // woken only if the request's code really waits: a handler that answers without
            // suspending costs no resume of the task (half the switches of a hello request)
            scope.completeOnSuspend(wake);
        }
    }

    /**
     * The request is over: stop watching it (a read the task waits in is cancelled before
     * it consumed anything, so the request reader can read again).
     *
     * @return why the client's request was cancelled, with the read's failure as its
     *         cause for a reset; null while the client is there
     */
    ClientGoneException end() {
        request = null;
        requestHead = null;
        if (reading != null) reading.cancel();
        if (gone == null) return null;
        ClientGoneException e = goneCause == null ? new ClientGoneException(gone) : new ClientGoneException(gone, goneCause);
        gone = null;
        goneCause = null;
        return e;
    }

    /** The connection ends: the task returns. */
    void close() {
        closed = true;
        end();
        if (wake != null) wake.tryComplete(null);
    }

    private Void run() {
        while (!closed) {
            CancelScope watched = request;
            if (watched == null) {
                awaitNextRequest();
                continue;
            }
            HttpRequestHead head = requestHead;
            String why;
            IOException cause = null;
            try {
                Boolean more = CancelScope.open(scope -> {
                    reading = scope;
                    return input.fill();
                });
                if (more == null) continue; // the request ended first (end() cancelled the read)
                why = more ? null : "the client closed the connection during " + head.method() + " " + head.path();
            } catch (IOException e) {
                why = "the client reset the connection during " + head.method() + " " + head.path();
                cause = e;
            } catch (RuntimeException | Error e) {
                throw e;
            } catch (Exception impossible) {
                throw new IllegalStateException(impossible);
            } finally {
                reading = null;
            }
            if (watched == request) {
                // the client's next request arrived (why == null): it is still there; else it left
                request = null;
                if (why != null) {
                    gone = why;
                    goneCause = cause;
                    watched.cancel();
                }
            }
        }
        return null;
    }

    private void awaitNextRequest() {
        Promise<Void> w = new Promise<>();
        wake = w;
        try {
            Xiio.await(Condition.done(w));
        } catch (IOException impossible) {
            throw new IllegalStateException("waiting on a promise failed", impossible);
        } finally {
            if (wake == w) wake = null;
        }
    }
}
