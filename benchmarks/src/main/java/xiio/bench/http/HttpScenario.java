package xiio.bench.http;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One load shape of the HTTP benchmark, named as {@code --scenarios} spells it:
 * {@code hello-c50} (GET / on 50 keep-alive connections, one request in flight on
 * each), {@code pipelined-c256} (GET / pipelined 16 deep, the TechEmpower plaintext
 * shape), {@code echo1m-c16} (POST of a 1,000,000-byte body, answered with it: see {@link #path}).
 * Pipelining and the POST body are wrk Lua scripts ({@link #script}), written to a
 * file beside the logs.
 *
 * @param kind what each request is
 * @param connections wrk's connection count
 */
record HttpScenario(Kind kind, int connections) {
    /** Requests in flight on one pipelined connection: TechEmpower's plaintext depth. */
    static final int PIPELINE_DEPTH = 16;
    /** The POST body: "1 MB", and within every server's 1 MiB body limit. */
    static final int ECHO_BYTES = 1_000_000;

    /** What the requests of a scenario are. */
    enum Kind {
        HELLO("hello", "GET / (hello page)"),
        PIPELINED("pipelined", "GET / pipelined " + PIPELINE_DEPTH + " deep"),
        ECHO("echo1m", "POST /echo, 1,000,000-byte body");

        final String prefix;
        final String label;

        Kind(String prefix, String label) {
            this.prefix = prefix;
            this.label = label;
        }
    }

    private static final Pattern NAME = Pattern.compile("(hello|pipelined|echo1m)-c(\\d+)");

    /** The five: hello at 1, 50 and 256 connections, plaintext pipelined, a 1 MB POST echoed. */
    static final List<HttpScenario> FULL = List.of(parse("hello-c1"), parse("hello-c50"), parse("hello-c256"),
            parse("pipelined-c256"), parse("echo1m-c16"));
    /** Seconds per server: every kind of request once (GET is in the pipelined one). */
    static final List<HttpScenario> SMOKE = List.of(parse("pipelined-c4"), parse("echo1m-c2"));

    HttpScenario {
        if (connections < 1) throw new IllegalArgumentException("connection counts must be at least 1");
    }

    static HttpScenario parse(String name) {
        Matcher m = NAME.matcher(name.trim());
        if (!m.matches()) throw new IllegalArgumentException("scenario " + name + " is not like hello-c50, pipelined-c256 or echo1m-c16");
        Kind kind = switch (m.group(1)) {
            case "hello" -> Kind.HELLO;
            case "pipelined" -> Kind.PIPELINED;
            default -> Kind.ECHO;
        };
        return new HttpScenario(kind, Integer.parseInt(m.group(2)));
    }

    static List<HttpScenario> parseList(List<String> names) {
        List<HttpScenario> list = new ArrayList<>();
        for (String n : names) if (!n.isBlank()) list.add(parse(n));
        if (list.isEmpty()) throw new IllegalArgumentException("--scenarios names none");
        return list;
    }

    String name() {
        return kind.prefix + "-c" + connections;
    }

    /** For headings: "GET / pipelined 16 deep, 256 connections". */
    String label() {
        return kind.label + ", " + String.format(Locale.ROOT, "%,d", connections) + (connections == 1 ? " connection" : " connections");
    }

    /**
     * The path wrk requests of {@code server}. The echo is each server's best: Netty
     * gathers the body's buffers into one composite without a copy, pooled off the heap;
     * xiio streams it back as it arrives ({@code /echo/stream}), holding only its buffers;
     * Helidon and the JDK server read it whole, as their plain handlers do.
     */
    String path(BenchServer server) {
        if (kind != Kind.ECHO) return "/";
        return server.isXiio() ? "/echo/stream" : "/echo";
    }

    /**
     * The wrk Lua script of this scenario, or null for plain GETs. wrk counts the
     * requests in what {@code request()} returns, so one batch of 16 is 16 requests,
     * and it counts each response that comes back.
     */
    String script() {
        return switch (kind) {
            case HELLO -> null;
            case PIPELINED -> """
                    -- %d GET / requests written at once on each connection, as TechEmpower's plaintext test does
                    local one = "GET / HTTP/1.1\\r\\nHost: 127.0.0.1\\r\\n\\r\\n"
                    local batch = string.rep(one, %d)
                    request = function() return batch end
                    """.formatted(PIPELINE_DEPTH, PIPELINE_DEPTH);
            case ECHO -> """
                    -- POST /echo with a %,d-byte body; the server answers with the same bytes
                    wrk.method = "POST"
                    wrk.body = string.rep("x", %d)
                    wrk.headers["Content-Type"] = "application/octet-stream"
                    """.formatted(ECHO_BYTES, ECHO_BYTES);
        };
    }

    /** Writes {@link #script()} into {@code dir} (once per kind), or returns null when there is none. */
    Path writeScript(Path dir) throws IOException {
        String text = script();
        if (text == null) return null;
        Files.createDirectories(dir);
        Path file = dir.resolve(kind.prefix + ".lua");
        Files.writeString(file, text);
        return file;
    }
}
