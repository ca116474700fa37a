package xiio.examples;

import xiio.http.HttpException;
import xiio.http.server.BodyWriter;
import xiio.http.server.Response;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;
import xiio.thread.ThreadPool;

/**
 * Serves the files under one directory, and nothing outside it. A URL path is
 * percent-decoded once, then split into names; it is refused (400) if it contains
 * an encoded {@code /} or {@code \} ({@code %2F}, {@code %5C}: a name must not turn
 * into two), a NUL, malformed escapes or UTF-8, or a {@code ..} name (also when
 * written {@code %2e%2e}). What is left is resolved under the root and its real path
 * (all symbolic links followed) must still lie under the root's real path, or it is
 * refused (403): a symbolic link inside the tree that points out of it serves nothing.
 *
 * <p>Disk access blocks, and a blocked loop thread stalls every connection, so the
 * checks and every read run on {@link ThreadPool#common()}; the loop only sends.
 */
final class StaticFiles {
    private static final Map<String, String> TYPES = Map.ofEntries(
            Map.entry("html", "text/html; charset=utf-8"), Map.entry("htm", "text/html; charset=utf-8"),
            Map.entry("txt", "text/plain; charset=utf-8"), Map.entry("md", "text/markdown; charset=utf-8"),
            Map.entry("css", "text/css; charset=utf-8"), Map.entry("js", "text/javascript; charset=utf-8"),
            Map.entry("json", "application/json"), Map.entry("xml", "application/xml"),
            Map.entry("svg", "image/svg+xml"), Map.entry("png", "image/png"), Map.entry("jpg", "image/jpeg"),
            Map.entry("jpeg", "image/jpeg"), Map.entry("gif", "image/gif"), Map.entry("ico", "image/x-icon"),
            Map.entry("pdf", "application/pdf"), Map.entry("wasm", "application/wasm"));

    private final Path root;

    /** Serves {@code root}, which must be a directory; resolved once, at startup. */
    StaticFiles(Path root) throws IOException {
        this.root = root.toRealPath();
        if (!Files.isDirectory(this.root)) throw new IOException(root + " is not a directory");
    }

    Path root() {
        return root;
    }

    /**
     * The response for {@code urlPath}, the part of the path after the prefix the
     * files are served under (e.g. {@code "docs/a.txt"} for {@code /files/docs/a.txt}).
     *
     * @param prefix the URL prefix, for links in directory listings and redirects
     */
    Response get(String urlPath, String prefix) throws Exception {
        List<String> names = names(urlPath);
        String relative = String.join("/", names);
        boolean slash = urlPath.isEmpty() || urlPath.endsWith("/");
        return ThreadPool.runInThread(() -> {
            Path real;
            try {
                real = root.resolve(relative).toRealPath();
            } catch (NoSuchFileException e) {
                return Response.error(404, "no such file: /" + relative);
            }
            if (!real.startsWith(root)) return Response.error(403, "/" + relative + " leads outside the served directory");
            if (Files.isDirectory(real)) {
                if (!slash) return Response.error(301, "a directory").with("Location", prefix + encode(names) + "/");
                Path index = real.resolve("index.html");
                if (Files.isRegularFile(index) && index.toRealPath().startsWith(root)) real = index;
                else return listing(real, relative);
            }
            if (!Files.isRegularFile(real)) return Response.error(403, "/" + relative + " is not a regular file");
            FileChannel file = FileChannel.open(real, StandardOpenOption.READ);
            return Response.of(200, type(real.getFileName().toString()), new FileBody(file, file.size()));
        });
    }

    /** The decoded names of a URL path; see the class comment for what is refused. */
    static List<String> names(String urlPath) throws HttpException {
        List<String> names = new ArrayList<>();
        for (String raw : urlPath.split("/")) {
            String name = decode(raw);
            if (name.equals("..")) throw new HttpException(400, "'..' is not allowed in a path");
            if (!name.isEmpty() && !name.equals(".")) names.add(name);
        }
        return names;
    }

    private static String decode(String raw) throws HttpException {
        if (raw.indexOf('%') < 0) return raw;
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(raw.length());
        for (int i = 0; i < raw.length(); i++) {
            char c = raw.charAt(i);
            if (c != '%') {
                bytes.write(c);
                continue;
            }
            int hi = i + 2 < raw.length() ? Character.digit(raw.charAt(i + 1), 16) : -1;
            int lo = hi >= 0 ? Character.digit(raw.charAt(i + 2), 16) : -1;
            if (lo < 0) throw new HttpException(400, "malformed percent-escape in " + Texts.shorten(raw));
            int b = hi * 16 + lo;
            if (b == '/' || b == '\\') throw new HttpException(400, "an encoded '/' or '\\' (%2F, %5C) is not allowed in a path");
            if (b == 0) throw new HttpException(400, "an encoded NUL (%00) is not allowed in a path");
            bytes.write(b);
            i += 2;
        }
        try {
            return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes.toByteArray())).toString();
        } catch (CharacterCodingException e) {
            throw new HttpException(400, "the path is not valid UTF-8 once decoded");
        }
    }

    private Response listing(Path dir, String relative) throws IOException {
        StringBuilder html = new StringBuilder("<!doctype html><title>Index of /").append(escape(relative))
                .append("</title><h1>Index of /").append(escape(relative)).append("</h1><ul>");
        try (Stream<Path> entries = Files.list(dir)) {
            for (Path p : entries.sorted().toList()) {
                String name = p.getFileName().toString();
                String slash = Files.isDirectory(p) ? "/" : "";
                html.append("<li><a href=\"").append(encode(List.of(name))).append(slash).append("\">")
                        .append(escape(name)).append(slash).append("</a>");
            }
        }
        return Response.html(200, html.append("</ul>\n").toString());
    }

    private static String type(String fileName) {
        int dot = fileName.lastIndexOf('.');
        String ext = dot < 0 ? "" : fileName.substring(dot + 1).toLowerCase(Locale.ROOT);
        return TYPES.getOrDefault(ext, "application/octet-stream");
    }

    /** Percent-encodes each name (everything but RFC 3986 unreserved characters) and joins them with '/'. */
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

    static String escape(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }

    /** A file sent in 64 KiB pieces, each read on a worker thread. */
    private record FileBody(FileChannel file, long length) implements Response.Body {
        @Override
        public void writeTo(BodyWriter out) throws IOException {
            byte[] buf = new byte[64 * 1024];
            ByteBuffer bb = ByteBuffer.wrap(buf);
            long left = length;
            while (left > 0) {
                bb.clear().limit((int) Math.min(buf.length, left));
                int n;
                try {
                    n = ThreadPool.runInThread(() -> file.read(bb));
                } catch (IOException | RuntimeException e) {
                    throw e;
                } catch (Exception e) {
                    throw new IOException(e);
                }
                // the length was promised in Content-Length; a file that shrank cannot keep it
                if (n < 0) throw new IOException("the file shrank while it was being sent");
                out.write(buf, 0, n);
                left -= n;
            }
        }

        @Override
        public void close() {
            try {
                file.close();
            } catch (IOException ignored) {
                // a read-only file: nothing was lost
            }
        }
    }
}
