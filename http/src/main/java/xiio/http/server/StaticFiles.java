package xiio.http.server;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import xiio.http.HttpDate;
import xiio.http.HttpHeaders;
import xiio.thread.ThreadPool;

/**
 * Serves the files under one directory, and nothing outside it: a {@link Handler} for
 * {@code GET} and {@code HEAD} that you mount on a {@link Router} under a prefix.
 *
 * {@snippet :
 * StaticFiles files = StaticFiles.builder(Path.of("public"))
 *         .prefix("/static/")
 *         .cacheControl("max-age=3600")
 *         .build();
 * Router router = files.addTo(new Router().get("/", r -> Response.text(200, "home\n")));
 * }
 *
 * <p><b>Which file.</b> The URL path below the prefix is split on {@code /} and each
 * segment percent-decoded once. Refused with <b>400</b>: {@code ..} (also encoded as
 * {@code %2e%2e}), an encoded slash or backslash ({@code %2F}, {@code %5C}), a raw
 * backslash, an encoded NUL, a malformed escape, invalid UTF-8. Empty and {@code .}
 * segments are dropped, so no path is absolute. Symbolic links are followed only as
 * far as the served directory: the real path (every link resolved) must lie under the
 * root's real path, or the answer is <b>403</b>, as it is for a file the server may
 * not read and for anything that is not a regular file (a FIFO, a device). Nothing
 * there is <b>404</b>; so are names starting with a dot ({@code .git}, {@code .env}),
 * in the URL or in the real path a link leads to, unless {@link Builder#hiddenFiles}
 * allows them. A directory asked for without its
 * trailing slash is redirected (<b>301</b>) to the slashed form, which relative links
 * in its index need; with the slash it is served by its index file
 * ({@code index.html}), else by a listing if {@link Builder#directoryListing} is on,
 * else 404.
 *
 * <p><b>What the answer says.</b> {@code Content-Type} from the extension (a small
 * built-in table, text types in UTF-8, {@code application/octet-stream} otherwise;
 * {@link Builder#contentType} adds or replaces entries), {@code X-Content-Type-Options:
 * nosniff}, {@code Accept-Ranges: bytes}, a strong {@code ETag} made of the size, the
 * modification time (to the nanosecond the file system keeps) and the file's identity
 * (device and inode, from {@link BasicFileAttributes#fileKey()}), {@code Last-Modified},
 * and the {@code Cache-Control} you configure (none by default). With
 * {@link Builder#precompressed}, {@code name.br} or {@code name.gz} is sent in place of
 * {@code name} to clients that take it, with {@code Content-Encoding} and
 * {@code Vary: Accept-Encoding}.
 *
 * <p><b>Conditional requests</b> (RFC 9110 section 13): {@code If-None-Match} (weak
 * comparison, lists, {@code *}) and, only without it, {@code If-Modified-Since} (to the
 * second) answer 304 with the validators and no body; {@code If-Match} and
 * {@code If-Unmodified-Since} answer 412 when they fail.
 *
 * <p><b>Ranges</b> (RFC 9110 section 14), for GET only: one range ({@code bytes=0-99},
 * {@code bytes=100-}, {@code bytes=-100}) is 206 with {@code Content-Range}; several are
 * 206 {@code multipart/byteranges}; none satisfiable is 416 with
 * {@code Content-Range: bytes *}{@code /size}; {@code If-Range} (an entity tag or the
 * exact date) sends the whole file if the file changed. More than
 * {@link Builder#maxRanges} ranges, or ranges that add up to more than the file
 * (overlaps), are ignored: the whole file is sent once.
 *
 * <p><b>Costs.</b> Lookups, directory listings and reads run on a thread pool
 * ({@link ThreadPool#common()} unless {@link Builder#threadPool} names another), since
 * disk access blocks and a blocked loop thread stalls every connection. A file of up
 * to 64 KiB is read whole in the lookup's trip to the worker (unless the request is a
 * HEAD or asks for a range); a bigger one, whole or as one range, over plain HTTP, is
 * sent by the kernel with {@code sendfile(2)}, never copied through the JVM (a piece
 * not in the page cache is read on the pool first, so the loop never waits for the
 * disk); over TLS, and as several ranges, it is read and sent in pieces of
 * 64 KiB through the response's bounded writer. Either way a file of any size costs
 * at most one such buffer, and a client that reads slowly slows the sending down.
 *
 * <p>Immutable: one instance may serve every loop of a {@link xiio.thread.LoopGroup}.
 */
public final class StaticFiles implements Handler {
    private static final String ALLOW = "GET, HEAD";
    /** Files up to this size are read whole with the lookup: one trip to a worker instead of two. */
    static final int SMALL_FILE = FileBody.PIECE;

    private final Path root;
    private final String prefix;
    private final String cacheControl;
    private final boolean listing;
    private final boolean hidden;
    private final boolean precompressed;
    private final int maxRanges;
    private final ThreadPool pool;
    private final MediaTypes types;
    private final FileLookup lookup;

    private StaticFiles(Builder b, Path realRoot) {
        this.root = realRoot;
        this.prefix = b.prefix;
        this.cacheControl = b.cacheControl;
        this.listing = b.listing;
        this.hidden = b.hidden;
        this.precompressed = b.precompressed;
        this.maxRanges = b.maxRanges;
        this.pool = b.pool;
        this.types = new MediaTypes(b.types);
        this.lookup = new FileLookup(realRoot, b.indexFile, b.hidden, b.pool);
    }

    /**
     * A builder for the files under {@code root}.
     *
     * @param root the directory to serve
     * @return a builder with the defaults: prefix {@code /}, index {@code index.html},
     *         no {@code Cache-Control}, no listings, no hidden files, no precompressed
     *         siblings, at most 16 ranges
     */
    public static Builder builder(Path root) {
        return new Builder(Objects.requireNonNull(root, "root"));
    }

    /** @return the served directory, as its real path */
    public Path root() {
        return root;
    }

    /** @return the URL prefix the files are served under, such as {@code /static/} */
    public String prefix() {
        return prefix;
    }

    /**
     * Adds the routes this handler answers to {@code router}: {@code GET} (and so
     * {@code HEAD}) of the prefix, of everything below it, and of the prefix without
     * its slash (redirected to it). Other methods on those paths get the router's 405.
     *
     * @param router the router
     * @return {@code router}
     */
    public Router addTo(Router router) {
        router.get(prefix + "{path...}", this);
        if (!prefix.equals("/")) router.get(prefix.substring(0, prefix.length() - 1), this);
        return router;
    }

    @Override
    public Response handle(Request request) throws Exception {
        boolean head = request.method().equals("HEAD");
        if (!head && !request.method().equals("GET")) {
            return Response.error(405, "files are read with GET and HEAD").with("Allow", ALLOW);
        }
        String path = request.path();
        if (!path.startsWith(prefix)) {
            if (path.equals(prefix.substring(0, prefix.length() - 1))) return redirect(prefix, request);
            return Response.error(404, "the files are under " + prefix);
        }
        String rest = path.substring(prefix.length());
        List<String> names = SafePath.names(rest);
        if (!hidden) {
            for (String name : names) if (name.startsWith(".")) return notFound(path);
        }
        // a small file is read in the lookup's trip to the worker, unless the answer will not need all of it
        int readUpTo = head || request.header("Range") != null ? 0 : SMALL_FILE;
        List<String> codings = precompressed ? AcceptEncoding.acceptable(request.headers().all("Accept-Encoding")) : List.of();
        return switch (lookup.find(names, SafePath.endsWithSlash(rest), readUpTo, codings)) {
            case FileLookup.OpenFile file -> serve(request, head, file);
            case FileLookup.NeedsSlash slash -> redirect(prefix + SafePath.encode(names) + "/", request);
            case FileLookup.Directory dir when listing -> {
                String shown = prefix + SafePath.encode(names) + (names.isEmpty() ? "" : "/");
                yield Response.html(200, pool.call(() -> DirectoryListing.html(dir.path(), shown, hidden)));
            }
            case FileLookup.Directory dir -> Response.error(404, "a directory without an index file: " + SafePath.shorten(path));
            case FileLookup.Missing missing -> notFound(path);
            case FileLookup.Refused refused -> Response.error(403, refused.why() + ": " + SafePath.shorten(path));
        };
    }

    private Response serve(Request request, boolean head, FileLookup.OpenFile file) {
        FileChannel channel = file.channel(); // null if the content was read already
        boolean handedOff = false;
        try {
            BasicFileAttributes a = file.attributes();
            long size = file.content() != null ? file.content().length : a.size();
            String etag = etag(a);
            // a time in the future (a clock that was wrong, an archive unpacked as is) is sent as now (RFC 9110 section 8.8.2.1)
            Instant now = Instant.now(), mtime = a.lastModifiedTime().toInstant();
            Instant modified = earliest(mtime, now).truncatedTo(ChronoUnit.SECONDS);
            boolean dateIsStrong = mtime.isBefore(now.minusSeconds(1));
            HttpHeaders h = request.headers();
            int condition = Preconditions.evaluate(h, true, etag, modified);
            if (condition == 304) return validators(Response.empty(304), etag, modified);
            if (condition == 412) return Response.error(412, "the file does not meet the request's preconditions");
            String type = types.of(file.name());
            String rangeField = head ? null : h.get("Range"); // ranges are for GET only (RFC 9110 section 14.2)
            List<ByteRanges.Range> ranges = rangeField == null || !Preconditions.ifRangeHolds(h, etag, modified, dateIsStrong)
                    ? null : ByteRanges.parse(rangeField, size, maxRanges);
            Response r;
            if (file.content() != null) {
                r = Response.of(200, type, file.content()); // no Range was asked for (see handle)
            } else if (ranges == null) {
                r = Response.of(200, type, FileBody.region(channel, file.path(), pool, 0, size));
            } else if (ranges.isEmpty()) {
                return Response.error(416, "no range of " + SafePath.shorten(rangeField) + " lies within the file's " + size + " bytes")
                        .with("Content-Range", "bytes */" + size);
            } else if (ranges.size() == 1) {
                ByteRanges.Range range = ranges.getFirst();
                r = Response.of(206, type, FileBody.region(channel, file.path(), pool, range.first(), range.length()))
                        .with("Content-Range", range.contentRange(size));
            } else {
                String boundary = FileBody.newBoundary();
                r = Response.of(206, "multipart/byteranges; boundary=" + boundary, FileBody.multipart(channel, file.path(), pool, ranges, size, type, boundary));
            }
            handedOff = true; // the body closes the file once it was sent, or dropped
            if (file.coding() != null) r = r.with("Content-Encoding", file.coding());
            return validators(r.with("Accept-Ranges", "bytes").with("X-Content-Type-Options", "nosniff"), etag, modified);
        } finally {
            if (!handedOff && channel != null) FileBody.closeQuietly(channel);
        }
    }

    private static Instant earliest(Instant a, Instant b) {
        return a.isBefore(b) ? a : b;
    }

    /** The fields a 200, a 206 and a 304 all carry (RFC 9110 section 15.4.5). */
    private Response validators(Response r, String etag, Instant modified) {
        r = r.with("ETag", etag).with("Last-Modified", HttpDate.format(modified));
        if (precompressed) r = r.with("Vary", "Accept-Encoding"); // caches must keep the codings apart
        return cacheControl == null ? r : r.with("Cache-Control", cacheControl);
    }

    /**
     * A strong entity tag: size, modification time in nanoseconds and the file's
     * identity, in hex. A file replaced by another (a deploy that renames a new file
     * into place) has another inode, even with the same size and time.
     */
    static String etag(BasicFileAttributes a) {
        Object key = a.fileKey();
        return "\"" + Long.toHexString(a.size()) + "-" + Long.toHexString(a.lastModifiedTime().to(TimeUnit.NANOSECONDS))
                + (key == null ? "" : "-" + Integer.toHexString(key.hashCode())) + "\"";
    }

    private static Response redirect(String location, Request request) {
        String query = request.head().query();
        String target = query == null ? location : location + "?" + query;
        return Response.error(301, "moved to " + SafePath.shorten(target)).with("Location", target);
    }

    private static Response notFound(String path) {
        return Response.error(404, "no such file: " + SafePath.shorten(path));
    }

    @Override
    public String toString() {
        return "StaticFiles[" + prefix + " -> " + root + "]";
    }

    /** How a {@link StaticFiles} serves; {@link #build()} checks the root. */
    public static final class Builder {
        private final Path root;
        private String prefix = "/";
        private String indexFile = "index.html";
        private String cacheControl;
        private boolean listing;
        private boolean hidden;
        private boolean precompressed;
        private int maxRanges = 16;
        private ThreadPool pool = ThreadPool.common();
        private final Map<String, String> types = new HashMap<>();

        private Builder(Path root) {
            this.root = root;
        }

        /**
         * The URL prefix the files are served under.
         *
         * @param prefix starts with {@code /}; a trailing {@code /} is added if missing
         * @return this
         * @throws IllegalArgumentException if it does not start with {@code /}, or has {@code {}, {@code }} or {@code ?}
         */
        public Builder prefix(String prefix) {
            if (prefix == null || !prefix.startsWith("/") || prefix.contains("{") || prefix.contains("}") || prefix.contains("?")) {
                throw new IllegalArgumentException("a prefix is a path starting with '/', such as /static/, got " + prefix);
            }
            this.prefix = prefix.endsWith("/") ? prefix : prefix + "/";
            return this;
        }

        /**
         * The file that answers for a directory.
         *
         * @param name a file name such as {@code index.html}, or null for none
         * @return this
         * @throws IllegalArgumentException for a name with {@code /} or {@code \}, or {@code .} or {@code ..}
         */
        public Builder indexFile(String name) {
            if (name != null && (name.isEmpty() || name.contains("/") || name.contains("\\") || name.equals(".") || name.equals(".."))) {
                throw new IllegalArgumentException("an index file is a plain file name such as index.html, got " + name);
            }
            this.indexFile = name;
            return this;
        }

        /**
         * The {@code Cache-Control} of files and their 304s, such as {@code max-age=3600}
         * or {@code no-cache} (store, but ask every time: cheap with the ETag).
         *
         * @param value the field value, or null for none
         * @return this
         * @throws IllegalArgumentException for a value that is not a valid field value
         */
        public Builder cacheControl(String value) {
            if (value != null) new HttpHeaders().add("Cache-Control", value); // checks it
            this.cacheControl = value;
            return this;
        }

        /**
         * Whether a directory without an index file is answered with an HTML list of its
         * entries (default off: a listing shows what the site's links do not).
         *
         * @param on true to list
         * @return this
         */
        public Builder directoryListing(boolean on) {
            this.listing = on;
            return this;
        }

        /**
         * Whether names starting with a dot are served (default off: they are 404, so a
         * {@code .git} or {@code .env} left in the tree stays private). Turn it on for
         * {@code /.well-known/}, say.
         *
         * @param on true to serve them
         * @return this
         */
        public Builder hiddenFiles(boolean on) {
            this.hidden = on;
            return this;
        }

        /**
         * Whether {@code name.br} and {@code name.gz}, files compressed ahead of time next
         * to {@code name}, are served in its place to clients whose {@code Accept-Encoding}
         * takes them ({@code br} first), with {@code Content-Encoding}; every answer then
         * says {@code Vary: Accept-Encoding}. Each variant has its own ETag, and ranges
         * are of the compressed bytes (default off).
         *
         * @param on true to serve precompressed siblings
         * @return this
         */
        public Builder precompressed(boolean on) {
            this.precompressed = on;
            return this;
        }

        /**
         * The most ranges one request may ask for; beyond it the whole file is sent.
         *
         * @param max at least 1
         * @return this
         * @throws IllegalArgumentException if less than 1
         */
        public Builder maxRanges(int max) {
            if (max < 1) throw new IllegalArgumentException("maxRanges must be at least 1, got " + max);
            this.maxRanges = max;
            return this;
        }

        /**
         * The {@code Content-Type} of files with an extension, over the built-in table.
         *
         * @param extension without the dot, any case, such as {@code md}
         * @param type      the field value, such as {@code text/markdown; charset=utf-8}
         * @return this
         * @throws IllegalArgumentException for an empty extension, one with a dot, or a bad type
         */
        public Builder contentType(String extension, String type) {
            if (extension == null || extension.isEmpty() || extension.contains(".") || extension.contains("/")) {
                throw new IllegalArgumentException("an extension is given without the dot, such as md, got " + extension);
            }
            new HttpHeaders().add("Content-Type", Objects.requireNonNull(type, "type")); // checks it
            types.put(extension.toLowerCase(Locale.ROOT), type);
            return this;
        }

        /**
         * The pool that looks files up and reads them.
         *
         * @param pool the pool, {@link ThreadPool#common()} by default
         * @return this
         */
        public Builder threadPool(ThreadPool pool) {
            this.pool = Objects.requireNonNull(pool, "pool");
            return this;
        }

        /**
         * The handler; the root is resolved to its real path once, here.
         *
         * @return the handler
         * @throws IOException if the root does not exist or is not a directory
         */
        public StaticFiles build() throws IOException {
            Path real = root.toRealPath();
            if (!Files.isDirectory(real)) throw new IOException("the root of static files must be a directory: " + root);
            return new StaticFiles(this, real);
        }
    }
}
