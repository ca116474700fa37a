package xiio.http.server;

import java.time.Instant;
import java.util.List;
import xiio.http.HttpDate;
import xiio.http.HttpHeaders;

/**
 * Conditional requests (RFC 9110 section 13) against a file's validators: a strong
 * entity tag and a modification time to the second. The fields are evaluated in the
 * order section 13.2.2 gives: {@code If-Match}, else {@code If-Unmodified-Since}
 * (412 when they fail); then {@code If-None-Match}, else {@code If-Modified-Since}
 * (304 for GET and HEAD). A date that does not parse, or a list of dates, is
 * ignored, as the RFC asks; a malformed entity-tag list matches nothing.
 */
final class Preconditions {
    /** What the evaluation decided: go on to answer, or answer with this status. */
    static final int PROCEED = 0;

    private Preconditions() {}

    /**
     * {@link #PROCEED}, 304 or 412.
     *
     * @param getOrHead whether the method is GET or HEAD (only they get a 304)
     * @param etag      the current strong entity tag, quotes included
     * @param modified  the modification time, truncated to the second
     */
    static int evaluate(HttpHeaders h, boolean getOrHead, String etag, Instant modified) {
        List<String> ifMatch = h.all("If-Match");
        if (!ifMatch.isEmpty()) {
            if (!matches(ifMatch, etag, false)) return 412;
        } else {
            Instant since = singleDate(h, "If-Unmodified-Since");
            if (since != null && modified.isAfter(since)) return 412;
        }
        List<String> ifNoneMatch = h.all("If-None-Match");
        if (!ifNoneMatch.isEmpty()) {
            if (matches(ifNoneMatch, etag, true)) return getOrHead ? 304 : 412;
        } else if (getOrHead) {
            Instant since = singleDate(h, "If-Modified-Since");
            if (since != null && !modified.isAfter(since)) return 304;
        }
        return PROCEED;
    }

    /**
     * Whether a {@code Range} may be honoured (section 13.1.5): there is no {@code If-Range},
     * or it names the current entity tag (strong comparison: a weak tag never matches),
     * or the exact {@code Last-Modified} date while that date is a strong validator: the
     * file was not changed within the second before now (section 8.8.2.2), else two
     * versions in one second would share it.
     *
     * @param dateIsStrong whether the modification time lies more than a second in the past
     */
    static boolean ifRangeHolds(HttpHeaders h, String etag, Instant modified, boolean dateIsStrong) {
        String v = h.get("If-Range");
        if (v == null) return true;
        v = v.strip();
        if (v.startsWith("\"") || v.startsWith("W/")) return v.equals(etag);
        Instant date = HttpDate.parse(v);
        return dateIsStrong && date != null && date.equals(modified);
    }

    private static Instant singleDate(HttpHeaders h, String name) {
        return h.count(name) == 1 ? HttpDate.parse(h.get(name)) : null;
    }

    /**
     * Whether one of {@code fieldValues} (each {@code *} or a list of entity tags) matches
     * {@code etag}: the weak comparison ignores {@code W/}, the strong one needs both strong.
     */
    static boolean matches(List<String> fieldValues, String etag, boolean weak) {
        for (String v : fieldValues) {
            if (v.strip().equals("*")) return true;
            int i = 0, n = v.length();
            while (i < n) {
                char c = v.charAt(i);
                if (c == ' ' || c == '\t' || c == ',') {
                    i++;
                    continue;
                }
                boolean isWeak = v.startsWith("W/", i);
                int open = isWeak ? i + 2 : i;
                if (open >= n || v.charAt(open) != '"') return false; // malformed: matches nothing
                int close = v.indexOf('"', open + 1);
                if (close < 0) return false;
                if ((weak || !isWeak) && v.regionMatches(open, etag, 0, etag.length()) && close + 1 - open == etag.length()) return true;
                i = close + 1;
            }
        }
        return false;
    }
}
