package xiio.http.server;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import xiio.http.server.StaticFilesFixture.Raw;

/**
 * Precompressed siblings ({@code app.js.br}, {@code app.js.gz}) served in place of a
 * file to clients whose Accept-Encoding takes them, with their own ETags and
 * {@code Vary: Accept-Encoding}; curl {@code --compressed} gets the original bytes back.
 */
class StaticFilesPrecompressedTest {
    private StaticFilesFixture tree;
    private byte[] plain, gzip, brotli;

    @BeforeEach
    void makeTree() throws IOException {
        tree = new StaticFilesFixture();
        plain = "console.log('hello');\n".repeat(200).getBytes(StandardCharsets.UTF_8);
        ByteArrayOutputStream gz = new ByteArrayOutputStream();
        try (GZIPOutputStream out = new GZIPOutputStream(gz)) {
            out.write(plain);
        }
        gzip = gz.toByteArray();
        brotli = "not really brotli, but the server does not look inside".getBytes(StandardCharsets.UTF_8);
        StaticFilesFixture.write(tree.root.resolve("app.js"), plain);
        StaticFilesFixture.write(tree.root.resolve("app.js.gz"), gzip);
        StaticFilesFixture.write(tree.root.resolve("app.js.br"), brotli);
        StaticFilesFixture.write(tree.root.resolve("only-plain.js"), plain);
        StaticFilesFixture.write(tree.outside.resolve("secret.js.gz"), "outside".getBytes(StandardCharsets.UTF_8));
        StaticFilesFixture.write(tree.root.resolve("secret.js"), plain);
        Files.createSymbolicLink(tree.root.resolve("secret.js.gz"), tree.outside.resolve("secret.js.gz"));
    }

    @AfterEach
    void removeTree() throws IOException {
        tree.close();
    }

    /** Accept-Encoding (null for none), the coding expected (null for the plain file). */
    private static final String[][] CHOICES = {
        {null, null}, {"gzip", "gzip"}, {"br", "br"}, {"gzip, deflate, br", "br"}, {"br;q=0, gzip", "gzip"},
        {"br;q=0, gzip;q=0", null}, {"*", "br"}, {"*, br;q=0", "gzip"}, {"identity", null}, {"x-gzip", "gzip"},
        {"GZIP;Q=0.5", "gzip"}, {"gzip;q=oops", null}, {"deflate", null},
    };

    @Test
    void theClientsAcceptEncodingPicksTheFile() throws Exception {
        List<String> wrong = tree.serve(tree.files().precompressed(true).build().addTo(new Router()), port -> {
            List<String> w = new ArrayList<>();
            List<String> etags = new ArrayList<>();
            for (String[] row : CHOICES) {
                Raw r = row[0] == null ? StaticFilesFixture.request(port, "GET", "/files/app.js")
                        : StaticFilesFixture.request(port, "GET", "/files/app.js", "Accept-Encoding: " + row[0]);
                byte[] expected = row[1] == null ? plain : row[1].equals("gzip") ? gzip : brotli;
                String what = "Accept-Encoding: " + row[0];
                if (!Arrays.equals(expected, r.body())) w.add(what + ": other bytes, " + r.field("Content-Encoding"));
                if (!String.valueOf(row[1]).equals(String.valueOf(r.field("Content-Encoding")))) w.add(what + ": " + r.field("Content-Encoding"));
                if (!"text/javascript; charset=utf-8".equals(r.field("Content-Type"))) w.add(what + ": type " + r.field("Content-Type"));
                if (!"Accept-Encoding".equals(r.field("Vary"))) w.add(what + ": no Vary");
                if (!etags.contains(r.field("ETag"))) etags.add(r.field("ETag"));
            }
            if (etags.size() != 3) w.add("one ETag per variant, got " + etags);
            return w;
        });
        assertEquals(List.of(), wrong);
    }

    @Test
    void validatorsAndRangesAreTheVariantsOwn() throws Exception {
        Raw[] got = tree.serve(tree.files().precompressed(true).build().addTo(new Router()), port -> {
            Raw gz = StaticFilesFixture.request(port, "GET", "/files/app.js", "Accept-Encoding: gzip");
            return new Raw[] {
                gz,
                StaticFilesFixture.request(port, "GET", "/files/app.js", "Accept-Encoding: gzip", "If-None-Match: " + gz.field("ETag")),
                StaticFilesFixture.request(port, "GET", "/files/app.js", "If-None-Match: " + gz.field("ETag")),
                StaticFilesFixture.request(port, "GET", "/files/app.js", "Accept-Encoding: gzip", "Range: bytes=0-9"),
                StaticFilesFixture.request(port, "GET", "/files/only-plain.js", "Accept-Encoding: gzip, br"),
                StaticFilesFixture.request(port, "GET", "/files/secret.js", "Accept-Encoding: gzip"),
            };
        });
        assertEquals(304, got[1].status());
        assertEquals("Accept-Encoding", got[1].field("Vary"));
        assertEquals(200, got[2].status(), "the plain file's ETag is another");
        assertNotEquals(got[0].field("ETag"), got[2].field("ETag"));
        assertEquals(206, got[3].status());
        assertEquals("bytes 0-9/" + gzip.length, got[3].field("Content-Range"));
        assertArrayEquals(Arrays.copyOf(gzip, 10), got[3].body());
        assertNull(got[4].field("Content-Encoding"));
        assertArrayEquals(plain, got[4].body());
        assertNull(got[5].field("Content-Encoding"), "a sibling that leads outside the root is not served");
        assertArrayEquals(plain, got[5].body());
    }

    @Test
    void offByDefaultAndCurlDecompressesWhatItGets() throws Exception {
        Path out = tree.base.resolve("curl.js");
        Raw off = tree.serve(tree.files().build().addTo(new Router()),
                port -> StaticFilesFixture.request(port, "GET", "/files/app.js", "Accept-Encoding: gzip"));
        assertNull(off.field("Content-Encoding"));
        assertNull(off.field("Vary"));
        assertArrayEquals(plain, off.body());
        String status = tree.serve(tree.files().precompressed(true).build().addTo(new Router()), port ->
                StaticFilesPathTest.curl("--compressed", "-H", "Accept-Encoding: gzip", "-o", out.toString(), "http://127.0.0.1:" + port + "/files/app.js"));
        assertEquals("200", status);
        assertArrayEquals(plain, Files.readAllBytes(out));
    }
}
