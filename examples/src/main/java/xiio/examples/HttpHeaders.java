package xiio.examples;

import java.io.EOFException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
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
 */
final class HttpHeaders {
    private final List<String> names = new ArrayList<>();   // lower case
    private final List<String> values = new ArrayList<>();

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
            String value = line.substring(colon + 1).strip();
            for (int i = 0; i < value.length(); i++) {
                char c = value.charAt(i);
                if (c < 0x20 && c != '\t' || c == 0x7f) throw new HttpException(400, "control character in header " + line.substring(0, colon));
            }
            if (h.names.size() == maxFields) throw new HttpException(431, "more than " + maxFields + " header fields");
            h.add(line.substring(0, colon), value);
        }
    }

    void add(String name, String value) {
        names.add(name.toLowerCase(Locale.ROOT));
        values.add(value);
    }

    /** The first value of {@code name} (any case), or null. */
    String get(String name) {
        int i = names.indexOf(name.toLowerCase(Locale.ROOT));
        return i < 0 ? null : values.get(i);
    }

    /** Every value of {@code name}, in order. */
    List<String> all(String name) {
        String lower = name.toLowerCase(Locale.ROOT);
        List<String> found = new ArrayList<>();
        for (int i = 0; i < names.size(); i++) if (names.get(i).equals(lower)) found.add(values.get(i));
        return found;
    }

    /** Whether a comma-separated field such as {@code Connection} lists {@code token} (any case). */
    boolean hasToken(String name, String token) {
        for (String v : all(name)) {
            for (String t : v.split(",")) if (t.strip().equalsIgnoreCase(token)) return true;
        }
        return false;
    }

    int size() {
        return names.size();
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
