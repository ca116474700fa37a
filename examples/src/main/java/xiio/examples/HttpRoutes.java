package xiio.examples;

import xiio.http.HttpException;
import xiio.http.HttpRequestHead;
import java.time.Duration;
import xiio.core.Xiio;

/**
 * What the example server serves:
 * <ul>
 * <li>{@code /}: a hello page (GET, HEAD);
 * <li>{@code /echo}: the request body back, with its Content-Type (POST);
 * <li>{@code /sleep?ms=N}: an empty answer after N ms, a stand-in for a slow backend
 *     that shows one waiting request holds up nobody else (GET, HEAD);
 * <li>{@code /files/...}: the directory given with {@code --root} (GET, HEAD).
 * </ul>
 * Anything else is 404; a known path with another method is 405 with {@code Allow}.
 */
final class HttpRoutes {
    static final String FILES = "/files/";

    private final StaticFiles files; // null without --root
    private final HttpResponse hello; // the same bytes for every request: the backend is chosen once per JVM

    HttpRoutes(StaticFiles files) {
        this.files = files;
        this.hello = HttpResponse.html(200, "<!doctype html><title>xiio</title><h1>Hello from xiio-java</h1>"
                + "<p>One loop thread, one coroutine per connection (backend " + Xiio.backend() + ").</p>"
                + (files == null ? "" : "<p><a href=\"" + FILES + "\">files</a></p>") + "\n");
    }

    HttpResponse handle(HttpRequestHead req, byte[] body) throws Exception {
        String path = req.path();
        boolean read = req.method().equals("GET") || req.isHead();
        if (path.equals("/")) {
            return read ? hello : notAllowed("GET, HEAD");
        }
        if (path.equals("/echo")) {
            if (!req.method().equals("POST")) return notAllowed("POST");
            String type = req.headers().get("Content-Type");
            return HttpResponse.of(200, type != null ? type : "application/octet-stream", body);
        }
        if (path.equals("/sleep")) {
            if (!read) return notAllowed("GET, HEAD");
            long ms = queryLong(req.target(), "ms", 0, 60_000);
            Xiio.sleep(Duration.ofMillis(ms));
            return HttpResponse.text(200, "slept " + ms + " ms\n");
        }
        if (path.startsWith(FILES) || path.equals("/files")) {
            if (files == null) return HttpResponse.error(404, "no directory is served; start the server with --root DIR");
            if (!read) return notAllowed("GET, HEAD");
            if (path.equals("/files")) return HttpResponse.error(301, "the files are under " + FILES).with("Location", FILES);
            return files.get(path.substring(FILES.length()), FILES);
        }
        return HttpResponse.error(404, "nothing at " + Texts.shorten(path));
    }

    private static HttpResponse notAllowed(String allow) {
        return HttpResponse.error(405, "this resource answers " + allow).with("Allow", allow);
    }

    /** The number in {@code name=N} of the query, within [min, max]. */
    private static long queryLong(String target, String name, long min, long max) throws HttpException {
        int q = target.indexOf('?');
        if (q >= 0) {
            for (String pair : target.substring(q + 1).split("&")) {
                if (!pair.startsWith(name + "=")) continue;
                try {
                    long v = Long.parseLong(pair.substring(name.length() + 1));
                    if (v >= min && v <= max) return v;
                } catch (NumberFormatException ignored) {
                    // reported below
                }
                break;
            }
        }
        throw new HttpException(400, "say ?" + name + "=N with N from " + min + " to " + max);
    }
}
