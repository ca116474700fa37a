package xiio.http;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.Objects;

/**
 * HTTP dates (RFC 9110 section 5.6.7), and the {@code Date} header line of responses
 * formatted at most once per second: a second's answers all carry the same value, so
 * formatting it for each one would be wasted work (tuned servers, Netty's included,
 * cache it the same way). An instance is not thread-safe: one per loop.
 *
 * {@snippet :
 * HttpDate.format(Instant.EPOCH);                  // "Thu, 01 Jan 1970 00:00:00 GMT"
 * HttpDate.parse("Sunday, 06-Nov-94 08:49:37 GMT"); // 1994-11-06T08:49:37Z
 * }
 */
public final class HttpDate {
    /**
     * IMF-fixdate: {@code Thu, 05 Nov 2026 08:49:37 GMT}. Not
     * {@link DateTimeFormatter#RFC_1123_DATE_TIME}, which prints days 1 to 9 with one
     * digit ({@code Thu, 5 Nov}), a form HTTP recipients need not accept.
     */
    public static final DateTimeFormatter IMF_FIXDATE =
            DateTimeFormatter.ofPattern("EEE, dd MMM yyyy HH:mm:ss 'GMT'", Locale.US).withZone(ZoneOffset.UTC);
    private static final DateTimeFormatter RFC_850 = DateTimeFormatter.ofPattern("EEEE, dd-MMM-yy HH:mm:ss 'GMT'", Locale.US);
    private static final DateTimeFormatter ASCTIME = DateTimeFormatter.ofPattern("EEE MMM ppd HH:mm:ss yyyy", Locale.US);

    private final Clock clock;
    private long second = Long.MIN_VALUE;
    private byte[] line;

    /**
     * A {@code Date} line source reading {@code clock}.
     *
     * @param clock the time source, {@link Clock#systemUTC()} outside tests
     */
    public HttpDate(Clock clock) {
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /**
     * {@code t} as IMF-fixdate, to the second.
     *
     * @param t an instant
     * @return for example {@code Thu, 05 Nov 2026 08:49:37 GMT}
     */
    public static String format(Instant t) {
        return IMF_FIXDATE.format(t);
    }

    /**
     * Reads an HTTP date in any of the three forms a recipient must accept: IMF-fixdate,
     * the obsolete RFC 850 form (a two-digit year is taken as within 50 years of now, as
     * RFC 9110 asks) and C's asctime form.
     *
     * @param s the field value
     * @return the instant, or null if {@code s} is none of the three forms (a conditional
     *         request with a bad date is then unconditional, as RFC 9110 says)
     */
    public static Instant parse(String s) {
        if (s == null) return null;
        String v = s.strip();
        try {
            return Instant.from(IMF_FIXDATE.parse(v));
        } catch (DateTimeParseException notFixdate) {
            // try the obsolete forms
        }
        try {
            LocalDateTime t = LocalDateTime.parse(v, RFC_850);
            int year = LocalDateTime.now(ZoneOffset.UTC).getYear();
            while (t.getYear() > year + 50) t = t.minusYears(100);
            while (t.getYear() < year - 50) t = t.plusYears(100);
            return t.toInstant(ZoneOffset.UTC);
        } catch (DateTimeParseException notRfc850) {
            // try asctime
        }
        try {
            return LocalDateTime.parse(v, ASCTIME).toInstant(ZoneOffset.UTC);
        } catch (DateTimeParseException notAsctime) {
            return null;
        }
    }

    /**
     * {@code "Date: <now>\r\n"} in ISO-8859-1: the same array until the clock's second
     * changes. Callers must not change it.
     *
     * @return the header line
     */
    public byte[] line() {
        long now = Math.floorDiv(clock.millis(), 1000);
        if (now != second) {
            line = ("Date: " + format(Instant.ofEpochSecond(now)) + "\r\n").getBytes(StandardCharsets.ISO_8859_1);
            second = now;
        }
        return line;
    }
}
