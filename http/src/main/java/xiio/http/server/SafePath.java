package xiio.http.server;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import xiio.http.HttpException;

/**
 * A URL path turned into file names that cannot leave a directory, or a 400. The raw
 * (still percent-encoded) path is split on {@code /} first and each segment decoded
 * once after, so an encoded slash cannot make one name into two. Refused with 400:
 * a backslash, raw or encoded ({@code \} is a separator on Windows, and a client that
 * sends one is confused or probing); an encoded slash ({@code %2F}); an encoded NUL
 * (the C calls below Java end a path there); a {@code ..} name, plain or encoded
 * ({@code %2e%2e}); a malformed escape; bytes that are not UTF-8 once decoded. Empty
 * and {@code .} names are dropped, so {@code //etc/passwd} is {@code etc/passwd} under
 * the root, never an absolute path.
 *
 * <p>This only makes the names harmless as names: symbolic links are the file
 * lookup's business ({@link FileAccess}), which compares real paths.
 */
final class SafePath {
    private SafePath() {}

    /** The names of {@code rawPath}, the part of the URL path below the served prefix. */
    static List<String> names(String rawPath) throws HttpException {
        if (rawPath.indexOf('\\') >= 0) throw new HttpException(400, "a '\\' is not allowed in a file path");
        List<String> names = new ArrayList<>();
        for (String raw : rawPath.split("/", -1)) {
            String name = decode(raw);
            if (name.equals("..")) throw new HttpException(400, "'..' is not allowed in a file path");
            if (!name.isEmpty() && !name.equals(".")) names.add(name);
        }
        return names;
    }

    /** Whether the URL path names a directory: it is empty (the prefix itself) or ends with '/'. */
    static boolean endsWithSlash(String rawPath) {
        return rawPath.isEmpty() || rawPath.endsWith("/");
    }

    private static String decode(String raw) throws HttpException {
        if (raw.indexOf('%') < 0) return raw;
        byte[] bytes = new byte[raw.length()];
        int n = 0;
        for (int i = 0; i < raw.length(); i++) {
            char c = raw.charAt(i);
            if (c != '%') {
                bytes[n++] = (byte) c; // the head parser let only printable ASCII through
                continue;
            }
            int hi = i + 2 < raw.length() ? Character.digit(raw.charAt(i + 1), 16) : -1;
            int lo = hi >= 0 ? Character.digit(raw.charAt(i + 2), 16) : -1;
            if (lo < 0) throw new HttpException(400, "malformed percent-escape in " + shorten(raw));
            int b = hi * 16 + lo;
            if (b == '/' || b == '\\') throw new HttpException(400, "an encoded '/' or '\\' (%2F, %5C) is not allowed in a file path");
            if (b == 0) throw new HttpException(400, "an encoded NUL (%00) is not allowed in a file path");
            bytes[n++] = (byte) b;
            i += 2;
        }
        try {
            return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes, 0, n)).toString();
        } catch (CharacterCodingException e) {
            throw new HttpException(400, "the file path is not valid UTF-8 once decoded");
        }
    }

    static String shorten(String s) {
        return s.length() <= 60 ? s : s.substring(0, 60) + "...";
    }

    /** Percent-encodes each name (all but RFC 3986's unreserved characters) and joins them with '/'. */
    static String encode(List<String> names) {
        StringBuilder b = new StringBuilder();
        for (String name : names) {
            if (!b.isEmpty()) b.append('/');
            for (byte c : name.getBytes(StandardCharsets.UTF_8)) {
                if (c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || "-._~".indexOf(c) >= 0) {
                    b.append((char) c);
                } else {
                    b.append('%').append(Character.toUpperCase(Character.forDigit((c >> 4) & 15, 16)))
                            .append(Character.toUpperCase(Character.forDigit(c & 15, 16)));
                }
            }
        }
        return b.toString();
    }
}
