package xiio.http.server;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;

/**
 * What the static-file tests share: a tree on disk served under {@code /files/}, a
 * raw-socket client that sends exactly the bytes it is given, and a check that the
 * server closed every file it opened (LeakGuard counts pipes and sockets, not files).
 */
final class StaticFilesFixture implements AutoCloseable {
    final Path base;
    final Path root;
    final Path outside;

    /** {@code base/root} (served) and {@code base/outside} (never served), both empty. */
    StaticFilesFixture() throws IOException {
        base = Files.createTempDirectory("xiio-static").toRealPath();
        root = Files.createDirectories(base.resolve("root"));
        outside = Files.createDirectories(base.resolve("outside"));
    }

    /** Writes {@code text} to {@code relative} under the root, creating directories. */
    Path write(String relative, String text) throws IOException {
        return write(root.resolve(relative), text.getBytes(StandardCharsets.UTF_8));
    }

    static Path write(Path p, byte[] bytes) throws IOException {
        Files.createDirectories(p.getParent());
        return Files.write(p, bytes);
    }

    StaticFiles.Builder files() {
        return StaticFiles.builder(root).prefix("/files/");
    }

    /** Runs {@code client} against a server of {@code handler}, then checks no file under base is still open. */
    <T> T serve(Handler handler, ServerFixture.Client<T> client) throws Exception {
        return serve(handler, ServerConfig.DEFAULT, client);
    }

    <T> T serve(Handler handler, ServerConfig config, ServerFixture.Client<T> client) throws Exception {
        T result = ServerFixture.withServer(handler, config, client);
        assertEquals(List.of(), openFilesUnder(base), "files the server left open");
        return result;
    }

    /** The fds of this process that name a file under {@code dir}. */
    static List<String> openFilesUnder(Path dir) throws IOException {
        try (Stream<Path> fds = Files.list(Path.of("/proc/self/fd"))) {
            return fds.map(fd -> {
                try {
                    return Files.readSymbolicLink(fd).toString();
                } catch (IOException closedMeanwhile) {
                    return "";
                }
            }).filter(t -> t.startsWith(dir.toString())).toList();
        }
    }

    @Override
    public void close() throws IOException {
        try (Stream<Path> all = Files.walk(base)) {
            for (Path p : all.sorted(Comparator.reverseOrder()).toList()) Files.delete(p);
        }
    }

    /** A response read off the wire: status, fields (lower-case names, last value wins), body bytes. */
    record Raw(int status, Map<String, String> fields, byte[] body, String head) {
        String field(String name) {
            return fields.get(name.toLowerCase(Locale.ROOT));
        }

        String text() {
            return new String(body, StandardCharsets.UTF_8);
        }

        @Override
        public String toString() {
            return head + (body.length > 200 ? "[" + body.length + " bytes]" : text());
        }
    }

    /** Sends {@code request} as is (add {@code Connection: close}) and reads the answer to the end of the stream. */
    static Raw exchange(int port, String request) throws IOException {
        try (Socket s = new Socket("127.0.0.1", port)) {
            s.setSoTimeout(20_000);
            s.getOutputStream().write(request.getBytes(StandardCharsets.ISO_8859_1));
            return parse(s.getInputStream().readAllBytes());
        }
    }

    /** {@code GET path} (or another method) with extra header lines, each ending in CRLF. */
    static Raw request(int port, String method, String path, String... fieldLines) throws IOException {
        StringBuilder r = new StringBuilder(method + " " + path + " HTTP/1.1\r\nHost: x\r\nConnection: close\r\n");
        for (String f : fieldLines) r.append(f).append("\r\n");
        return exchange(port, r.append("\r\n").toString());
    }

    static Raw parse(byte[] wire) {
        int end = indexOf(wire, "\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1), 0);
        if (end < 0) throw new AssertionError("no complete head in " + new String(wire, StandardCharsets.ISO_8859_1));
        String head = new String(wire, 0, end + 4, StandardCharsets.ISO_8859_1);
        String[] lines = head.split("\r\n");
        Map<String, String> fields = new LinkedHashMap<>();
        for (int i = 1; i < lines.length; i++) {
            int colon = lines[i].indexOf(':');
            fields.put(lines[i].substring(0, colon).toLowerCase(Locale.ROOT), lines[i].substring(colon + 1).strip());
        }
        return new Raw(Integer.parseInt(lines[0].split(" ")[1]), fields, Arrays.copyOfRange(wire, end + 4, wire.length), head);
    }

    static int indexOf(byte[] haystack, byte[] needle, int from) {
        outer:
        for (int i = from; i <= haystack.length - needle.length; i++) {
            for (int j = 0; j < needle.length; j++) if (haystack[i + j] != needle[j]) continue outer;
            return i;
        }
        return -1;
    }
}
