package xiio.http.client;

import java.io.IOException;

/**
 * The first line of a response (RFC 9112 section 4): {@code HTTP/1.1 200 OK}.
 * Strict about what decides framing (the version, three status digits) and lenient
 * where servers differ harmlessly: an empty reason, with or without its space.
 *
 * @param version {@code "HTTP/1.1"} or {@code "HTTP/1.0"}
 * @param status the status code, 100..599
 * @param reason the reason phrase, possibly empty
 */
record StatusLine(String version, int status, String reason) {
    static final String HTTP_1_1 = "HTTP/1.1", HTTP_1_0 = "HTTP/1.0";

    /**
     * Parses {@code line} (without its line ending).
     *
     * @throws IOException naming what is wrong, with the start of the line
     */
    static StatusLine parse(String line) throws IOException {
        String version = line.startsWith(HTTP_1_1) ? HTTP_1_1 : line.startsWith(HTTP_1_0) ? HTTP_1_0 : null;
        if (version == null) {
            throw new IOException("not an HTTP/1.x status line: " + Shorten.of(line)
                    + (line.startsWith("HTTP/") ? " (only HTTP/1.0 and HTTP/1.1 are supported)" : ""));
        }
        int at = version.length();
        if (line.length() < at + 4 || line.charAt(at) != ' ') throw malformed(line);
        int status = 0;
        for (int i = at + 1; i < at + 4; i++) {
            char c = line.charAt(i);
            if (c < '0' || c > '9') throw malformed(line);
            status = status * 10 + (c - '0');
        }
        if (status < 100 || status > 599) throw new IOException("status code " + status + " is outside 100..599: " + Shorten.of(line));
        String reason = "";
        if (line.length() > at + 4) {
            if (line.charAt(at + 4) != ' ') throw malformed(line);
            reason = line.substring(at + 5);
            for (int i = 0; i < reason.length(); i++) {
                char c = reason.charAt(i);
                if (c < 0x20 && c != '\t' || c == 0x7f) throw new IOException("control character in the reason phrase: " + Shorten.of(line));
            }
        }
        return new StatusLine(version, status, reason);
    }

    private static IOException malformed(String line) {
        return new IOException("malformed status line (want 'HTTP/1.1 NNN reason'): " + Shorten.of(line));
    }
}
