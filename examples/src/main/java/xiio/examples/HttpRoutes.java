package xiio.examples;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import xiio.core.Xiio;
import xiio.http.HttpException;
import xiio.http.server.Request;
import xiio.http.server.Response;
import xiio.http.server.Router;
import xiio.http.server.StaticFiles;

/**
 * What the example server serves:
 * <ul>
 * <li>{@code /}: a hello page (GET, HEAD);
 * <li>{@code /echo}: the request body back, with its Content-Type (POST), read whole first
 *     (within the body limit: a 413 for more, a 408 for a body that stalls);
 * <li>{@code /echo/stream}: the same, streamed back as it arrives, so a body of any size
 *     costs the same few buffers (POST);
 * <li>{@code /sleep?ms=N}: an empty answer after N ms, a stand-in for a slow backend
 *     that shows one waiting request holds up nobody else (GET, HEAD);
 * <li>{@code /files/...}: the directory given with {@code --root} (GET, HEAD), by the
 *     module's {@link StaticFiles} with listings on: validators, conditional requests, ranges.
 * </ul>
 * Anything else is 404; a known path with another method is 405 with {@code Allow}.
 */
final class HttpRoutes {
    static final String FILES = "/files/";

    private HttpRoutes() {}

    static Router router(StaticFiles files) {
        // the same bytes for every request: the backend is chosen once per JVM
        Response hello = Response.html(200, "<!doctype html><title>xiio</title><h1>Hello from xiio-java</h1>"
                + "<p>One loop thread, one coroutine per connection (backend " + Xiio.backend() + ").</p>"
                + (files == null ? "" : "<p><a href=\"" + FILES + "\">files</a></p>") + "\n");
        return new Router()
                .get("/", r -> hello)
                .post("/echo", r -> {
                    String type = r.header("Content-Type");
                    return Response.of(200, type != null ? type : "application/octet-stream", r.body().readAllBytes());
                })
                .post("/echo/stream", r -> {
                    // the body back as it arrives: nothing is held but the buffers, whatever its
                    // size (a megabyte array per request, as /echo makes, is work for the GC);
                    // the answer starts before the body is read, so a stalled or oversized
                    // upload is cut off rather than answered 408 or 413
                    String type = r.header("Content-Type") != null ? r.header("Content-Type") : "application/octet-stream";
                    Response.StreamingBody echo = out -> r.body().transferTo(out::write);
                    long length = r.body().length(); // -1 for a chunked upload: answered chunked
                    return length < 0 ? Response.stream(200, type, echo) : Response.stream(200, type, length, echo);
                })
                .get("/sleep", r -> {
                    long ms = queryLong(r, "ms", 0, 60_000);
                    Xiio.sleep(Duration.ofMillis(ms));
                    return Response.text(200, "slept " + ms + " ms\n");
                })
                .get("/files", r -> files == null ? noRoot() : files.handle(r))
                .get("/files/{path...}", r -> files == null ? noRoot() : files.handle(r));
    }

    /** The handler of {@code --root}: under {@link #FILES}, with directory listings, since this is a demo. */
    static StaticFiles files(Path root, String cacheControl, boolean precompressed) throws IOException {
        return StaticFiles.builder(root).prefix(FILES).directoryListing(true).cacheControl(cacheControl).precompressed(precompressed).build();
    }

    private static Response noRoot() {
        return Response.error(404, "no directory is served; start the server with --root DIR");
    }

    /** The number in {@code name=N} of the query, within [min, max]. */
    private static long queryLong(Request r, String name, long min, long max) throws HttpException {
        String v = r.query(name);
        if (v != null) {
            try {
                long n = Long.parseLong(v);
                if (n >= min && n <= max) return n;
            } catch (NumberFormatException ignored) {
                // reported below
            }
        }
        throw new HttpException(400, "say ?" + name + "=N with N from " + min + " to " + max);
    }
}
