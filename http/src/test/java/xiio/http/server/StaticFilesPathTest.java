package xiio.http.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import xiio.http.server.StaticFilesFixture.Raw;

/**
 * Which file a URL path leads to, and that no path leads out of the served directory:
 * {@code ..} plain and encoded, encoded and raw slashes and backslashes, NULs,
 * overlong UTF-8, symbolic links out of the tree, loops, FIFOs. Every file holds its
 * own real path, so a 200 is checked by an oracle that does not trust the server: the
 * path in the body must be a real file under the root's real path.
 */
class StaticFilesPathTest {
    private StaticFilesFixture tree;

    @BeforeEach
    void makeTree() throws Exception {
        tree = new StaticFilesFixture();
        Path secret = StaticFilesFixture.write(tree.outside.resolve("secret.txt"), new byte[0]);
        Files.writeString(secret, secret.toString());
        for (String f : List.of("a.txt", "sub/index.html", "sub/b.txt", "plain/c.md", ".hidden", ".git/config",
                "with space & \u00fc.txt", "%2e%2e")) {
            tree.write(f, tree.root.resolve(f).toString());
        }
        Files.createSymbolicLink(tree.root.resolve("inside-link.txt"), Path.of("a.txt"));
        Files.createSymbolicLink(tree.root.resolve("outside-link.txt"), secret);
        Files.createSymbolicLink(tree.root.resolve("outside-dir"), tree.outside);
        Files.createSymbolicLink(tree.root.resolve("git-link"), Path.of(".git/config"));
        Files.createSymbolicLink(tree.root.resolve("git-dir"), Path.of(".git"));
        Files.createSymbolicLink(tree.root.resolve("loop1"), Path.of("loop2"));
        Files.createSymbolicLink(tree.root.resolve("loop2"), Path.of("loop1"));
        Process mkfifo = new ProcessBuilder("mkfifo", tree.root.resolve("fifo").toString()).start();
        assertEquals(0, mkfifo.waitFor());
    }

    @AfterEach
    void removeTree() throws IOException {
        tree.close();
    }

    /** Path as sent, status expected. */
    private static final String[][] PATHS = {
        {"/files/a.txt", "200"},
        {"/files/../outside/secret.txt", "400"},
        {"/files/sub/../../outside/secret.txt", "400"},
        {"/files/%2e%2e/outside/secret.txt", "400"},
        {"/files/%2E%2E/outside/secret.txt", "400"},
        {"/files/.%2e/outside/secret.txt", "400"},
        {"/files/%2e./outside/secret.txt", "400"},
        {"/files/sub/%2e%2e/%2e%2e/outside/secret.txt", "400"},
        {"/files/..%2Foutside%2Fsecret.txt", "400"},
        {"/files/..%2foutside/secret.txt", "400"},
        {"/files/sub%2Findex.html", "400"},
        {"/files/%2Fetc%2Fpasswd", "400"},
        {"/files/..%5Coutside%5Csecret.txt", "400"},
        {"/files/..\\outside\\secret.txt", "400"},
        {"/files/sub\\index.html", "400"},
        {"/files/a.txt%00.html", "400"},
        {"/files/%00", "400"},
        {"/files/%zz", "400"},
        {"/files/%2", "400"},
        {"/files/%C3%28", "400"},
        {"/files/%c0%ae%c0%ae/outside/secret.txt", "400"}, // overlong UTF-8 for ".."
        {"http://x/files/../outside/secret.txt", "400"},   // absolute form
        {"/files//etc/passwd", "404"},                       // not absolute: etc/passwd under the root
        {"/files/outside-link.txt", "403"},
        {"/files/outside-dir/secret.txt", "403"},
        {"/files/outside-dir/", "403"},
        {"/files/outside-dir", "403"},
        {"/files/loop1", "404"},                             // ELOOP
        {"/files/fifo", "403"},                              // would block an open
        {"/files/" + "n".repeat(300), "404"},                // ENAMETOOLONG
        {"/files/a.txt/", "404"},                            // ENOTDIR
        {"/files/a.txt/x", "404"},
        {"/files/missing.txt", "404"},
        {"/files/.hidden", "404"},
        {"/files/%2ehidden", "404"},
        {"/files/.git/config", "404"},
        {"/files/git-link", "404"},                          // a link to a hidden file
        {"/files/git-dir/config", "404"},
        {"/files/plain/", "404"},                            // a directory without index, no listing
        {"/files/plain", "301"},
        {"/files/sub", "301"},
        {"/files", "301"},
        {"/other", "404"},
        {"/files/inside-link.txt", "200"},
        {"/files/./a.txt", "200"},
        {"/files/sub/./b.txt", "200"},
        {"/files/sub/", "200"},
        {"/files/%252e%252e", "200"},                        // decoded once: the file literally named %2e%2e
        {"/files/with%20space%20%26%20%C3%BC.txt", "200"},
        {"/files/a.txt?x=../../outside/secret.txt", "200"},
    };

    @Test
    void noPathLeadsOutOfTheRootAndEachGetsItsStatus() throws Exception {
        assertTrue(PATHS.length >= 40);
        Path realRoot = tree.root.toRealPath();
        List<String> wrong = tree.serve(tree.files().build().addTo(new Router()), port -> {
            List<String> w = new ArrayList<>();
            for (String[] row : PATHS) {
                Raw r = StaticFilesFixture.request(port, "GET", row[0]);
                String body = r.text();
                if (r.status() != Integer.parseInt(row[1])) w.add(row[0] + ": expected " + row[1] + ", got " + r);
                if (body.contains(tree.outside.toString())) w.add(row[0] + ": served a file outside the root: " + body);
                if (r.status() == 200) {
                    // the oracle: what was served is a file whose real path lies under the root's
                    Path served = Path.of(body);
                    if (!Files.isRegularFile(served) || !served.toRealPath().startsWith(realRoot)) w.add(row[0] + ": served " + body);
                }
            }
            return w;
        });
        assertEquals(List.of(), wrong);
    }

    @Test
    void curlSendsTheDotsAsIsAndIsRefused() throws Exception {
        String[] got = tree.serve(tree.files().build().addTo(new Router()), port -> new String[] {
            curl("--path-as-is", "http://127.0.0.1:" + port + "/files/../outside/secret.txt"),
            curl("http://127.0.0.1:" + port + "/files/outside-link.txt"),
            curl("http://127.0.0.1:" + port + "/files/inside-link.txt"),
        });
        assertTrue(got[0].endsWith("400") && got[0].contains("'..' is not allowed"), got[0]);
        assertTrue(got[1].endsWith("403") && !got[1].contains(tree.outside.toString()), got[1]);
        assertEquals(tree.root.resolve("a.txt") + "200", got[2]);
    }

    /** curl's body followed by the status code. */
    static String curl(String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of("curl", "-sS", "--max-time", "20", "-w", "%{http_code}"));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        byte[] out = p.getInputStream().readAllBytes();
        assertEquals(0, p.waitFor(), "curl " + cmd);
        return new String(out, StandardCharsets.UTF_8);
    }

    @Test
    void directoriesRedirectToTheirSlashedFormKeepingTheQuery() throws Exception {
        Raw[] got = tree.serve(tree.files().build().addTo(new Router()), port -> new Raw[] {
            StaticFilesFixture.request(port, "GET", "/files/sub?v=1"),
            StaticFilesFixture.request(port, "GET", "/files"),
            StaticFilesFixture.request(port, "HEAD", "/files/sub"),
            StaticFilesFixture.request(port, "GET", "/files/with%20space%20%26%20%C3%BC.txt/.."),
        });
        assertEquals("/files/sub/?v=1", got[0].field("Location"), got[0].toString());
        assertEquals("/files/", got[1].field("Location"), got[1].toString());
        assertEquals(301, got[2].status());
        assertEquals(400, got[3].status());
    }

    @Test
    void otherMethodsAre405WithAllowThroughTheRouterAndWithout() throws Exception {
        StaticFiles files = tree.files().build();
        Raw routed = tree.serve(files.addTo(new Router()), port -> StaticFilesFixture.request(port, "POST", "/files/a.txt", "Content-Length: 0"));
        assertEquals(405, routed.status(), routed.toString());
        assertEquals("GET, HEAD", routed.field("Allow"));
        Raw direct = tree.serve(files, port -> StaticFilesFixture.request(port, "PUT", "/files/a.txt", "Content-Length: 0"));
        assertEquals(405, direct.status(), direct.toString());
        assertEquals("GET, HEAD", direct.field("Allow"));
        Raw outsidePrefix = tree.serve(files, port -> StaticFilesFixture.request(port, "GET", "/elsewhere"));
        assertEquals(404, outsidePrefix.status(), outsidePrefix.toString());
    }

    @Test
    void listingsAreOptInEscapedAndLeaveHiddenNamesOut() throws Exception {
        Raw[] got = tree.serve(tree.files().directoryListing(true).build().addTo(new Router()), port -> new Raw[] {
            StaticFilesFixture.request(port, "GET", "/files/"),
            StaticFilesFixture.request(port, "GET", "/files/plain/"),
        });
        String root = got[0].text();
        assertEquals("text/html; charset=utf-8", got[0].field("Content-Type"));
        assertTrue(root.contains("<a href=\"with%20space%20%26%20%C3%BC.txt\">with space &amp; \u00fc.txt</a>"), root);
        assertTrue(root.contains("<a href=\"sub/\">sub/</a>"), root);
        assertTrue(root.contains("<a href=\"%252e%252e\">%2e%2e</a>"), root);
        assertTrue(!root.contains(".hidden") && !root.contains(".git"), root);
        assertTrue(got[1].text().contains("<title>Index of /files/plain/</title>") && got[1].text().contains("<a href=\"c.md\">c.md</a>"), got[1].text());
    }

    @Test
    void hiddenFilesAreServedWhenAllowedAndTheIndexFileIsConfigurable() throws Exception {
        tree.write("docs/start.html", tree.root.resolve("docs/start.html").toString());
        Raw[] got = tree.serve(tree.files().hiddenFiles(true).indexFile("start.html").build().addTo(new Router()), port -> new Raw[] {
            StaticFilesFixture.request(port, "GET", "/files/.hidden"),
            StaticFilesFixture.request(port, "GET", "/files/docs/"),
            StaticFilesFixture.request(port, "GET", "/files/sub/"),
        });
        assertEquals(tree.root.resolve(".hidden").toString(), got[0].text());
        assertEquals(tree.root.resolve("docs/start.html").toString(), got[1].text());
        assertEquals(404, got[2].status(), "sub/ has index.html, not start.html");
    }

    @Test
    void servingTheWholeSiteFromSlash() throws Exception {
        Raw[] got = tree.serve(StaticFiles.builder(tree.root).build().addTo(new Router()), port -> new Raw[] {
            StaticFilesFixture.request(port, "GET", "/a.txt"),
            StaticFilesFixture.request(port, "GET", "/sub/"),
            StaticFilesFixture.request(port, "GET", "/../outside/secret.txt"),
        });
        assertEquals(tree.root.resolve("a.txt").toString(), got[0].text());
        assertEquals(tree.root.resolve("sub/index.html").toString(), got[1].text());
        assertEquals(400, got[2].status());
    }

    @Test
    void contentTypesComeFromTheExtension() throws Exception {
        String[][] types = {
            {"p.html", "text/html; charset=utf-8"}, {"s.css", "text/css; charset=utf-8"}, {"m.js", "text/javascript; charset=utf-8"},
            {"d.json", "application/json"}, {"i.svg", "image/svg+xml"}, {"I.PNG", "image/png"}, {"p.jpg", "image/jpeg"},
            {"g.gif", "image/gif"}, {"w.webp", "image/webp"}, {"f.ico", "image/x-icon"}, {"t.txt", "text/plain; charset=utf-8"},
            {"x.wasm", "application/wasm"}, {"d.pdf", "application/pdf"}, {"f.woff2", "font/woff2"}, {"v.mp4", "video/mp4"},
            {"noext", "application/octet-stream"}, {"a.unknown", "application/octet-stream"}, {"n.md", "text/x-custom"},
        };
        for (String[] t : types) tree.write("types/" + t[0], "x");
        List<String> wrong = tree.serve(tree.files().contentType("MD", "text/x-custom").build().addTo(new Router()), port -> {
            List<String> w = new ArrayList<>();
            for (String[] t : types) {
                Raw r = StaticFilesFixture.request(port, "GET", "/files/types/" + t[0]);
                if (!t[1].equals(r.field("Content-Type"))) w.add(t[0] + " -> " + r.field("Content-Type"));
                if (!"nosniff".equals(r.field("X-Content-Type-Options"))) w.add(t[0] + " without nosniff");
            }
            return w;
        });
        assertEquals(List.of(), wrong);
    }

    @Test
    void misconfigurationIsRefusedWithTheReason() throws Exception {
        StaticFiles.Builder b = tree.files();
        assertTrue(assertThrows(IllegalArgumentException.class, () -> b.prefix("files/")).getMessage().contains("starting with '/'"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> b.prefix("/{x}/")).getMessage().contains("/{x}/"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> b.indexFile("../index.html")).getMessage().contains("plain file name"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> b.indexFile("..")).getMessage().contains("plain file name"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> b.maxRanges(0)).getMessage().contains("at least 1"));
        assertThrows(IllegalArgumentException.class, () -> b.cacheControl("max-age=1\r\nSet-Cookie: x"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> b.contentType(".md", "text/plain")).getMessage().contains("without the dot"));
        assertThrows(NoSuchFileException.class, () -> StaticFiles.builder(tree.root.resolve("missing")).build());
        IOException notDir = assertThrows(IOException.class, () -> StaticFiles.builder(tree.root.resolve("a.txt")).build());
        assertTrue(notDir.getMessage().contains("must be a directory"), notDir.getMessage());
        assertEquals("/files/", b.prefix("/files").build().prefix());
        assertEquals(tree.root.toRealPath(), b.build().root());
        assertTrue(Duration.ZERO.isZero()); // the builder stays usable after refusals
    }
}
