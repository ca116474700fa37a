package xiio.http.server;

import java.util.ArrayList;
import java.util.List;

/**
 * The {@code Range} field of a GET (RFC 9110 section 14): {@code bytes=0-99},
 * {@code bytes=100-}, {@code bytes=-100} (the last 100), and lists of them.
 *
 * <p>What is honoured is bounded, since a list of ranges is an old way to make a
 * server send far more than the file (Apache's CVE-2011-3192 asked for the same file
 * hundreds of times over in overlapping ranges): more than {@code maxRanges} ranges,
 * or ranges whose lengths add up to more than the file (so they overlap), make the
 * field ignored and the whole file sent, once. So does a field that does not parse
 * or names another unit, as section 14.2 allows. Ranges are kept in the order asked
 * and not merged.
 */
final class ByteRanges {
    /** One satisfiable range, inclusive at both ends. */
    record Range(long first, long last) {
        long length() {
            return last - first + 1;
        }

        String contentRange(long size) {
            return "bytes " + first + "-" + last + "/" + size;
        }
    }

    private ByteRanges() {}

    /**
     * The satisfiable ranges of {@code field} in a file of {@code size} bytes: null when
     * the field is to be ignored (serve the whole file), empty when none is satisfiable (416).
     */
    static List<Range> parse(String field, long size, int maxRanges) {
        String v = field.strip();
        int eq = v.indexOf('=');
        if (eq < 0 || !v.substring(0, eq).strip().equalsIgnoreCase("bytes")) return null;
        List<Range> ranges = new ArrayList<>();
        int specs = 0;
        long total = 0;
        for (String element : v.substring(eq + 1).split(",", -1)) {
            String spec = element.strip();
            if (spec.isEmpty()) continue; // empty list elements are allowed (section 5.6.1)
            if (++specs > maxRanges) return null;
            int dash = spec.indexOf('-');
            if (dash < 0) return null;
            long first, last;
            if (dash == 0) { // the last N bytes
                long suffix = digits(spec, 1, spec.length());
                if (suffix < 0) return null;
                if (suffix == 0 || size == 0) continue; // unsatisfiable
                first = Math.max(0, size - suffix);
                last = size - 1;
            } else {
                first = digits(spec, 0, dash);
                long end = dash + 1 == spec.length() ? Long.MAX_VALUE : digits(spec, dash + 1, spec.length());
                if (first < 0 || end < 0 || end < first) return null;
                if (first >= size) continue; // unsatisfiable
                last = Math.min(end, size - 1);
            }
            Range r = new Range(first, last);
            total += r.length();
            if (total > size) return null; // overlapping ranges: send the file once instead
            ranges.add(r);
        }
        return specs == 0 ? null : ranges;
    }

    /** The decimal number in {@code s[from, to)}, saturating at Long.MAX_VALUE; -1 if it is not one. */
    private static long digits(String s, int from, int to) {
        if (from >= to) return -1;
        long n = 0;
        for (int i = from; i < to; i++) {
            char c = s.charAt(i);
            if (c < '0' || c > '9') return -1;
            n = n > (Long.MAX_VALUE - 9) / 10 ? Long.MAX_VALUE : n * 10 + (c - '0');
        }
        return n;
    }
}
