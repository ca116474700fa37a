package xiio.http;

import java.io.EOFException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import xiio.io.LimitExceededException;
import xiio.io.StreamReader;

/**
 * The header fields of a request or response, in order (RFC 9110 section 5), and their
 * parser (RFC 9112 section 5), the same for requests, responses and chunked trailers.
 * Parsing is strict where leniency lets two parsers disagree about where a message
 * ends (the root of request smuggling): no whitespace before the colon, no line
 * folding, no control characters (a bare CR included) in values.
 *
 * <p>Lookups compare names ignoring case and scan the fields in place: a message has a
 * handful of fields, and a lookup allocates nothing. Fields read off the wire have
 * lower-case names; fields added keep the case they were given. Not thread-safe.
 *
 * {@snippet :
 * HttpHeaders h = new HttpHeaders().add("Content-Type", "text/plain").add("Vary", "Accept");
 * h.get("content-type");                // "text/plain"
 * h.hasToken("Connection", "close");    // false
 * }
 */
public final class HttpHeaders {
    /** Lower-case names a message usually has, so reading one allocates no name. */
    private static final String[] COMMON_NAMES = {
        "host", "connection", "content-length", "content-type", "transfer-encoding", "expect",
        "user-agent", "accept", "accept-encoding", "accept-language", "cookie", "upgrade",
        "date", "server", "cache-control", "etag", "last-modified", "location", "set-cookie",
    };

    private String[] fields = new String[16]; // name, value, name, value, ...
    private int size;                          // number of fields

    /** An empty field list. */
    public HttpHeaders() {}

    /**
     * Reads header lines up to the empty line that ends them.
     *
     * @param in        the message, positioned after its start line
     * @param maxBytes  the most bytes the whole section may take (its line endings included)
     * @param maxFields the most fields
     * @return the fields
     * @throws HttpException 431 if a limit is exceeded, 400 if a line is malformed
     * @throws EOFException if the stream ends first
     * @throws IOException if reading fails
     */
    public static HttpHeaders read(StreamReader in, int maxBytes, int maxFields) throws IOException {
        HttpHeaders h = new HttpHeaders();
        int used = 0;
        while (true) {
            String line;
            try {
                // ISO-8859-1 maps bytes to chars one to one, so lengths are byte counts; readLine's
                // limit counts the CR, not the LF: what is left, less one, keeps the total within maxBytes
                line = in.readLine(Math.max(0, maxBytes - used - 1), StandardCharsets.ISO_8859_1);
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
                if (!isValueChar(line.charAt(i))) throw new HttpException(400, "control character in header " + line.substring(0, colon));
            }
            if (h.size == maxFields) throw new HttpException(431, "more than " + maxFields + " header fields");
            h.append(lowerCaseName(line, colon), line.substring(from, to));
        }
    }

    /**
     * Appends a field.
     *
     * @param name  a token (letters, digits, {@code !#$%&'*+-.^_`|~})
     * @param value the value: no CR, LF, NUL or other control character but tab
     * @return this
     * @throws IllegalArgumentException if the name is not a token or the value has a
     *         control character (which would let it inject fields of its own)
     */
    public HttpHeaders add(String name, String value) {
        check(name, value);
        append(name, value);
        return this;
    }

    /**
     * Replaces every field called {@code name} with one field, where the first one was
     * (at the end if there was none).
     *
     * @param name  a token
     * @param value the new value
     * @return this
     * @throws IllegalArgumentException as {@link #add}
     */
    public HttpHeaders set(String name, String value) {
        check(name, value);
        for (int i = 0; i < size; i++) {
            if (fields[2 * i].equalsIgnoreCase(name)) {
                fields[2 * i + 1] = value;
                removeFrom(name, i + 1);
                return this;
            }
        }
        append(name, value);
        return this;
    }

    /**
     * Removes every field called {@code name} (any case).
     *
     * @param name a field name
     * @return how many were removed
     */
    public int remove(String name) {
        return removeFrom(name, 0);
    }

    private int removeFrom(String name, int first) {
        int kept = first;
        for (int i = first; i < size; i++) {
            if (fields[2 * i].equalsIgnoreCase(name)) continue;
            fields[2 * kept] = fields[2 * i];
            fields[2 * kept + 1] = fields[2 * i + 1];
            kept++;
        }
        int removed = size - kept;
        Arrays.fill(fields, 2 * kept, 2 * size, null);
        size = kept;
        return removed;
    }

    private void append(String name, String value) {
        if (2 * size == fields.length) fields = Arrays.copyOf(fields, fields.length * 2);
        fields[2 * size] = name;
        fields[2 * size + 1] = value;
        size++;
    }

    /**
     * The first value of {@code name}.
     *
     * @param name a field name, any case
     * @return the value, or null if there is no such field
     */
    public String get(String name) {
        for (int i = 0; i < size; i++) if (fields[2 * i].equalsIgnoreCase(name)) return fields[2 * i + 1];
        return null;
    }

    /**
     * How many fields are called {@code name}.
     *
     * @param name a field name, any case
     * @return the count
     */
    public int count(String name) {
        int n = 0;
        for (int i = 0; i < size; i++) if (fields[2 * i].equalsIgnoreCase(name)) n++;
        return n;
    }

    /**
     * Every value of {@code name}, in order.
     *
     * @param name a field name, any case
     * @return the values, empty if none
     */
    public List<String> all(String name) {
        List<String> found = new ArrayList<>();
        for (int i = 0; i < size; i++) if (fields[2 * i].equalsIgnoreCase(name)) found.add(fields[2 * i + 1]);
        return found;
    }

    /**
     * Whether a comma-separated field such as {@code Connection} lists {@code token}.
     *
     * @param name  a field name, any case
     * @param token the element to look for, any case
     * @return true if any field called {@code name} lists it
     */
    public boolean hasToken(String name, String token) {
        for (int i = 0; i < size; i++) {
            if (!fields[2 * i].equalsIgnoreCase(name)) continue;
            String v = fields[2 * i + 1];
            for (int start = 0; start <= v.length(); ) {
                int comma = v.indexOf(',', start);
                int end = comma < 0 ? v.length() : comma;
                int from = start, to = end;
                while (from < to && isBlank(v.charAt(from))) from++;
                while (to > from && isBlank(v.charAt(to - 1))) to--;
                if (to - from == token.length() && v.regionMatches(true, from, token, 0, token.length())) return true;
                start = end + 1;
            }
        }
        return false;
    }

    /** @return the number of fields */
    public int size() {
        return size;
    }

    /**
     * The name of field {@code i}, in order.
     *
     * @param i 0 to {@code size() - 1}
     * @return its name (lower case if it was read off the wire)
     */
    public String name(int i) {
        Objects.checkIndex(i, size);
        return fields[2 * i];
    }

    /**
     * The value of field {@code i}, in order.
     *
     * @param i 0 to {@code size() - 1}
     * @return its value, without surrounding whitespace
     */
    public String value(int i) {
        Objects.checkIndex(i, size);
        return fields[2 * i + 1];
    }

    /** @return the fields as {@code name: value} lines, for logs and tests */
    @Override
    public String toString() {
        StringBuilder s = new StringBuilder();
        for (int i = 0; i < size; i++) s.append(fields[2 * i]).append(": ").append(fields[2 * i + 1]).append('\n');
        return s.toString();
    }

    /** {@code line[0, end)} in lower case: a shared constant for the common names. */
    private static String lowerCaseName(String line, int end) {
        for (String known : COMMON_NAMES) {
            if (known.length() == end && line.regionMatches(true, 0, known, 0, end)) return known;
        }
        return line.substring(0, end).toLowerCase(Locale.ROOT);
    }

    private static void check(String name, String value) {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(value, "value");
        if (!isToken(name, 0, name.length())) throw new IllegalArgumentException("not a valid header name: \"" + shorten(name) + "\"");
        for (int i = 0; i < value.length(); i++) {
            if (!isValueChar(value.charAt(i)) || value.charAt(i) > 0xff) {
                throw new IllegalArgumentException("header " + name + ": the value has a control or non-Latin-1 character at index " + i);
            }
        }
    }

    private static boolean isBlank(char c) {
        return c == ' ' || c == '\t';
    }

    private static boolean isValueChar(char c) {
        return c >= 0x20 && c != 0x7f || c == '\t';
    }

    /**
     * Whether {@code s[from, to)} is an RFC 9110 token: what a method or a field name may be.
     *
     * @param s    the text
     * @param from its first index
     * @param to   one past its last
     * @return true if non-empty and every character is a token character
     */
    public static boolean isToken(String s, int from, int to) {
        if (from >= to) return false;
        for (int i = from; i < to; i++) {
            char c = s.charAt(i);
            boolean ok = c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9'
                    || "!#$%&'*+-.^_`|~".indexOf(c) >= 0;
            if (!ok) return false;
        }
        return true;
    }

    /** The first 60 characters of {@code s}, for messages that quote what a peer sent. */
    static String shorten(String s) {
        return s.length() <= 60 ? s : s.substring(0, 60) + "...";
    }
}
