package xiio.http.client;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import xiio.core.Xiio;
import xiio.io.ByteStream;
import xiio.http.FuzzRun;
import xiio.http.HttpHeadParser;

/**
 * The response parser (status line, header fields, Content-Length, chunked and
 * until-close bodies) against a seeded generator: every generated response, cut into
 * random pieces as a network would deliver it, parses to what was generated, two in
 * a row on one connection included; and every mutation of one either parses or fails
 * with an {@link IOException}, never another exception. {@code -Dxiio.fuzzSeed} and
 * {@code -Dxiio.fuzzScale} as in {@link FuzzRun}, whose watchdog names a case that hangs.
 */
class ResponseFuzzTest {
    private static final long SEED = 0x5eed_2026L;

    /** A generated response and the bytes that carry it. */
    record Generated(int status, List<String> headers, byte[] body, byte[] wire, boolean untilClose) {}

    /** Bytes delivered in pieces of random size, then end of stream. */
    static final class PieceStream implements ByteStream {
        private final byte[] data;
        private final Random random;
        private int at;

        PieceStream(byte[] data, Random random) {
            this.data = data;
            this.random = random;
        }

        @Override
        public int read(byte[] buf, int off, int len) {
            if (at == data.length) return -1;
            int n = Math.min(len, Math.min(data.length - at, 1 + random.nextInt(random.nextBoolean() ? 7 : 3000)));
            System.arraycopy(data, at, buf, off, n);
            at += n;
            return n;
        }

        @Override
        public int write(byte[] buf, int off, int len) {
            throw new UnsupportedOperationException();
        }

        @Override
        public void shutdownOutput() {}

        @Override
        public void close() {}
    }

    static Generated generate(Random r, boolean allowUntilClose) {
        int[] statuses = {200, 201, 204, 301, 304, 404, 500, 503};
        int status = statuses[r.nextInt(statuses.length)];
        boolean bodiless = status == 204 || status == 304;
        byte[] body = bodiless ? new byte[0] : new byte[r.nextInt(4) == 0 ? r.nextInt(70_000) : r.nextInt(300)];
        r.nextBytes(body);
        int framing = bodiless ? 0 : r.nextInt(allowUntilClose ? 3 : 2); // 0 length, 1 chunked, 2 until close
        List<String> headers = new ArrayList<>();
        StringBuilder head = new StringBuilder("HTTP/1.1 " + status + (r.nextInt(5) == 0 ? "" : " Reason " + r.nextInt(100)) + "\r\n");
        int extra = r.nextInt(6);
        for (int i = 0; i < extra; i++) {
            String name = "X-F" + r.nextInt(1000);
            String value = r.nextInt(4) == 0 ? "" : "v" + Long.toHexString(r.nextLong()) + (r.nextBoolean() ? " \t, b=c" : "");
            headers.add(name.toLowerCase());
            headers.add(value.strip());
            head.append(name).append(":").append(r.nextBoolean() ? " " : "").append(value).append(r.nextBoolean() ? " " : "").append("\r\n");
        }
        ByteArrayOutputStream wire = new ByteArrayOutputStream();
        if (framing == 0 && !bodiless) head.append("Content-Length: ").append(body.length).append("\r\n");
        if (framing == 1) head.append("Transfer-Encoding: ").append(r.nextBoolean() ? "chunked" : "Chunked").append("\r\n");
        head.append("\r\n");
        wire.writeBytes(head.toString().getBytes(StandardCharsets.ISO_8859_1));
        if (framing == 1) {
            for (int at = 0; at < body.length; ) {
                int n = Math.min(body.length - at, 1 + r.nextInt(r.nextBoolean() ? 10 : 9000));
                String size = r.nextBoolean() ? Integer.toHexString(n) : Integer.toHexString(n).toUpperCase();
                String ext = r.nextInt(5) == 0 ? ";name=\"value\"" : r.nextInt(9) == 0 ? " ;x" : "";
                wire.writeBytes((size + ext + "\r\n").getBytes(StandardCharsets.ISO_8859_1));
                wire.write(body, at, n);
                wire.writeBytes("\r\n".getBytes(StandardCharsets.ISO_8859_1));
                at += n;
            }
            wire.writeBytes((r.nextBoolean() ? "0\r\n\r\n" : "0\r\nX-Trailer: t\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
        } else {
            wire.writeBytes(body);
        }
        return new Generated(status, headers, body, wire.toByteArray(), framing == 2);
    }

    private static final ClientRequest GET = ClientRequest.get("http://fuzz.invalid/");
    private static final HttpHeadParser PARSER = new HttpHeadParser(8192, 64 * 1024, 256);

    /** Parses one response off {@code c} as the client does, body read completely. */
    static ClientResponse parse(PooledConnection c) throws IOException {
        ClientResponse r = Exchange.of(c, GET, ResponseHead.read(c, PARSER), true, Integer.MAX_VALUE - 8).response;
        r.body().readAllBytes();
        return r;
    }

    private static void check(Generated g, ClientResponse got) throws IOException {
        assertEquals(g.status(), got.status());
        for (int i = 0; i < g.headers().size(); i += 2) {
            assertTrue(got.headers().all(g.headers().get(i)).contains(g.headers().get(i + 1)),
                    g.headers().get(i) + ": " + g.headers().get(i + 1) + " in " + got.headers().all(g.headers().get(i)));
        }
        assertArrayEquals(g.body(), got.body().readAllBytes());
    }

    @Test
    void everyGeneratedResponseParsesToWhatWasGenerated() throws Throwable {
        FuzzRun.run("response parser, generated", SEED, 1500, (seed, rounds) -> {
            Random r = new Random(seed);
            Xiio.run(() -> {
                for (int round = 0; round < rounds; round++) {
                    Generated first = generate(r, false), second = generate(r, true);
                    byte[] both = new byte[first.wire().length + second.wire().length];
                    System.arraycopy(first.wire(), 0, both, 0, first.wire().length);
                    System.arraycopy(second.wire(), 0, both, first.wire().length, second.wire().length);
                    FuzzRun.begin("round " + round);
                    PooledConnection c = new PooledConnection(GET.origin(), new PieceStream(both, r));
                    try {
                        check(first, parse(c));
                        check(second, parse(c)); // the first one's framing ended exactly where it should
                    } catch (IOException | RuntimeException | AssertionError e) {
                        fail(FuzzRun.where("round " + round) + ": " + e + "\n" + new String(both, 0, Math.min(both.length, 400),
                                StandardCharsets.ISO_8859_1), e);
                    }
                }
                return null;
            });
        });
    }

    @Test
    void everyMutationParsesOrFailsWithAnIoException() throws Throwable {
        FuzzRun.run("response parser, mutated", SEED + 1, 10_000, (seed, rounds) -> {
            Random r = new Random(seed);
            Xiio.run(() -> {
                int failed = 0;
                for (int round = 0; round < rounds; round++) {
                    byte[] wire = generate(r, true).wire();
                    byte[] mutated = mutate(wire, r);
                    FuzzRun.begin("round " + round + ": " + new String(mutated, 0, Math.min(mutated.length, 300), StandardCharsets.ISO_8859_1));
                    PooledConnection c = new PooledConnection(GET.origin(), new PieceStream(mutated, r));
                    try {
                        parse(c);
                    } catch (IOException expected) {
                        failed++;
                    } catch (RuntimeException e) {
                        fail(FuzzRun.where("round " + round) + ": " + e + " instead of an IOException for\n"
                                + new String(mutated, 0, Math.min(mutated.length, 300), StandardCharsets.ISO_8859_1), e);
                    }
                }
                assertTrue(failed > rounds / 10, "the mutations should break many responses, broke " + failed);
                return null;
            });
        });
    }

    private static byte[] mutate(byte[] wire, Random r) {
        byte[] m = wire.clone();
        int headEnd = Math.min(m.length, 200);
        int edits = 1 + r.nextInt(4);
        for (int i = 0; i < edits && m.length > 0; i++) {
            int at = r.nextInt(r.nextBoolean() ? Math.min(m.length, headEnd) : m.length);
            switch (r.nextInt(4)) {
                case 0 -> m[at] = (byte) r.nextInt(256);
                case 1 -> m[at] = (byte) "\r\n :;0fF-\t".charAt(r.nextInt(10));
                case 2 -> m = java.util.Arrays.copyOf(m, at); // truncated
                default -> {
                    byte[] grown = new byte[m.length + 1];
                    System.arraycopy(m, 0, grown, 0, at);
                    grown[at] = (byte) "\r\n:0a".charAt(r.nextInt(5));
                    System.arraycopy(m, at, grown, at + 1, m.length - at);
                    m = grown;
                }
            }
        }
        return m;
    }
}
