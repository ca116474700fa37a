package xiio.bench.http;

import java.nio.charset.StandardCharsets;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Locale;

/**
 * The bytes of the http example's hello page ({@code GET /}), so the Netty server
 * sends exactly what the xiio server sends: the same status line, the same header
 * fields in the same order (Date, Server, Content-Type, Content-Length), the same
 * body. The body is the one the xiio server sends on the continuation backend;
 * {@code HelloPageBytesTest} compares both servers' answers byte for byte.
 */
final class HelloPage {
    static final String SERVER = "xiio-example";
    private static final DateTimeFormatter IMF_FIXDATE =
            DateTimeFormatter.ofPattern("EEE, dd MMM yyyy HH:mm:ss 'GMT'", Locale.US).withZone(ZoneOffset.UTC);
    static final String CONTENT_TYPE = "text/html; charset=utf-8";
    /** What {@code POST /echo} answers without a Content-Type in the request, as the example does. */
    static final String ECHO_DEFAULT_TYPE = "application/octet-stream";
    /** The largest request body a peer accepts: the example's default {@code --max-body}, 1 MiB. */
    static final int MAX_BODY = 1 << 20;
    static final byte[] BODY = ("<!doctype html><title>xiio</title><h1>Hello from xiio-java</h1>"
            + "<p>One loop thread, one coroutine per connection (backend continuation).</p>\n")
            .getBytes(StandardCharsets.UTF_8);

    /** IMF-fixdate (RFC 9110 section 5.6.7), as the example formats it: {@code Thu, 05 Nov 2026 08:49:37 GMT}. */
    static String date(ZonedDateTime t) {
        return IMF_FIXDATE.format(t);
    }

    private HelloPage() {}
}
