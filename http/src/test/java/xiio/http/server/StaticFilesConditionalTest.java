package xiio.http.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import xiio.http.HttpDate;
import xiio.http.server.StaticFilesFixture.Raw;

/**
 * Validators and conditional requests (RFC 9110 sections 8.8 and 13): a strong ETag
 * and Last-Modified on every file; If-None-Match and If-Modified-Since answer 304,
 * If-Match and If-Unmodified-Since 412; a changed or replaced file gets a new ETag.
 */
class StaticFilesConditionalTest {
    private static final Instant MODIFIED = Instant.parse("2026-11-05T08:49:37.123456789Z");
    private StaticFilesFixture tree;
    private Path file;

    @BeforeEach
    void makeTree() throws IOException {
        tree = new StaticFilesFixture();
        file = tree.write("a.txt", "hello, file\n");
        Files.setLastModifiedTime(file, FileTime.from(MODIFIED));
    }

    @AfterEach
    void removeTree() throws IOException {
        tree.close();
    }

    private Handler files() throws IOException {
        return tree.files().cacheControl("no-cache").build().addTo(new Router());
    }

    @Test
    void aFileCarriesItsValidatorsAndCachingFields() throws Exception {
        HttpResponse<String> r = tree.serve(files(), port -> {
            try (HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build()) {
                return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/files/a.txt")).build(),
                        HttpResponse.BodyHandlers.ofString());
            }
        });
        assertEquals(200, r.statusCode());
        assertEquals("hello, file\n", r.body());
        String etag = r.headers().firstValue("ETag").orElseThrow();
        assertTrue(etag.matches("\"[0-9a-f]+-[0-9a-f]+-[0-9a-f]+\""), "a strong tag of size, time and inode: " + etag);
        assertEquals("Thu, 05 Nov 2026 08:49:37 GMT", r.headers().firstValue("Last-Modified").orElseThrow());
        assertEquals("no-cache", r.headers().firstValue("Cache-Control").orElseThrow());
        assertEquals("bytes", r.headers().firstValue("Accept-Ranges").orElseThrow());
        assertEquals("nosniff", r.headers().firstValue("X-Content-Type-Options").orElseThrow());
        assertEquals("12", r.headers().firstValue("Content-Length").orElseThrow());
    }

    /** A header line to send (or "" for none), the status expected for GET. */
    private static String[][] conditions(String etag) {
        String lm = "Thu, 05 Nov 2026 08:49:37 GMT";
        String before = "Thu, 05 Nov 2026 08:49:36 GMT", after = "Thu, 05 Nov 2026 08:49:38 GMT";
        return new String[][] {
            {"", "200"},
            {"If-None-Match: " + etag, "304"},
            {"If-None-Match: W/" + etag, "304"},                          // the weak comparison
            {"If-None-Match: \"other\", " + etag, "304"},
            {"If-None-Match: \"other\",W/\"x\"," + etag, "304"},
            {"If-None-Match: *", "304"},
            {"If-None-Match: \"other\"", "200"},
            {"If-None-Match: " + etag.substring(0, etag.length() - 1), "200"}, // malformed: matches nothing
            {"If-Modified-Since: " + lm, "304"},
            {"If-Modified-Since: " + after, "304"},
            {"If-Modified-Since: " + before, "200"},
            {"If-Modified-Since: Thursday, 05-Nov-26 08:49:37 GMT", "304"}, // the obsolete RFC 850 form
            {"If-Modified-Since: Sunday, 05-Nov-26 08:49:37 GMT", "200"},   // the wrong weekday: not a date
            {"If-Modified-Since: Thu Nov  5 08:49:37 2026", "304"},        // asctime
            {"If-Modified-Since: yesterday", "200"},                        // not a date: ignored
            {"If-None-Match: \"other\"\r\nIf-Modified-Since: " + lm, "200"}, // IMS only without INM
            {"If-Match: " + etag, "200"},
            {"If-Match: *", "200"},
            {"If-Match: \"other\", " + etag, "200"},
            {"If-Match: \"other\"", "412"},
            {"If-Match: W/" + etag, "412"},                               // the strong comparison
            {"If-Unmodified-Since: " + lm, "200"},
            {"If-Unmodified-Since: " + before, "412"},
            {"If-Unmodified-Since: " + lm + ", " + before, "200"},         // a list of dates: ignored
            {"If-Match: " + etag + "\r\nIf-Unmodified-Since: " + before, "200"}, // IUS only without If-Match
            {"If-Match: \"other\"\r\nIf-None-Match: " + etag, "412"},      // If-Match first
        };
    }

    @Test
    void conditionsAreEvaluatedInTheOrderOfRfc9110() throws Exception {
        List<String> wrong = tree.serve(files(), port -> {
            String etag = StaticFilesFixture.request(port, "GET", "/files/a.txt").field("ETag");
            List<String> w = new ArrayList<>();
            for (String method : List.of("GET", "HEAD")) {
                for (String[] row : conditions(etag)) {
                    Raw r = row[0].isEmpty() ? StaticFilesFixture.request(port, method, "/files/a.txt")
                            : StaticFilesFixture.request(port, method, "/files/a.txt", row[0]);
                    String what = method + " with " + row[0].replace("\r\n", " + ");
                    if (r.status() != Integer.parseInt(row[1])) w.add(what + ": expected " + row[1] + ", got " + r.status());
                    if (r.status() == 304) {
                        if (r.body().length != 0 || r.field("Content-Length") != null) w.add(what + ": a 304 with a body " + r);
                        if (!etag.equals(r.field("ETag")) || r.field("Last-Modified") == null || !"no-cache".equals(r.field("Cache-Control"))) {
                            w.add(what + ": a 304 without its validators " + r);
                        }
                    }
                    if (r.status() == 200 && method.equals("GET") && !r.text().equals("hello, file\n")) w.add(what + ": body " + r);
                    if (r.status() == 200 && method.equals("HEAD") && (r.body().length != 0 || !"12".equals(r.field("Content-Length")))) {
                        w.add(what + ": HEAD " + r);
                    }
                }
            }
            return w;
        });
        assertEquals(List.of(), wrong);
    }

    @Test
    void aChangedFileGetsANewETagAndTheOldOneNoLongerMatches() throws Exception {
        Raw[] got = tree.serve(files(), port -> {
            Raw first = StaticFilesFixture.request(port, "GET", "/files/a.txt");
            // the same size, one nanosecond later
            Files.writeString(file, "HELLO, FILE\n");
            Files.setLastModifiedTime(file, FileTime.from(MODIFIED.plusNanos(1)));
            Raw changed = StaticFilesFixture.request(port, "GET", "/files/a.txt", "If-None-Match: " + first.field("ETag"));
            // replaced by a rename, as deploys do: the same size and time, another inode
            Path next = tree.base.resolve("next.txt");
            Files.writeString(next, "hello, next\n");
            Files.setLastModifiedTime(next, FileTime.from(MODIFIED.plusNanos(1)));
            Files.move(next, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            Raw replaced = StaticFilesFixture.request(port, "GET", "/files/a.txt", "If-None-Match: " + changed.field("ETag"));
            Raw same = StaticFilesFixture.request(port, "GET", "/files/a.txt", "If-None-Match: " + replaced.field("ETag"));
            return new Raw[] {first, changed, replaced, same};
        });
        assertEquals(200, got[1].status());
        assertEquals("HELLO, FILE\n", got[1].text());
        assertNotEquals(got[0].field("ETag"), got[1].field("ETag"));
        assertEquals(200, got[2].status());
        assertEquals("hello, next\n", got[2].text());
        assertNotEquals(got[1].field("ETag"), got[2].field("ETag"), "another inode");
        assertEquals(304, got[3].status());
    }

    @Test
    void aModificationTimeInTheFutureIsSentAsNow() throws Exception {
        Files.setLastModifiedTime(file, FileTime.from(Instant.now().plus(3650, ChronoUnit.DAYS)));
        Raw r = tree.serve(files(), port -> StaticFilesFixture.request(port, "GET", "/files/a.txt"));
        Instant lastModified = HttpDate.parse(r.field("Last-Modified")), date = HttpDate.parse(r.field("Date"));
        assertTrue(!lastModified.isAfter(date), "Last-Modified " + r.field("Last-Modified") + " after Date " + r.field("Date"));
    }

    @Test
    void curlRevalidatesWithADateAndWithAnETag() throws Exception {
        String[] got = tree.serve(files(), port -> {
            String url = "http://127.0.0.1:" + port + "/files/a.txt";
            String etag = StaticFilesFixture.request(port, "GET", "/files/a.txt").field("ETag");
            return new String[] {
                StaticFilesPathTest.curl("-z", HttpDate.format(MODIFIED), url),
                StaticFilesPathTest.curl("-z", HttpDate.format(MODIFIED.minus(1, ChronoUnit.DAYS)), url),
                StaticFilesPathTest.curl("-H", "If-None-Match: " + etag, url),
                StaticFilesPathTest.curl("-H", "If-Match: \"nope\"", url),
            };
        });
        assertEquals("304", got[0]);
        assertEquals("hello, file\n200", got[1]);
        assertEquals("304", got[2]);
        assertTrue(got[3].endsWith("412"), got[3]);
    }
}
