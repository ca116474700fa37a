package xiio.examples;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;

/**
 * The {@code Date} header line of responses, formatted at most once per second: a
 * second's answers all carry the same value, so formatting it for each one (a
 * {@code ZonedDateTime}, a {@code StringBuilder}, a {@code String} and its bytes)
 * would be wasted work. Tuned servers, Netty's included, cache it the same way.
 * One per server; not thread-safe (the server runs on one loop thread).
 */
final class HttpDate {
    /**
     * IMF-fixdate (RFC 9110 section 5.6.7): {@code Thu, 05 Nov 2026 08:49:37 GMT}.
     * Not {@link DateTimeFormatter#RFC_1123_DATE_TIME}, which prints days 1 to 9 with
     * one digit ({@code Thu, 5 Nov}), a form HTTP recipients need not accept.
     */
    static final DateTimeFormatter IMF_FIXDATE =
            DateTimeFormatter.ofPattern("EEE, dd MMM yyyy HH:mm:ss 'GMT'", Locale.US).withZone(ZoneOffset.UTC);

    private final Clock clock;
    private long second = Long.MIN_VALUE;
    private byte[] line;

    HttpDate(Clock clock) {
        this.clock = clock;
    }

    /** {@code t} as IMF-fixdate. */
    static String format(Instant t) {
        return IMF_FIXDATE.format(t);
    }

    /** {@code "Date: <now>\r\n"} in ISO-8859-1; the same array until the clock's second changes. */
    byte[] line() {
        long now = Math.floorDiv(clock.millis(), 1000);
        if (now != second) {
            line = ("Date: " + format(Instant.ofEpochSecond(now)) + "\r\n").getBytes(StandardCharsets.ISO_8859_1);
            second = now;
        }
        return line;
    }
}
