package xiio.examples;

import java.io.EOFException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import xiio.io.LimitExceededException;
import xiio.io.StreamReader;

/**
 * The header fields of a request or response, in order, and their parser (RFC 9112
 * section 5), shared by the {@code http} server and the {@code fetch} client.
 * Parsing is strict where leniency lets two parsers disagree about where a message
 * ends (the root of request smuggling): no whitespace before the colon, no line
 * folding, no control characters in values.
 *
 * <p>Lookups compare names ignoring case and scan the fields in place: a request
 * has a handful of fields, and a lookup allocates nothing.
 */
final class HttpHeaders {
    /** Lower-case names a request usually has, so reading one allocates no name. */
    private static final String[] COMMON_NAMES = {
        "host", "connection", "content-length", "content-type", "transfer-encoding", "expect",
        "user-agent", "accept", "accept-encoding", "accept-language", "cookie", "upgrade",
    };

    private String[] fields = new String[16]; // name (lower case), value, name, value, ...
    private int size;                          // number of fields

    /**
     * Reads header lines up to the empty line that ends them.
     *
     * @param maxBytes the most bytes the whole section may take (its line endings included)
     * @param maxFields the most fields
     * @throws HttpException 431 if a limit is exceeded, 400 if a line is malformed
     * @throws EOFException if the stream ends first
     */
    static HttpHeaders read(StreamReader in, int maxBytes, int maxFields) throws IOException {
        HttpHeaders h = new HttpHeaders();
        int used = 0;
        while (true) {
            String line;
            try {
                // ISO-8859-1 maps bytes to chars one to one, so lengths are byte counts
                line = in.readLine(Math.max(0, maxBytes - used), StandardCharsets.ISO_8859_1);
            } catch (LimitExceededException e) {
                throw new HttpException(431, "the header section is larger than " + maxBytes + " bytes");
            }
            if (line == null) throw new EOFException("the connection ended inside the header section");
            used += line.length() + 2;
            if (line.isEmpty()) return h;
            if (line.charAt(0) == ' ' || line.charAt(0) == '\t') {
                throw new HttpException(400, "obsolete line folding in the header section");
            }
            int colon = line.indexOf(':');
            if (colon <= 0 || !isToken(line, 0, colon)) {
                throw new HttpException(400, "malformed header line: " + shorten(line));
            }
            // optional whitespace around the value is spaces and tabs (RFC 9110 section 5.6.3)
            int from = colon + 1, to = line.length();
            while (from < to && isBlank(line.charAt(from))) from++;
            while (to > from && isBlank(line.charAt(to - 1))) to--;
            for (int i = from; i < to; i++) {
                char c = line.charAt(i);
                if (c < 0x20 && c != '\t' || c == 0x7f) throw new HttpException(400, "control character in header " + line.substring(0, colon));
            }
            if (h.size == maxFields) throw new HttpException(431, "more than " + maxFields + " header fields");
            h.append(lowerCaseName(line, colon), line.substring(from, to));
        }
    }

    void add(String name, String value) {
        append(name.toLowerCase(Locale.ROOT), value);
    }

    private void append(String lowerName, String value) {
        if (2 * size == fields.length) fields = Arrays.copyOf(fields, fields.length * 2);
        fields[2 * size] = lowerName;
        fields[2 * size + 1] = value;
        size++;
    }

    /** The first value of {@code name} (any case), or null. */
    String get(String name) {
        for (int i = 0; i < size; i++) if (fields[2 * i].equalsIgnoreCase(name)) return fields[2 * i + 1];
        return null;
    }

    /** How many fields are called {@code name} (any case). */
    int count(String name) {
        int n = 0;
        for (int i = 0; i < size; i++) if (fields[2 * i].equalsIgnoreCase(name)) n++;
        return n;
    }

    /** Every value of {@code name}, in order. */
    List<String> all(String name) {
        List<String> found = new ArrayList<>();
        for (int i = 0; i < size; i++) if (fields[2 * i].equalsIgnoreCase(name)) found.add(fields[2 * i + 1]);
        return found;
    }

    /** Whether a comma-separated field such as {@code Connection} lists {@code token} (any case). */
    boolean hasToken(String name, String token) {
        for (int i = 0; i < size; i++) {
            if (!fields[2 * i].equalsIgnoreCase(name)) continue;
            String v = fields[2 * i + 1];
            for (int start = 0; start <= v.length(); ) {
                int comma = v.indexOf(',', start);
                int end = comma < 0 ? v.length() : comma;
                int from = start, to = end;
                while (from < to && Character.isWhitespace(v.charAt(from))) from++;
                while (to > from && Character.isWhitespace(v.charAt(to - 1))) to--;
                if (to - from == token.length() && v.regionMatches(true, from, token, 0, token.length())) return true;
                start = end + 1;
            }
        }
        return false;
    }

    int size() {
        return size;
    }

    /** {@code line[0, end)} in lower case: a shared constant for the common names. */
    private static String lowerCaseName(String line, int end) {
        for (String known : COMMON_NAMES) {
            if (known.length() == end && line.regionMatches(true, 0, known, 0, end)) return known;
        }
        return line.substring(0, end).toLowerCase(Locale.ROOT);
    }

    private static boolean isBlank(char c) {
        return c == ' ' || c == '\t';
    }

    /** RFC 9110 token characters: what a method or a field name may contain. */
    static boolean isToken(String s, int from, int to) {
        if (from >= to) return false;
        for (int i = from; i < to; i++) {
            char c = s.charAt(i);
            boolean ok = c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9'
                    || "!#$%&'*+-.^_`|~".indexOf(c) >= 0;
            if (!ok) return false;
        }
        return true;
    }

    static String shorten(String s) {
        return s.length() <= 60 ? s : s.substring(0, 60) + "...";
    }
}
