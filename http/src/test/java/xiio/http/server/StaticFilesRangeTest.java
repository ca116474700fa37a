package xiio.http.server;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import xiio.http.server.StaticFilesFixture.Raw;

/**
 * Range requests (RFC 9110 section 14): single ranges in their three forms, 416 with
 * {@code bytes *}{@code /size}, invalid fields ignored, multipart/byteranges parsed
 * back here and compared with the file's bytes, the bound on ranges and overlaps,
 * If-Range, and HEAD (which ignores ranges).
 */
class StaticFilesRangeTest {
    private static final int SIZE = 1000;
    private StaticFilesFixture tree;
    private byte[] bytes;

    @BeforeEach
    void makeTree() throws IOException {
        tree = new StaticFilesFixture();
        bytes = new byte[SIZE];
        new Random(7).nextBytes(bytes);
        Files.setLastModifiedTime(StaticFilesFixture.write(tree.root.resolve("r.bin"), bytes),
                FileTime.from(Instant.now().minus(1, ChronoUnit.HOURS)));
        StaticFilesFixture.write(tree.root.resolve("empty.txt"), new byte[0]);
    }

    @AfterEach
    void removeTree() throws IOException {
        tree.close();
    }

    private Handler files() throws IOException {
        return tree.files().build().addTo(new Router());
    }

    /** Range field, status, and for a 206 the first and last byte. */
    private static final String[][] SINGLE = {
        {"bytes=0-9", "206", "0", "9"},
        {"bytes=990-", "206", "990", "999"},
        {"bytes=-10", "206", "990", "999"},
        {"bytes=-2000", "206", "0", "999"},
        {"bytes=500-5000", "206", "500", "999"},
        {"bytes=999-999", "206", "999", "999"},
        {"BYTES=0-0", "206", "0", "0"},                      // the unit is case-insensitive
        {"bytes=0-9,", "206", "0", "9"},                      // an empty list element
        {"bytes=0-99999999999999999999999", "206", "0", "999"},
        {"bytes=1000-", "416"},
        {"bytes=1000-2000", "416"},
        {"bytes=-0", "416"},
        {"bytes=99999999999999999999999-", "416"},
        {"bytes=1000-,2000-", "416"},
        {"bytes=5-2", "200"},                                // invalid: ignored
        {"bytes=a-b", "200"},
        {"bytes=0-9;x", "200"},
        {"bytes=", "200"},
        {"bytes=10", "200"},
        {"items=0-9", "200"},                                 // another unit: ignored
        {"bytes=0-,0-", "200"},                               // more than the file: sent once
        {"bytes=" + IntStream.range(0, 17).mapToObj(i -> i * 10 + "-" + i * 10).collect(Collectors.joining(",")), "200"},
    };

    @Test
    void singleRangesAndWhatIsIgnoredOrUnsatisfiable() throws Exception {
        List<String> wrong = tree.serve(files(), port -> {
            List<String> w = new ArrayList<>();
            for (String[] row : SINGLE) {
                Raw r = StaticFilesFixture.request(port, "GET", "/files/r.bin", "Range: " + row[0]);
                if (r.status() != Integer.parseInt(row[1])) {
                    w.add(row[0] + ": expected " + row[1] + ", got " + r.status());
                    continue;
                }
                switch (r.status()) {
                    case 206 -> {
                        int first = Integer.parseInt(row[2]), last = Integer.parseInt(row[3]);
                        if (!("bytes " + first + "-" + last + "/" + SIZE).equals(r.field("Content-Range"))) w.add(row[0] + ": " + r);
                        if (!Arrays.equals(Arrays.copyOfRange(bytes, first, last + 1), r.body())) w.add(row[0] + ": other bytes");
                        if (!"application/octet-stream".equals(r.field("Content-Type"))) w.add(row[0] + ": type " + r.field("Content-Type"));
                    }
                    case 416 -> {
                        if (!("bytes */" + SIZE).equals(r.field("Content-Range"))) w.add(row[0] + ": " + r);
                    }
                    default -> {
                        if (!Arrays.equals(bytes, r.body()) || r.field("Content-Range") != null) w.add(row[0] + ": not the whole file");
                    }
                }
            }
            return w;
        });
        assertEquals(List.of(), wrong);
    }

    /** The parts of a multipart/byteranges body, parsed here: Content-Range and bytes of each. */
    record Part(String contentType, String contentRange, byte[] bytes) {}

    static List<Part> parseMultipart(Raw r) {
        Matcher m = Pattern.compile("multipart/byteranges; boundary=(\\S+)").matcher(r.field("Content-Type"));
        assertTrue(m.matches(), r.field("Content-Type"));
        byte[] delimiter = ("--" + m.group(1)).getBytes(StandardCharsets.ISO_8859_1);
        byte[] body = r.body();
        List<Part> parts = new ArrayList<>();
        int at = StaticFilesFixture.indexOf(body, delimiter, 0);
        assertEquals(0, at, "the body starts with the first delimiter");
        while (true) {
            at += delimiter.length;
            if (body[at] == '-' && body[at + 1] == '-') {
                assertEquals(body.length, at + 4, "the close delimiter ends the body");
                return parts;
            }
            int headEnd = StaticFilesFixture.indexOf(body, "\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1), at);
            String head = new String(body, at + 2, headEnd - at - 2, StandardCharsets.ISO_8859_1);
            String type = null, range = null;
            for (String line : head.split("\r\n")) {
                if (line.startsWith("Content-Type: ")) type = line.substring(14);
                if (line.startsWith("Content-Range: ")) range = line.substring(15);
            }
            int next = StaticFilesFixture.indexOf(body, ("\r\n" + new String(delimiter, StandardCharsets.ISO_8859_1))
                    .getBytes(StandardCharsets.ISO_8859_1), headEnd + 4);
            parts.add(new Part(type, range, Arrays.copyOfRange(body, headEnd + 4, next)));
            at = next + 2;
        }
    }

    @Test
    void severalRangesAreMultipartByterangesInTheOrderAsked() throws Exception {
        Raw[] got = tree.serve(files(), port -> new Raw[] {
            StaticFilesFixture.request(port, "GET", "/files/r.bin", "Range: bytes=0-4, 10-14,-3"),
            StaticFilesFixture.request(port, "GET", "/files/r.bin", "Range: bytes=500-509,0-9,5-14"), // a small overlap is kept
            StaticFilesFixture.request(port, "GET", "/files/r.bin", "Range: bytes="
                    + IntStream.range(0, 16).mapToObj(i -> i * 10 + "-" + i * 10).collect(Collectors.joining(","))),
            StaticFilesFixture.request(port, "GET", "/files/r.bin", "Range: bytes=0-4,2000-3000"), // one satisfiable
        });
        int[][][] expected = {{{0, 4}, {10, 14}, {997, 999}}, {{500, 509}, {0, 9}, {5, 14}},
            IntStream.range(0, 16).mapToObj(i -> new int[] {i * 10, i * 10}).toArray(int[][]::new)};
        for (int i = 0; i < expected.length; i++) {
            assertEquals(206, got[i].status(), got[i].toString());
            assertEquals(String.valueOf(got[i].body().length), got[i].field("Content-Length"));
            List<Part> parts = parseMultipart(got[i]);
            assertEquals(expected[i].length, parts.size());
            for (int p = 0; p < parts.size(); p++) {
                int first = expected[i][p][0], last = expected[i][p][1];
                assertEquals("bytes " + first + "-" + last + "/" + SIZE, parts.get(p).contentRange());
                assertEquals("application/octet-stream", parts.get(p).contentType());
                assertArrayEquals(Arrays.copyOfRange(bytes, first, last + 1), parts.get(p).bytes());
            }
        }
        assertEquals("bytes 0-4/1000", got[3].field("Content-Range"), "one satisfiable range is not multipart");
        assertArrayEquals(Arrays.copyOfRange(bytes, 0, 5), got[3].body());
    }

    @Test
    void ifRangeSendsTheRangeOnlyForTheCurrentFile() throws Exception {
        List<String> wrong = tree.serve(files(), port -> {
            Raw plain = StaticFilesFixture.request(port, "GET", "/files/r.bin");
            String etag = plain.field("ETag"), lm = plain.field("Last-Modified");
            String[][] rows = {
                {etag, "206"}, {"\"other\"", "200"}, {"W/" + etag, "200"}, {lm, "206"},
                {"Thu, 01 Jan 1970 00:00:00 GMT", "200"}, {"not a date", "200"},
            };
            List<String> w = new ArrayList<>();
            for (String[] row : rows) {
                Raw r = StaticFilesFixture.request(port, "GET", "/files/r.bin", "Range: bytes=0-9", "If-Range: " + row[0]);
                if (r.status() != Integer.parseInt(row[1])) w.add("If-Range: " + row[0] + ": " + r.status());
                if (r.status() == 200 && r.body().length != SIZE) w.add("If-Range: " + row[0] + ": " + r.body().length + " bytes");
            }
            return w;
        });
        assertEquals(List.of(), wrong);
    }

    @Test
    void ifRangeWithTheDateOfAFileChangedThisSecondSendsItWhole() throws Exception {
        StaticFilesFixture.write(tree.root.resolve("fresh.bin"), bytes); // modified now: its date is a weak validator
        Raw[] got = tree.serve(files(), port -> {
            Raw plain = StaticFilesFixture.request(port, "GET", "/files/fresh.bin");
            return new Raw[] {
                StaticFilesFixture.request(port, "GET", "/files/fresh.bin", "Range: bytes=0-9", "If-Range: " + plain.field("Last-Modified")),
                StaticFilesFixture.request(port, "GET", "/files/fresh.bin", "Range: bytes=0-9", "If-Range: " + plain.field("ETag")),
            };
        });
        assertEquals(200, got[0].status(), "two versions within one second share the date");
        assertEquals(SIZE, got[0].body().length);
        assertEquals(206, got[1].status(), "the ETag tells them apart");
    }

    @Test
    void headIgnoresRangesAndAnEmptyFileHasNoSatisfiableRange() throws Exception {
        Raw[] got = tree.serve(files(), port -> new Raw[] {
            StaticFilesFixture.request(port, "HEAD", "/files/r.bin", "Range: bytes=0-9"),
            StaticFilesFixture.request(port, "GET", "/files/empty.txt", "Range: bytes=0-"),
            StaticFilesFixture.request(port, "GET", "/files/empty.txt"),
        });
        assertEquals(200, got[0].status());
        assertEquals(String.valueOf(SIZE), got[0].field("Content-Length"));
        assertEquals(0, got[0].body().length);
        assertEquals(416, got[1].status());
        assertEquals("bytes */0", got[1].field("Content-Range"));
        assertEquals(200, got[2].status());
        assertEquals("0", got[2].field("Content-Length"));
    }

    @Test
    void filesEitherSideOfTheSmallFileReadAreSentWhole() throws Exception {
        byte[][] contents = new byte[3][];
        int[] sizes = {StaticFiles.SMALL_FILE - 1, StaticFiles.SMALL_FILE, StaticFiles.SMALL_FILE + 1};
        for (int i = 0; i < sizes.length; i++) {
            contents[i] = new byte[sizes[i]];
            new Random(i).nextBytes(contents[i]);
            StaticFilesFixture.write(tree.root.resolve("s" + i + ".bin"), contents[i]);
        }
        Raw[] got = tree.serve(files(), port -> new Raw[] {
            StaticFilesFixture.request(port, "GET", "/files/s0.bin"),
            StaticFilesFixture.request(port, "GET", "/files/s1.bin"),
            StaticFilesFixture.request(port, "GET", "/files/s2.bin"),
            StaticFilesFixture.request(port, "GET", "/files/s2.bin", "Range: bytes=-2"),
        });
        for (int i = 0; i < sizes.length; i++) {
            assertEquals(200, got[i].status());
            assertEquals(String.valueOf(sizes[i]), got[i].field("Content-Length"));
            assertArrayEquals(contents[i], got[i].body());
        }
        assertArrayEquals(Arrays.copyOfRange(contents[2], sizes[2] - 2, sizes[2]), got[3].body());
    }

    @Test
    void curlAndTheJdkClientAskForRanges() throws Exception {
        Path out = tree.base.resolve("part.bin");
        HttpResponse<byte[]>[] jdk = tree.serve(files(), port -> {
            String url = "http://127.0.0.1:" + port + "/files/r.bin";
            assertEquals("206", StaticFilesPathTest.curl("-r", "0-9", "-o", out.toString(), url));
            try (HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build()) {
                @SuppressWarnings("unchecked")
                HttpResponse<byte[]>[] r = new HttpResponse[] {
                    http.send(HttpRequest.newBuilder(URI.create(url)).header("Range", "bytes=-100").build(), HttpResponse.BodyHandlers.ofByteArray()),
                };
                return r;
            }
        });
        assertArrayEquals(Arrays.copyOfRange(bytes, 0, 10), Files.readAllBytes(out));
        assertEquals(206, jdk[0].statusCode());
        assertEquals("bytes 900-999/1000", jdk[0].headers().firstValue("Content-Range").orElseThrow());
        assertArrayEquals(Arrays.copyOfRange(bytes, 900, 1000), jdk[0].body());
    }
}
