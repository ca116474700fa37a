package xiio.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

/** The Date header: IMF-fixdate (two-digit day, GMT), formatted once per second. */
class HttpDateTest {
    @Test
    void aSingleDigitDayIsPrintedWithTwoDigits() {
        assertEquals("Thu, 05 Nov 2026 08:49:37 GMT", HttpDate.format(Instant.parse("2026-11-05T08:49:37Z")));
        assertEquals("Sat, 01 Jan 2000 00:00:00 GMT", HttpDate.format(Instant.parse("2000-01-01T00:00:00Z")));
        assertEquals("Wed, 31 Dec 1969 23:59:59 GMT", HttpDate.format(Instant.parse("1969-12-31T23:59:59.999Z")));
    }

    @Test
    void theLineIsFormattedOncePerSecondOfTheClock() {
        SettableClock clock = new SettableClock(Instant.parse("2026-11-05T08:49:37.001Z"));
        HttpDate date = new HttpDate(clock);
        byte[] first = date.line();
        assertEquals("Date: Thu, 05 Nov 2026 08:49:37 GMT\r\n", new String(first, StandardCharsets.ISO_8859_1));

        clock.now = Instant.parse("2026-11-05T08:49:37.999Z");
        assertSame(first, date.line(), "the same second: the cached bytes");

        clock.now = Instant.parse("2026-11-05T08:49:38Z");
        byte[] next = date.line();
        assertNotSame(first, next);
        assertEquals("Date: Thu, 05 Nov 2026 08:49:38 GMT\r\n", new String(next, StandardCharsets.ISO_8859_1));
    }

    /** A clock the test moves by hand. */
    private static final class SettableClock extends Clock {
        Instant now;

        SettableClock(Instant now) {
            this.now = now;
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            throw new UnsupportedOperationException();
        }

        @Override
        public Instant instant() {
            return now;
        }
    }
}
