package xiio.http.server;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/**
 * The HTML index of a directory, for {@link StaticFiles.Builder#directoryListing}:
 * names sorted, subdirectories with a trailing slash, every name HTML-escaped in the
 * text and percent-encoded in the link. Runs on a worker (it reads the directory).
 * Hidden names are left out unless hidden files are served.
 */
final class DirectoryListing {
    private DirectoryListing() {}

    /** @param shown the directory as the page names it, such as {@code /docs/} */
    static String html(Path dir, String shown, boolean hidden) throws IOException {
        StringBuilder html = new StringBuilder("<!doctype html>\n<meta charset=\"utf-8\"><title>Index of ").append(escape(shown))
                .append("</title>\n<h1>Index of ").append(escape(shown)).append("</h1>\n<ul>\n");
        List<Path> entries;
        try (Stream<Path> list = Files.list(dir)) {
            entries = list.sorted().toList();
        }
        for (Path p : entries) {
            String name = p.getFileName().toString();
            if (!hidden && name.startsWith(".")) continue;
            String slash = Files.isDirectory(p) ? "/" : "";
            html.append("<li><a href=\"").append(SafePath.encode(List.of(name))).append(slash).append("\">")
                    .append(escape(name)).append(slash).append("</a>\n");
        }
        return html.append("</ul>\n").toString();
    }

    static String escape(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;").replace("'", "&#39;");
    }
}
