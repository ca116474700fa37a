package xiio.http.server;

import java.util.Locale;
import java.util.Map;

/**
 * Content-Type by file extension: the types a web site is made of. Text types say
 * {@code charset=utf-8}, since a browser otherwise guesses (windows-1252, for one);
 * JSON has no charset parameter (RFC 8259 defines none). Anything else is
 * {@code application/octet-stream}, which with {@code X-Content-Type-Options:
 * nosniff} a browser downloads rather than renders.
 */
final class MediaTypes {
    static final String UNKNOWN = "application/octet-stream";

    private static final String UTF8 = "; charset=utf-8";
    private static final Map<String, String> BY_EXTENSION = Map.ofEntries(
            Map.entry("html", "text/html" + UTF8), Map.entry("htm", "text/html" + UTF8),
            Map.entry("css", "text/css" + UTF8), Map.entry("js", "text/javascript" + UTF8), Map.entry("mjs", "text/javascript" + UTF8),
            Map.entry("txt", "text/plain" + UTF8), Map.entry("md", "text/markdown" + UTF8), Map.entry("csv", "text/csv" + UTF8),
            Map.entry("xml", "text/xml" + UTF8), Map.entry("json", "application/json"), Map.entry("map", "application/json"),
            Map.entry("webmanifest", "application/manifest+json"), Map.entry("wasm", "application/wasm"),
            Map.entry("pdf", "application/pdf"), Map.entry("zip", "application/zip"), Map.entry("gz", "application/gzip"),
            Map.entry("svg", "image/svg+xml"), Map.entry("png", "image/png"), Map.entry("jpg", "image/jpeg"),
            Map.entry("jpeg", "image/jpeg"), Map.entry("gif", "image/gif"), Map.entry("webp", "image/webp"),
            Map.entry("avif", "image/avif"), Map.entry("ico", "image/x-icon"),
            Map.entry("woff", "font/woff"), Map.entry("woff2", "font/woff2"), Map.entry("ttf", "font/ttf"), Map.entry("otf", "font/otf"),
            Map.entry("mp4", "video/mp4"), Map.entry("webm", "video/webm"), Map.entry("mp3", "audio/mpeg"),
            Map.entry("ogg", "audio/ogg"), Map.entry("wav", "audio/wav"));

    private final Map<String, String> overrides;

    /** The built-in table, with {@code overrides} (lower-case extension to type) taking precedence. */
    MediaTypes(Map<String, String> overrides) {
        this.overrides = Map.copyOf(overrides);
    }

    /** The type of {@code fileName} by its extension, any case. */
    String of(String fileName) {
        int dot = fileName.lastIndexOf('.');
        if (dot <= 0) return UNKNOWN; // no extension, or a dot file such as .htaccess
        String ext = fileName.substring(dot + 1).toLowerCase(Locale.ROOT);
        String t = overrides.get(ext);
        return t != null ? t : BY_EXTENSION.getOrDefault(ext, UNKNOWN);
    }
}
